# All production jobs whose name starts with "orders-". DTS matches name
# anywhere in the job name; name_regex narrows it down in the provider.
data "dts_synchronization_jobs" "orders" {
  name       = "orders"
  name_regex = "^orders-"
  tags = {
    env = "prod"
  }
}

# Pause each of them for a maintenance window. Do not filter by status here:
# once paused, the jobs would drop out of the list and out of the for_each.
resource "dts_synchronization_job_state" "orders" {
  for_each = toset(data.dts_synchronization_jobs.orders.ids)

  synchronization_job_id = each.value
  state                  = "Suspended"
}

# Failed jobs of another region, with DTS's error message.
data "dts_synchronization_jobs" "failed" {
  region_id = "cn-shanghai"
  status    = "Failed"
}

output "failed_jobs" {
  value = { for j in data.dts_synchronization_jobs.failed.jobs : j.job_name => j.error_message }
}
