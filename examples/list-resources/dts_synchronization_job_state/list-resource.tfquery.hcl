# terraform query -generate-config-out=generated.tf writes a resource and an
# import block for every direction found; terraform apply then imports them
# with no change to any job.
list "dts_synchronization_job_state" "orders" {
  provider = dts
  limit    = 100 # the default

  config {
    region_id  = "cn-hangzhou" # default: the provider's region
    name_regex = "^orders-"    # default: every job
  }
}
