# Cut-over: pause replication while the schema migration runs, then resume
# it and let apply return only once the target has caught up, so that the
# next step of the runbook (switching traffic) starts from a current copy.
#
#   terraform apply -var phase=migrate   # pauses the job
#   ... migrate the schema ...
#   terraform apply -var phase=switch    # resumes, waits until <= 30s behind
variable "phase" {
  type    = string
  default = "migrate"

  validation {
    condition     = contains(["migrate", "switch"], var.phase)
    error_message = "phase is migrate (pause the job) or switch (resume it and wait for the catch-up)."
  }
}

resource "dts_synchronization_job_state" "orders" {
  synchronization_job_id = "dtsmr1q4mc2152xxxx"
  state                  = var.phase == "migrate" ? "Suspended" : "Synchronizing"
  max_delay_after_resume = "30s"

  # The catch-up after a long pause takes its time; the wait shares this timeout.
  timeouts = {
    update = "1h"
  }
}

# Known only once the resume and the catch-up are done: anything that
# depends on it (a traffic switch, a notification) waits for both.
output "ready_for_traffic" {
  value = dts_synchronization_job_state.orders.status == "Synchronizing"
}
