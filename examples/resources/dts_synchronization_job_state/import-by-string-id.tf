# Terraform 1.5 and later: import with a block. The ID takes the same forms as
# terraform import: <job_id>, <job_id>:<direction>, <region_id>/<job_id> or
# <region_id>/<job_id>:<direction>, where job_id is the instance ID (dts…) or
# the task ID (dts_job_id).
import {
  to = dts_synchronization_job_state.orders
  id = "cn-shanghai/dtsmr1q4mc2152xxxx:Forward"
}

resource "dts_synchronization_job_state" "orders" {
  synchronization_job_id = "dtsmr1q4mc2152xxxx"
  region_id              = "cn-shanghai"
  state                  = "Synchronizing"
}
