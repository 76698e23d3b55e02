# Terraform 1.16 or newer: one action block serves every resource of a
# for_each through `caller`, the resource instance that triggered it.
#
# A schema migration of the orders database pauses every job that feeds it
# while this configuration exists, and resumes each job when its resource is
# destroyed: when the migration is done (terraform destroy), or when a job is
# taken out of var.feeds.
variable "feeds" {
  description = "The jobs that write into the orders database, by name."
  type        = map(string)
  default = {
    orders   = "dtsmr1q4mc2152xxxx"
    payments = "dtsq7w2e4r6t81xxxx"
  }
}

resource "dts_synchronization_job_state" "feeds" {
  for_each = var.feeds

  synchronization_job_id = each.value
  state                  = "Suspended"

  lifecycle {
    action_trigger {
      events  = [before_destroy]
      actions = [action.dts_synchronization_job_resume.feed]
    }
  }
}

action "dts_synchronization_job_resume" "feed" {
  config {
    # The job of whichever feed is being destroyed.
    synchronization_job_id    = caller.synchronization_job_id
    synchronization_direction = caller.synchronization_direction
    region_id                 = caller.region_id
  }
}
