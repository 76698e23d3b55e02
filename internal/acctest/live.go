package acctest

import (
	"os"
	"testing"
)

// Environment of the live smoke suite (make testacc).
const (
	EnvLiveJobID     = "DTS_ACC_JOB_ID"
	EnvLiveDirection = "DTS_ACC_DIRECTION"
)

// LivePreCheck skips a test against real Alibaba Cloud DTS unless
// credentials, a region and the ID of a disposable, running job are set.
// The suite pauses and resumes that job.
func LivePreCheck(t *testing.T) {
	t.Helper()
	var missing []string
	for _, env := range [][]string{
		{"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"},
		{"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"},
		{"ALIBABA_CLOUD_REGION", "ALICLOUD_REGION"},
		{EnvLiveJobID},
	} {
		if firstEnv(env...) == "" {
			missing = append(missing, env[0])
		}
	}
	if len(missing) > 0 {
		t.Skipf("live DTS smoke test skipped: set %v (see README, \"Testing against real DTS\")", missing)
	}
	PreCheck(t)
}

// LiveJob is the job, direction and region the live suite acts on.
func LiveJob() (jobID, direction, region string) {
	direction = os.Getenv(EnvLiveDirection)
	if direction == "" {
		direction = "Forward"
	}
	return os.Getenv(EnvLiveJobID), direction, firstEnv("ALIBABA_CLOUD_REGION", "ALICLOUD_REGION")
}

func firstEnv(names ...string) string {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return v
		}
	}
	return ""
}
