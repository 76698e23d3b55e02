package provider_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// These tests run the Terraform CLI as a user does (acctest.CLI) and count
// the warnings it prints, which terraform-plugin-testing does not expose.

const (
	summaryResumeLimit = "Paused Jobs Can Only Be Resumed for a Limited Time"
	summaryBilling     = "Paused Pay-As-You-Go Job Keeps Billing"
	summaryDestroy     = "Destroy Leaves the Job Paused"
)

func cliConfig(f *fakedts.Server, states map[string]string) string {
	var b strings.Builder
	b.WriteString(acctest.ProviderConfig(f))
	for _, id := range sortedKeys(states) {
		fmt.Fprintf(&b, "\nresource \"dts_synchronization_job_state\" %[1]q {\n  synchronization_job_id = %[1]q\n  state = %[2]q\n}\n", id, states[id])
	}
	return b.String()
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			if keys[j] < keys[i] {
				keys[i], keys[j] = keys[j], keys[i]
			}
		}
	}
	return keys
}

func allIn(jobs []fakedts.Job, state string) map[string]string {
	m := map[string]string{}
	for _, j := range jobs {
		m[j.ID] = state
	}
	return m
}

func mustRun(t *testing.T, cli *acctest.CLI, args ...string) string {
	t.Helper()
	out, err := cli.Run(args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A scheduled plan of 40 PostPaid directions paused moments ago changes
// nothing and needs no warning; before this change it printed one
// resume-limit warning per resource (40).
func TestAccSynchronizationJobState_noOpPlanOf40IsQuiet(t *testing.T) {
	t.Parallel()
	jobs := acctest.ManyJobs("quiet", 40)
	f := acctest.NewFake(t, jobs...)
	cli := acctest.NewCLI(t)
	cli.WriteConfig(cliConfig(f, allIn(jobs, "Suspended")))

	planned := acctest.CountBySummary(acctest.Diagnostics(mustRun(t, cli, "plan", "-json", "-out=pause.tfplan")))
	mustRun(t, cli, "apply", "-json", "pause.tfplan")
	noop := acctest.Diagnostics(mustRun(t, cli, "plan", "-json", "-parallelism=10"))
	t.Logf("plan that pauses 40: %v; no-op plan after it: %d warnings %v", planned, len(noop), acctest.CountBySummary(noop))
	if len(noop) != 0 {
		t.Errorf("the no-op plan of 40 freshly paused resources printed %d warnings, want 0: %v", len(noop), acctest.CountBySummary(noop))
	}
	if planned[summaryBilling] != 40 || planned[summaryResumeLimit] != 40 {
		t.Errorf("the plan that pauses 40 PostPaid jobs warned %v, want each warning once per resource", planned)
	}
}

// A no-op plan still warns when the pause matters: paused for hours, and
// PostPaid.
func TestAccSynchronizationJobState_noOpPlanWarnsOnLongPause(t *testing.T) {
	t.Parallel()
	long := acctest.OneWayJob("dtslongpause01", "PostPaid")
	long.Forward = fakedts.DirectionState{Status: "Suspending", Checkpoint: time.Now().Add(-2 * time.Hour).Unix()}
	f := acctest.NewFake(t, long)
	cli := acctest.NewCLI(t)
	cli.WriteConfig(cliConfig(f, map[string]string{long.ID: "Suspended"}))
	mustRun(t, cli, "apply", "-auto-approve", "-json")

	got := acctest.CountBySummary(acctest.Diagnostics(mustRun(t, cli, "plan", "-json")))
	if got[summaryResumeLimit] != 1 || got[summaryBilling] != 1 {
		t.Errorf("no-op plan of a PostPaid job paused 2h ago warned %v, want the resume limit and billing once each", got)
	}
}

// terraform apply of a saved plan does not repeat the plan's warnings for
// existing resources: each thing is said once.
func TestAccSynchronizationJobState_savedPlanSaysOnce(t *testing.T) {
	t.Parallel()
	jobs := acctest.ManyJobs("saved", 3)
	f := acctest.NewFake(t, jobs...)
	cli := acctest.NewCLI(t)
	cli.WriteConfig(cliConfig(f, allIn(jobs, "Synchronizing")))
	mustRun(t, cli, "apply", "-auto-approve", "-json")

	cli.WriteConfig(cliConfig(f, allIn(jobs, "Suspended")))
	planned := acctest.CountBySummary(acctest.Diagnostics(mustRun(t, cli, "plan", "-json", "-out=pause.tfplan")))
	applied := acctest.CountBySummary(acctest.Diagnostics(mustRun(t, cli, "apply", "-json", "pause.tfplan")))
	t.Logf("plan: %v; apply of the saved plan: %v", planned, applied)
	if planned[summaryBilling] != 3 || planned[summaryResumeLimit] != 3 {
		t.Errorf("the plan that pauses 3 PostPaid jobs warned %v, want billing and resume limit once per resource", planned)
	}
	if applied[summaryBilling] != 0 || applied[summaryResumeLimit] != 0 {
		t.Errorf("apply of the saved plan repeated warnings: %v", applied)
	}
	if err := acctest.FakeStatusIs(f, jobs[0].ID, "Forward", "Suspending"); err != nil {
		t.Error(err)
	}
}

// A paused job whose pause DTS does not date (no checkpoint) is never said
// to be one that "will be paused": not when it is adopted, not by a later
// plan that changes nothing.
func TestAccSynchronizationJobState_resumeLimitForPausedJob(t *testing.T) {
	t.Parallel()
	paused := acctest.WithForward(acctest.OneWayJob("dtsalready002", "PrePaid"), "Suspending")
	noCheckpoint := regexp.MustCompile(`"Checkpoint":"?\d+"?`)
	ip := acctest.NewInterposed(t, func(w http.ResponseWriter, r *http.Request, action string, _ int, next http.Handler) bool {
		if action != acctest.Actions().Describe && action != acctest.Actions().Directions {
			return false
		}
		acctest.Rewrite(w, r, next, func(body []byte) []byte {
			return noCheckpoint.ReplaceAll(body, []byte(`"Checkpoint":""`))
		})
		return true
	}, paused)
	cli := acctest.NewCLI(t)
	cli.WriteConfig(ip.ProviderConfig("") + fmt.Sprintf("\nresource \"dts_synchronization_job_state\" \"test\" {\n  synchronization_job_id = %q\n  state = \"Suspended\"\n}\n", paused.ID))

	check := func(what string, out string) {
		found := false
		for _, d := range acctest.Diagnostics(out) {
			if d.Summary != summaryResumeLimit {
				continue
			}
			found = true
			if strings.Contains(d.Detail, "will be paused") || !strings.Contains(d.Detail, "already paused") {
				t.Errorf("%s: resume-limit warning for a paused job says: %s", what, d.Detail)
			}
		}
		if !found {
			t.Errorf("%s: no resume-limit warning", what)
		}
	}
	check("create plan", mustRun(t, cli, "plan", "-json"))
	mustRun(t, cli, "apply", "-auto-approve", "-json")
	check("no-op plan", mustRun(t, cli, "plan", "-json"))
}

// With resume_on_destroy = false, destroying warns once, in the plan, and
// only for a paused job.
func TestAccSynchronizationJobState_destroyWarnsOnce(t *testing.T) {
	t.Parallel()
	running := acctest.OneWayJob("dtsdestroyrun1", "PrePaid")
	paused := acctest.WithForward(acctest.OneWayJob("dtsdestroypau1", "PrePaid"), "Suspending")
	f := acctest.NewFake(t, running, paused)
	cli := acctest.NewCLI(t)
	cli.WriteConfig(cliConfig(f, map[string]string{running.ID: "Synchronizing", paused.ID: "Suspended"}))
	mustRun(t, cli, "apply", "-auto-approve", "-json")

	diags := acctest.Diagnostics(mustRun(t, cli, "destroy", "-auto-approve", "-json"))
	if len(diags) != 1 || diags[0].Summary != summaryDestroy || diags[0].Address != "dts_synchronization_job_state."+paused.ID {
		t.Errorf("destroying a running and a paused job warned %+v, want one %q for the paused one", diags, summaryDestroy)
	}
	if err := acctest.FakeStatusIs(f, paused.ID, "Forward", "Suspending"); err != nil {
		t.Error(err)
	}
}

// Ctrl-C while apply waits for a pause says that the call may have gone
// through and that terraform plan shows where the job is.
func TestAccSynchronizationJobState_interruptedWait(t *testing.T) {
	t.Parallel()
	slow := acctest.OneWayJob("dtsinterrupt01", "PrePaid")
	slow.TransitionTime = time.Hour
	f := acctest.NewFake(t, slow)
	pendingShowsOldStatus(t, f)
	cli := acctest.NewCLI(t)
	cli.WriteConfig(cliConfig(f, map[string]string{slow.ID: "Suspended"}))

	out, err := cli.RunInterrupted(func() bool { return f.CallCount(acctest.Actions().Suspend) > 0 },
		"apply", "-auto-approve", "-json")
	if err == nil {
		t.Fatalf("interrupted apply succeeded: %s", out)
	}
	var detail string
	for _, d := range acctest.Diagnostics(out) {
		if d.Severity == "error" {
			detail += d.Summary + ": " + d.Detail + "\n"
		}
	}
	for _, want := range []string{"Interrupted While Waiting", "Suspend (SuspendDtsJob or SuspendSynchronizationJob) call may already have gone through", "terraform plan"} {
		if !strings.Contains(detail, want) {
			t.Errorf("the error of an interrupted wait does not say %q:\n%s", want, detail)
		}
	}
}
