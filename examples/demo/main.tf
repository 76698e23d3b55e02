# The configuration that scripts/demo.sh (make demo) drives against the fake
# DTS endpoint seeded from jobs.json. The script sets the endpoint, the keys
# and the desired states with -var; the defaults describe "everything runs".

terraform {
  required_version = ">= 1.5"
  required_providers {
    dts = {
      source = "dts-provider/dts"
    }
  }
}

variable "endpoint" {
  description = "DTS endpoint, e.g. http://127.0.0.1:PORT for the fake."
  type        = string
}

variable "access_key" {
  description = "AccessKey ID the endpoint accepts."
  type        = string
  sensitive   = true
}

variable "secret_key" {
  description = "AccessKey secret the endpoint accepts."
  type        = string
  sensitive   = true
}

variable "region" {
  description = "Default region of the jobs."
  type        = string
  default     = "cn-hangzhou"
}

variable "orders_dts_job_id" {
  description = "Task ID (dts_job_id) of the one-way, pay-as-you-go job orders-sync."
  type        = string
  default     = "ordersdemo00001"
}

variable "inventory_job_id" {
  description = "The two-way job inventory-two-way."
  type        = string
  default     = "dtsinventory0demo02"
}

variable "orders_state" {
  description = "Desired state of orders-sync's forward direction: Synchronizing or Suspended."
  type        = string
  default     = "Synchronizing"
}

variable "orders_resume_on_destroy" {
  description = "Whether destroying the orders resource resumes a paused direction."
  type        = bool
  default     = false
}

variable "inventory_reverse_state" {
  description = "Desired state of inventory-two-way's reverse direction: Synchronizing or Suspended."
  type        = string
  default     = "Synchronizing"
}

variable "inventory_reverse_resume_on_destroy" {
  description = "Whether destroying the inventory resource resumes a paused reverse direction."
  type        = bool
  default     = false
}

# One job is driven through each DTS action family: orders-sync through the
# maintained DtsJob actions (SuspendDtsJob, StartDtsJob, DescribeDtsJobDetail,
# DescribeDtsJobs), inventory-two-way through the legacy SynchronizationJob
# ones. Without api the provider uses "auto": the maintained family, falling
# back to the legacy one for a job the maintained one does not know.
provider "dts" {
  endpoint   = var.endpoint
  access_key = var.access_key
  secret_key = var.secret_key
  region     = var.region
  api        = "dts_job"
}

provider "dts" {
  alias      = "legacy"
  endpoint   = var.endpoint
  access_key = var.access_key
  secret_key = var.secret_key
  region     = var.region
  api        = "synchronization_job"
}

# Forward direction of the one-way job (the default direction), named by its
# task ID. With the alicloud provider managing the job this would be
# dts_job_id = alicloud_dts_synchronization_job.this.id; the plan reads the
# instance ID (synchronization_job_id) from DTS.
resource "dts_synchronization_job_state" "orders" {
  dts_job_id        = var.orders_dts_job_id
  state             = var.orders_state
  resume_on_destroy = var.orders_resume_on_destroy

  timeouts = {
    create = "2m"
    update = "2m"
  }
}

# Reverse direction of the two-way job, through the legacy family.
resource "dts_synchronization_job_state" "inventory_reverse" {
  provider                  = dts.legacy
  synchronization_job_id    = var.inventory_job_id
  synchronization_direction = "Reverse"
  state                     = var.inventory_reverse_state
  resume_on_destroy         = var.inventory_reverse_resume_on_destroy
  # A resume returns once the target is at most 30 seconds behind.
  max_delay_after_resume = "30s"

  timeouts = {
    create = "2m"
    update = "2m"
    delete = "2m"
  }
}

output "orders_state" {
  description = "State of orders-sync's forward direction as Terraform records it."
  value       = dts_synchronization_job_state.orders.state
}

output "orders_instance_id" {
  description = "Instance ID of orders-sync, read from DTS by its task ID."
  value       = dts_synchronization_job_state.orders.synchronization_job_id
}

output "orders_status" {
  description = "Raw status DTS reported for orders-sync's forward direction."
  value       = dts_synchronization_job_state.orders.status
}

output "orders_pay_type" {
  description = "Billing method of orders-sync."
  value       = dts_synchronization_job_state.orders.pay_type
}

output "orders_suspended_at" {
  description = "When orders-sync's forward direction was paused (null while it runs)."
  value       = dts_synchronization_job_state.orders.suspended_at
}

output "inventory_reverse_status" {
  description = "Raw status DTS reported for inventory-two-way's reverse direction."
  value       = dts_synchronization_job_state.inventory_reverse.status
}
