# Resume a job paused by hand or by the suspend action, and return once the
# target is at most a minute behind:
#   terraform apply -invoke=action.dts_synchronization_job_resume.billing_reverse
action "dts_synchronization_job_resume" "billing_reverse" {
  config {
    synchronization_job_id    = "dtsexjk1alb116xxxx"
    synchronization_direction = "Reverse"
    region_id                 = "cn-shanghai" # default: the provider's region
    max_delay_after_resume    = "1m"          # default: return once it runs
  }
}
