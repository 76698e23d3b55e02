# Terraform 1.16 or newer: resume the job when the resource that keeps it
# paused is destroyed, as an action the plan lists, instead of
# resume_on_destroy. Under `terraform destroy` a failing destroy action is a
# warning and never stops the destroy; resume_on_destroy fails it instead.
resource "dts_synchronization_job_state" "orders" {
  synchronization_job_id = "dtsmr1q4mc2152xxxx"
  state                  = "Suspended"

  lifecycle {
    action_trigger {
      events  = [before_destroy]
      actions = [action.dts_synchronization_job_resume.orders]
    }
  }
}

action "dts_synchronization_job_resume" "orders" {
  config {
    synchronization_job_id = caller.synchronization_job_id
  }
}

# To stop managing a job without any call to DTS (the job stays as it is),
# set destroy = false: terraform destroy, or removing the resource, then only
# removes it from the state, and no destroy action runs.
resource "dts_synchronization_job_state" "inventory" {
  synchronization_job_id = "dtsexjk1alb116xxxx"
  region_id              = "cn-shanghai"
  state                  = "Synchronizing"

  lifecycle {
    destroy = false
  }
}
