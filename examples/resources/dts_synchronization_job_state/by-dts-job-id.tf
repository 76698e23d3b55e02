# With the alicloud provider's resource in the same configuration, write
#   dts_job_id = alicloud_dts_synchronization_job.this.id
# The plan reads the instance ID (synchronization_job_id) from DTS.
variable "dts_job_id" {
  type        = string
  description = "Task ID of the synchronization job, e.g. l3m1213ye7lxxxx."
}

resource "dts_synchronization_job_state" "replica" {
  dts_job_id        = var.dts_job_id
  region_id         = "cn-shanghai"
  state             = "Suspended"
  resume_on_destroy = true
}

output "replica_instance_id" {
  value = dts_synchronization_job_state.replica.synchronization_job_id
}
