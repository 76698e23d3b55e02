# Pause a job before a manual intervention, without managing it:
#   terraform apply -invoke=action.dts_synchronization_job_suspend.orders
action "dts_synchronization_job_suspend" "orders" {
  config {
    synchronization_job_id    = "dtsmr1q4mc2152xxxx"
    synchronization_direction = "Forward" # default
    timeout                   = "10m"     # default 30m
  }
}

# A job can also be named by its task ID (the console's task ID, the id of
# alicloud_dts_synchronization_job), with api = "auto" (default) or "dts_job":
#   dts_job_id = alicloud_dts_synchronization_job.billing.id
action "dts_synchronization_job_suspend" "billing" {
  config {
    dts_job_id = "l3m1213ye7lxxxx"
  }
}

action "dts_synchronization_job_resume" "orders" {
  config {
    synchronization_job_id = "dtsmr1q4mc2152xxxx"
  }
}

# Or pause it around a schema migration: before the migration runs (create or
# update), and resume it once the update is done.
resource "terraform_data" "orders_schema_migration" {
  input = "2026-12-01-add-customer-index"

  lifecycle {
    action_trigger {
      events  = [before_create, before_update]
      actions = [action.dts_synchronization_job_suspend.orders]
    }
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.dts_synchronization_job_resume.orders]
    }
  }
}
