# Terraform 1.12 and later: import by identity. Name the job by
# synchronization_job_id, dts_job_id (the task ID) or both;
# synchronization_direction defaults to Forward and region_id to the
# provider's region. terraform query writes blocks like this one.
import {
  to = dts_synchronization_job_state.orders_reverse
  identity = {
    synchronization_job_id    = "dtsexjk1alb116xxxx"
    synchronization_direction = "Reverse"
    region_id                 = "cn-shanghai"
  }
}

resource "dts_synchronization_job_state" "orders_reverse" {
  synchronization_job_id    = "dtsexjk1alb116xxxx"
  synchronization_direction = "Reverse"
  region_id                 = "cn-shanghai"
  state                     = "Synchronizing"
}
