# Maintenance window: pause the forward direction of two jobs. Set
# state = "Synchronizing" (or destroy with resume_on_destroy = true) to
# resume them afterwards.
resource "dts_synchronization_job_state" "orders" {
  synchronization_job_id = "dtsmr1q4mc2152xxxx"
  state                  = "Suspended"
  resume_on_destroy      = true
}

resource "dts_synchronization_job_state" "inventory" {
  synchronization_job_id    = "dtsexjk1alb116xxxx"
  synchronization_direction = "Forward"
  region_id                 = "cn-shanghai"
  state                     = "Suspended"
  resume_on_destroy         = true

  timeouts = {
    create = "45m"
    update = "45m"
    delete = "45m"
  }
}
