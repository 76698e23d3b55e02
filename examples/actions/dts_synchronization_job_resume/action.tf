# Resume a job paused by hand or by the suspend action:
#   terraform apply -invoke=action.dts_synchronization_job_resume.billing_reverse
action "dts_synchronization_job_resume" "billing_reverse" {
  config {
    synchronization_job_id    = "dtsexjk1alb116xxxx"
    synchronization_direction = "Reverse"
    region_id                 = "cn-shanghai" # default: the provider's region
  }
}
