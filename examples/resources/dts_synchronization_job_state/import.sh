# The forward direction of a job in the provider's region.
terraform import dts_synchronization_job_state.orders dtsmr1q4mc2152xxxx

# The reverse direction of a two-way synchronization job.
terraform import dts_synchronization_job_state.orders dtsmr1q4mc2152xxxx:Reverse

# A job in another region than the provider's (direction optional, default Forward).
terraform import dts_synchronization_job_state.orders cn-shanghai/dtsmr1q4mc2152xxxx
terraform import dts_synchronization_job_state.orders cn-shanghai/dtsmr1q4mc2152xxxx:Reverse

# The task ID (dts_job_id) works in every form above, e.g. the reverse direction:
terraform import dts_synchronization_job_state.orders cn-shanghai/mr1q4mc2152xxxx:Reverse
