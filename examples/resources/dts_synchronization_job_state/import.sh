# The forward direction of a job in the provider's region.
terraform import dts_synchronization_job_state.orders dtsmr1q4mc2152xxxx

# The reverse direction of a two-way job in another region, by task ID.
terraform import dts_synchronization_job_state.orders cn-shanghai/mr1q4mc2152xxxx:Reverse
