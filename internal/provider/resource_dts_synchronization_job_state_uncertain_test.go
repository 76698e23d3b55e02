package provider_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// Rows of the fault matrix for a pause or resume whose outcome is uncertain:
// DTS may have carried the call out, but its answer did not say so. The
// provider never sends such a call again blindly; it reads the job and sends
// it again only when the read shows it did not take. Each test sets a short
// create timeout, so a provider that waits for a change that never comes
// fails it.

func uncertainConfig(providerBlock, jobID, state string) string {
	return providerBlock + fmt.Sprintf(`
resource "dts_synchronization_job_state" "test" {
  synchronization_job_id = %[1]q
  state                  = %[2]q
  timeouts               = { create = "20s" }
}
`, jobID, state)
}

// The Suspend runs but its answer is cut short: the provider does not send
// it again (DTS's answer to a repeat is undocumented); its read shows the
// pause.
func TestAccSynchronizationJobState_uncertainSuspendTookIsNotRepeated(t *testing.T) {
	t.Parallel()
	const jobID = "dtsuncert001"
	f := acctest.NewFake(t, acctest.OneWayJob(jobID, "PostPaid"))
	step := convergesStep(f, uncertainConfig(acctest.ProviderConfig(f), jobID, "Suspended"), jobID)
	step.PreConfig = func() { must(t, f.QueueFault(acctest.Actions().Suspend, fakedts.FaultTruncateBody, 1)) }
	step.Check = resource.ComposeTestCheckFunc(step.Check, acctest.CheckCallCount(f, acctest.Actions().Suspend, 1))
	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{step},
	})
}

// A proxy answers the Suspend with HTTP 200 and a body of null, without
// passing it on: that is no accepted pause. The read shows the job still
// running, so the provider sends the Suspend again, and the pause is reached.
func TestAccSynchronizationJobState_nullAnswerToSuspend(t *testing.T) {
	t.Parallel()
	const jobID = "dtsnullans01"
	ip := acctest.NewInterposed(t, func(w http.ResponseWriter, _ *http.Request, action string, n int, _ http.Handler) bool {
		if action != acctest.Actions().Suspend || n > 0 {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`null`))
		return true
	}, acctest.OneWayJob(jobID, "PostPaid"))
	step := convergesStep(ip.Fake, uncertainConfig(ip.ProviderConfig(""), jobID, "Suspended"), jobID)
	step.Check = resource.ComposeTestCheckFunc(step.Check, acctest.CheckCallCount(ip.Fake, acctest.Actions().Suspend, 1))
	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{step},
	})
}

// The first Suspend gets a 503 and does not run; the next is refused for the
// job's status (DTS briefly shows the job Modifying), and every read shows
// it running. The provider sends the Suspend again instead of waiting for a
// pause nobody asked for until the timeout.
func TestAccSynchronizationJobState_refusalAfterUncertainSuspend(t *testing.T) {
	t.Parallel()
	const jobID = "dtsrefused01"
	ip := acctest.NewInterposed(t, func(w http.ResponseWriter, _ *http.Request, action string, n int, _ http.Handler) bool {
		if action != acctest.Actions().Suspend || n > 1 {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		if n == 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"RequestId":"503-0001","Code":"ServiceUnavailable","Message":"The request has failed due to a temporary failure of the server."}`))
			return true
		}
		_, _ = w.Write([]byte(`{"RequestId":"409-0001","Success":"false","ErrCode":"InvalidJobStatus","ErrMessage":"The job is Modifying."}`))
		return true
	}, acctest.OneWayJob(jobID, "PostPaid"))
	step := convergesStep(ip.Fake, uncertainConfig(ip.ProviderConfig(""), jobID, "Suspended"), jobID)
	step.Check = resource.ComposeTestCheckFunc(step.Check, acctest.CheckCallCount(ip.Fake, acctest.Actions().Suspend, 1))
	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{step},
	})
}

// A Failed job whose checkpoint is 8 days old is restarted: DTS runs the
// Start but its answer is a 503. That is not the 7-day resume limit: the
// read after it shows the job running, and apply succeeds after one Start.
func TestAccSynchronizationJobState_uncertainStartOfOldJob(t *testing.T) {
	t.Parallel()
	const jobID = "dtsoldstart1"
	job := acctest.WithForward(acctest.OneWayJob(jobID, "PostPaid"), "Failed")
	job.Forward.Checkpoint = time.Now().Add(-8 * 24 * time.Hour).Unix()
	ip := acctest.NewInterposed(t, func(w http.ResponseWriter, r *http.Request, action string, n int, next http.Handler) bool {
		if action != acctest.Actions().Start || n > 0 {
			return false
		}
		next.ServeHTTP(httptest.NewRecorder(), r) // DTS runs it; the answer is lost
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"RequestId":"503-0002","Code":"ServiceUnavailable","Message":"The request has failed due to a temporary failure of the server."}`))
		return true
	}, job)
	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: uncertainConfig(ip.ProviderConfig(""), jobID, "Synchronizing"),
			Check: resource.ComposeTestCheckFunc(
				acctest.CheckFakeStatus(ip.Fake, jobID, "Forward", "Synchronizing"),
				resource.TestCheckResourceAttr(resName, "status", "Synchronizing"),
				acctest.CheckCallCount(ip.Fake, acctest.Actions().Start, 1),
			),
		}},
	})
}
