terraform {
  required_providers {
    dts = {
      source = "dts-provider/dts"
    }
  }
}

# Credentials from the environment (recommended): set
#   ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET
#   (and ALIBABA_CLOUD_SECURITY_TOKEN for STS credentials)
# or the ALICLOUD_* names of the official alicloud provider. The region may
# come from ALIBABA_CLOUD_REGION as well.
provider "dts" {
  region = "cn-hangzhou"
  # Which DTS actions act on jobs: "auto" (the default) uses the maintained
  # DtsJob actions and falls back to the legacy SynchronizationJob ones for a
  # job the maintained ones do not know; "dts_job" or "synchronization_job"
  # pin one family.
  # api = "auto"
}

# A profile of the aliyun CLI configuration (~/.aliyun/config.json).
# provider "dts" {
#   region  = "cn-shanghai"
#   profile = "maintenance"
#   # shared_credentials_file = "/home/ops/.aliyun/config.json"
# }

# Act as a RAM role, using whichever credentials the provider finds.
# provider "dts" {
#   region = "cn-hangzhou"
#   assume_role {
#     role_arn           = "acs:ram::123456789012****:role/dts-operator"
#     session_name       = "terraform-maintenance"
#     session_expiration = 3600
#   }
# }

# The fake DTS endpoint (go run ./internal/cmd/fakedts), for testing modules
# offline. Use the URL and keys from the JSON line it prints.
# provider "dts" {
#   region     = "cn-hangzhou"
#   endpoint   = "http://127.0.0.1:PORT"
#   access_key = "ACCESS_KEY_ID_FROM_FAKEDTS"
#   secret_key = "ACCESS_KEY_SECRET_FROM_FAKEDTS"
# }
