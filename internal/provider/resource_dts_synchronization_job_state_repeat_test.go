package provider_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// B4: a DTS that rejects a repeated Suspend or Start while the change is
// pending (profile repeat-rejected). The first call goes through but its
// answer is slower than request_timeout, so it may have run: the client
// does not repeat it, and apply reads the job. The reads show the old status
// while the change is pending, so apply sends the call again, and DTS
// rejects it for the job's status; apply sends it again only after a read,
// at growing intervals, until a read shows the change. It marks
// suspended_at as estimated, since it cannot tell which call paused the job.
func TestAccSynchronizationJobState_repeatRejectedAfterLostAnswer(t *testing.T) {
	t.Parallel()
	rows := map[string]struct {
		from, desired, action, wantStatus string
		estimated                         knownvalue.Check
	}{
		"pause":  {"Synchronizing", "Suspended", acctest.Actions().Suspend, "Suspending", knownvalue.Bool(true)},
		"resume": {"Suspending", "Synchronizing", acctest.Actions().Start, "Synchronizing", knownvalue.Null()},
	}
	for name, row := range rows {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			jobID := "dtsrepeat" + name[:3]
			job := acctest.WithForward(acctest.OneWayJob(jobID, "PrePaid"), row.from)
			// Slower than the retries, so the job still reads row.from when
			// the retry is rejected and on the polls after it.
			job.TransitionTime = 8 * time.Second
			ip := acctest.NewInterposed(t, func(w http.ResponseWriter, r *http.Request, action string, n int, next http.Handler) bool {
				if action != row.action || n > 0 {
					return false
				}
				rec := httptest.NewRecorder()
				next.ServeHTTP(rec, r)
				time.Sleep(2500 * time.Millisecond)
				w.WriteHeader(rec.Code)
				_, _ = w.Write(rec.Body.Bytes())
				return true
			}, job)
			b := ip.Fake.CurrentBehavior()
			b.RejectRepeatedChange = true
			// The repeats happen only while reads show the old status, which
			// a DTS that reports the target at once (profile eager) never does.
			b.PendingStatus = fakedts.PendingStatusOld
			must(t, ip.Fake.SetBehavior(b))
			config := ip.ProviderConfig(`request_timeout = "1s"`) + fmt.Sprintf(`
resource "dts_synchronization_job_state" "test" {
  synchronization_job_id = %[1]q
  state                  = %[2]q
}
`, jobID, row.desired)

			resource.UnitTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: config,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						stateIs("status", knownvalue.StringExact(row.wantStatus)),
						stateIs("suspended_at_estimated", row.estimated),
					},
					Check: resource.ComposeTestCheckFunc(
						acctest.CheckFakeStatus(ip.Fake, jobID, "Forward", row.wantStatus),
						checkRepeatsAfterReads(ip.Fake, row.action),
					),
				}},
			})
		})
	}
}

// checkRepeatsAfterReads checks that action was sent again only after a
// read, and not on every read: the lost call, then few refused repeats over
// the 8 s transition.
func checkRepeatsAfterReads(f *fakedts.Server, action string) func(*terraform.State) error {
	return func(*terraform.State) error {
		var seq []string
		for _, c := range f.Calls() {
			if c.Action == action || strings.HasPrefix(c.Action, "Describe") {
				seq = append(seq, c.Action)
			}
		}
		n := 0
		for i, a := range seq {
			if a != action {
				continue
			}
			if n++; i > 0 && seq[i-1] == action {
				return fmt.Errorf("%s sent twice with no read between: %v", action, seq)
			}
		}
		if n < 2 || n > 5 {
			return fmt.Errorf("%d %s calls, want 2 to 5 (the lost one, then repeats at growing intervals): %v", n, action, seq)
		}
		return nil
	}
}

// pendingShowsOldStatus makes the fake report the old status while a change
// is pending, whatever the profile: the test is about a transition that a
// client sees taking its time, which a DTS reporting the target at once
// (profile eager) never shows.
func pendingShowsOldStatus(t *testing.T, f *fakedts.Server) {
	t.Helper()
	b := f.CurrentBehavior()
	b.PendingStatus = fakedts.PendingStatusOld
	must(t, f.SetBehavior(b))
}
