package provider_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

const summaryCatchUp = "Apply Waits for Replication to Catch Up"

// catchUpConfig declares one direction with max_delay_after_resume.
func catchUpConfig(f *fakedts.Server, jobID, state, extra string) string {
	return acctest.ProviderConfig(f) + fmt.Sprintf(`
resource "dts_synchronization_job_state" "test" {
  synchronization_job_id = %q
  state                  = %q
  max_delay_after_resume = "30s"
%s
}
`, jobID, state, extra)
}

// A resume with max_delay_after_resume: the plan says apply waits, and
// apply returns only once DTS reports the delay at or below the bound,
// whichever unit the maintained family's Delay is in.
func TestAccSynchronizationJobState_resumeWaitsForCatchUp(t *testing.T) {
	t.Parallel()
	for _, unit := range []fakedts.DelayUnit{fakedts.DelayUnitDocumented, fakedts.DelayUnitSeconds, fakedts.DelayUnitMilliseconds} {
		t.Run(string(unit), func(t *testing.T) {
			t.Parallel()
			const jobID = "dtscatchup001"
			f := acctest.NewFake(t, acctest.WithForward(acctest.OneWayJob(jobID, "PrePaid"), "Suspending"))
			b := f.CurrentBehavior()
			b.DelayUnit = unit
			must(t, f.SetBehavior(b))
			cli := acctest.NewCLI(t)
			cli.WriteConfig(catchUpConfig(f, jobID, "Suspended", ""))
			mustRun(t, cli, "apply", "-auto-approve", "-json")

			// About 3 s of catch-up at 20 s/s: long enough that an apply
			// returning at Synchronizing would find it above 30s.
			must(t, f.SetDelay(jobID, "Forward", 90*time.Second))
			must(t, f.SetCatchUpRate(jobID, 20))
			cli.WriteConfig(catchUpConfig(f, jobID, "Synchronizing", ""))
			planned := acctest.CountBySummary(acctest.Diagnostics(mustRun(t, cli, "plan", "-json", "-out=resume.tfplan")))
			if planned[summaryCatchUp] != 1 {
				t.Errorf("the plan that resumes printed %v, want one %q", planned, summaryCatchUp)
			}
			mustRun(t, cli, "apply", "-json", "resume.tfplan")
			// Where Delay is whole seconds (the listing, or every action
			// under "seconds") the fake truncates, so a reported 30 may be
			// up to 30.999 s: the bound holds to the precision DTS reports.
			bound := 30 * time.Second
			if unit != fakedts.DelayUnitMilliseconds {
				bound += time.Second - time.Millisecond
			}
			j, _ := f.Job(jobID)
			if j.Forward.Status != "Synchronizing" || j.Forward.Delay > bound {
				t.Errorf("apply returned with the job %s at delay %s, want Synchronizing at %s or less", j.Forward.Status, j.Forward.Delay, bound)
			}
			if out, err := cli.Run("plan", "-detailed-exitcode", "-no-color"); err != nil {
				t.Errorf("the plan after the resume is not empty: %v\n%s", err, out)
			}
		})
	}
}

// A bound the timeout cannot meet fails apply with what DTS reported and
// how long it would still take; the state records the job as running, so
// the next plan is empty.
func TestAccSynchronizationJobState_catchUpTimeoutLeavesTruthfulState(t *testing.T) {
	t.Parallel()
	const jobID = "dtscatchup002"
	f := acctest.NewFake(t, acctest.WithForward(acctest.OneWayJob(jobID, "PrePaid"), "Suspending"))
	cli := acctest.NewCLI(t)
	timeouts := `  timeouts = { update = "6s" }`
	cli.WriteConfig(catchUpConfig(f, jobID, "Suspended", timeouts))
	mustRun(t, cli, "apply", "-auto-approve", "-json")

	must(t, f.SetDelay(jobID, "Forward", 20*time.Minute))
	must(t, f.SetCatchUpRate(jobID, 2))
	cli.WriteConfig(catchUpConfig(f, jobID, "Synchronizing", timeouts))
	out, err := cli.Run("apply", "-auto-approve", "-no-color")
	if err == nil {
		t.Fatalf("apply succeeded, want the catch-up to time out:\n%s", out)
	}
	text := strings.Join(strings.Fields(out+" "+err.Error()), " ")
	for _, want := range []string{"Replication Did Not Catch Up in Time", "is running: DTS resumed it and reports it Synchronizing",
		"above max_delay_after_resume (30s), when timeouts.update (6s) ran out", "s per second); at that pace it reaches 30s in about"} {
		if !strings.Contains(text, want) {
			t.Errorf("apply's error lacks %q:\n%s", want, text)
		}
	}
	if out, err := cli.Run("plan", "-detailed-exitcode", "-no-color"); err != nil {
		t.Errorf("the plan after the timed-out catch-up is not empty: %v\n%s", err, out)
	}
	if state := mustRun(t, cli, "state", "show", "-no-color", "dts_synchronization_job_state.test"); !strings.Contains(state, `"Synchronizing"`) {
		t.Errorf("the state does not record the job running:\n%s", state)
	}
}

// Without the argument apply returns as soon as the job runs, and a job
// already running is not waited for: the plan says nothing of a catch-up.
func TestAccSynchronizationJobState_noCatchUpWaitWithoutAResume(t *testing.T) {
	t.Parallel()
	const jobID = "dtscatchup003"
	f := acctest.NewFake(t, acctest.WithForward(acctest.OneWayJob(jobID, "PrePaid"), "Synchronizing"))
	must(t, f.SetDelay(jobID, "Forward", 20*time.Minute))
	must(t, f.SetCatchUpRate(jobID, 1))
	cli := acctest.NewCLI(t)
	cli.WriteConfig(catchUpConfig(f, jobID, "Synchronizing", ""))
	planned := acctest.CountBySummary(acctest.Diagnostics(mustRun(t, cli, "plan", "-json", "-out=create.tfplan")))
	if planned[summaryCatchUp] != 0 {
		t.Errorf("a plan that resumes nothing printed %v", planned)
	}
	mustRun(t, cli, "apply", "-json", "create.tfplan")
	if j, _ := f.Job(jobID); j.Forward.Delay < 10*time.Minute {
		t.Errorf("apply waited for a job it did not resume (delay now %s)", j.Forward.Delay)
	}
}
