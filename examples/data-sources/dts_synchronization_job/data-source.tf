# Read one job, e.g. to show its state before a maintenance window.
data "dts_synchronization_job" "orders" {
  synchronization_job_id = "dtsmr1q4mc2152xxxx"
}

# A job in another region than the provider's.
data "dts_synchronization_job" "replica" {
  synchronization_job_id = "dtsl3m1213ye7lxxxx"
  region_id              = "cn-shanghai"
}

# The same job by its task ID (dts_job_id), as the console and
# alicloud_dts_synchronization_job show it; synchronization_job_id is read.
data "dts_synchronization_job" "by_task_id" {
  dts_job_id = "mr1q4mc2152xxxx"
}

output "orders_status" {
  value = {
    status          = data.dts_synchronization_job.orders.status
    checkpoint_time = data.dts_synchronization_job.orders.checkpoint_time
    delay_seconds   = data.dts_synchronization_job.orders.delay_seconds
    source          = data.dts_synchronization_job.orders.source_endpoint.instance_id
    destination     = data.dts_synchronization_job.orders.destination_endpoint.instance_id
  }
}

# Every direction of a two-way job, e.g. { Forward = "Synchronizing", Reverse = "Suspending" }.
output "replica_directions" {
  value = { for d in data.dts_synchronization_job.replica.directions : d.direction => d.status }
}

# How far behind each direction is, in seconds, e.g. { Forward = 3, Reverse = 612 };
# null where DTS reports no delay.
output "replica_delays" {
  value = { for d in data.dts_synchronization_job.replica.directions : d.direction => d.delay_seconds }
}
