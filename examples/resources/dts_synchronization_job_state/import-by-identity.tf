# Terraform 1.12 and later. synchronization_direction defaults to Forward,
# region_id to the provider's region.
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
