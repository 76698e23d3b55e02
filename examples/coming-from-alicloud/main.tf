# A job managed by the alicloud provider, paused and resumed by this one, in
# one configuration. terraform apply -var paused=true pauses the job;
# -var paused=false (the default) resumes it.
terraform {
  required_providers {
    alicloud = {
      source = "aliyun/alicloud"
    }
    dts = {
      source  = "dts-provider/dts"
      version = "~> 0.1.0"
    }
  }
}

provider "alicloud" {
  region = "cn-hangzhou"
}

provider "dts" {
  region = "cn-hangzhou"
}

variable "paused" {
  type        = bool
  default     = false
  description = "Whether the orders job is paused, as for a maintenance window."
}

resource "alicloud_dts_synchronization_job" "orders" {
  dts_instance_id                    = "dtsmr1q4mc2152xxxx"
  dts_job_name                       = "orders-sync"
  source_endpoint_instance_type      = "RDS"
  source_endpoint_instance_id        = "rm-source0000xxxx"
  source_endpoint_engine_name        = "MySQL"
  source_endpoint_region             = "cn-hangzhou"
  source_endpoint_user_name          = "dts_sync"
  destination_endpoint_instance_type = "RDS"
  destination_endpoint_instance_id   = "rm-target0000xxxx"
  destination_endpoint_engine_name   = "MySQL"
  destination_endpoint_region        = "cn-hangzhou"
  destination_endpoint_user_name     = "dts_sync"
  db_list                            = jsonencode({ orders = { name = "orders", all = true } })
  structure_initialization           = true
  data_initialization                = true
  data_synchronization               = true

  # Pause and resume belong to dts_synchronization_job_state below. Without
  # this, alicloud's next apply would set status back to what this block
  # says and resume a job the dts provider paused.
  lifecycle {
    ignore_changes = [status]
  }
}

resource "dts_synchronization_job_state" "orders" {
  dts_job_id = alicloud_dts_synchronization_job.orders.id
  state      = var.paused ? "Suspended" : "Synchronizing"
}

output "orders_status" {
  description = "The status DTS reports for the job (Suspending when paused)."
  value       = dts_synchronization_job_state.orders.status
}
