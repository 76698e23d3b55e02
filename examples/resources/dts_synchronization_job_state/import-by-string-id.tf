# Terraform 1.5 and later.
import {
  to = dts_synchronization_job_state.orders
  id = "cn-shanghai/dtsmr1q4mc2152xxxx:Forward"
}

resource "dts_synchronization_job_state" "orders" {
  synchronization_job_id = "dtsmr1q4mc2152xxxx"
  region_id              = "cn-shanghai"
  state                  = "Synchronizing"
}
