# Terraform 1.16 or newer: a migration that must run even when a job it
# pauses is gone (deleted at DTS, or never in this region). With
# on_failure = continue the apply goes on, and the action's error, which
# names the job and what DTS answered, is shown as a warning.
action "dts_synchronization_job_suspend" "reporting" {
  config {
    synchronization_job_id = "dtsreporting0xxxx"
  }
}

resource "terraform_data" "reporting_schema_migration" {
  input = "2026-12-01-drop-legacy-columns"

  lifecycle {
    action_trigger {
      events     = [before_create, before_update]
      actions    = [action.dts_synchronization_job_suspend.reporting]
      on_failure = continue
    }
  }
}
