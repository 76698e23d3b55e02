package provider_test

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

func resumeBeforeCreateConfig(f *fakedts.Server, jobID, timeout string) string {
	return beforeCreateConfig(acctest.ProviderConfig(f), "resume", fmt.Sprintf("    synchronization_job_id = %q\n    timeout                = %q", jobID, timeout))
}

// A resume that DTS does not finish within timeout fails naming the job, the
// last status and the argument to raise.
func TestAccSynchronizationJobResumeAction_timeout(t *testing.T) {
	t.Parallel()
	const jobID = "dtsactslow001"
	job := acctest.WithForward(acctest.OneWayJob(jobID, fakedts.PayTypePostPaid), "Suspending")
	job.TransitionTime = time.Hour
	f := acctest.NewFake(t, job)

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   acctest.FeatureChecks(acctest.ProviderActions),
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: resumeBeforeCreateConfig(f, jobID, "2s"),
			ExpectError: regexp.MustCompile(`Timed Out Waiting for Synchronization Job[\s\S]*` + jobID +
				`\s+\(Forward\)[\s\S]*Synchronizing\s+within\s+2s[\s\S]*Suspending[\s\S]*raise\s+timeout`),
		}},
	})
	if n := f.CallCount(acctest.Actions().Start); n != 1 {
		t.Errorf("%d StartSynchronizationJob calls, want 1", n)
	}
}

// A timeout that is not a duration is refused at plan time, before any call.
func TestAccSynchronizationJobResumeAction_badTimeout(t *testing.T) {
	t.Parallel()
	const jobID = "dtsactbad001"
	f := acctest.NewFake(t, acctest.OneWayJob(jobID, fakedts.PayTypePostPaid))

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   acctest.FeatureChecks(acctest.ProviderActions),
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      resumeBeforeCreateConfig(f, jobID, "ten minutes"),
			ExpectError: regexp.MustCompile(`timeout[\s\S]*"ten\s+minutes"\s+is\s+not\s+a\s+positive\s+Go\s+duration`),
		}},
	})
	if n := f.CallCount(""); n != 0 {
		t.Errorf("%d API calls, want none", n)
	}
}
