package provider_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

const summaryPastResumeLimit = "Paused Job Can No Longer Be Resumed"

// A pause that DTS turns into Failed after 7 days (the documented
// behaviour, and the fake's default): refresh, plan and apply say that the
// job can no longer be resumed and why, not merely that it is Failed, and
// apply asks DTS once instead of retrying a refusal that will not change.
func TestAccSynchronizationJobState_resumeLimitFailedMessages(t *testing.T) {
	t.Parallel()
	const jobID = "dtsold000003"
	job := acctest.WithForward(acctest.OneWayJob(jobID, "PrePaid"), "Suspending")
	job.Forward.PausedAt = time.Now().Add(-8 * 24 * time.Hour)
	job.Forward.Checkpoint = job.Forward.PausedAt.Unix()
	f := acctest.NewFake(t, job)
	setLongPause := func(v fakedts.LongPause) {
		b := f.CurrentBehavior()
		b.LongPause = v
		must(t, f.SetBehavior(b))
	}
	// Managed while DTS still showed the pause; then DTS marks it Failed.
	setLongPause(fakedts.LongPauseSuspending)
	cli := acctest.NewCLI(t)
	cli.WriteConfig(cliConfig(f, map[string]string{jobID: "Suspended"}))
	mustRun(t, cli, "apply", "-json", "-auto-approve")
	setLongPause(fakedts.LongPauseFailed)

	// A scheduled plan: the refresh warns, and the plan says that apply cannot
	// pause a Failed job (a warning, so that it cannot block a destroy).
	diags := acctest.Diagnostics(mustRun(t, cli, "plan", "-json"))
	wantDiag(t, diags, "warning", summaryPastResumeLimit, jobID, "reports Failed", "more than 7 days", "reset and reconfigure")
	wantDiag(t, diags, "warning", "Synchronization Job Is Failed", "can no longer be resumed", "more than 7 days",
		"Applying this change fails")
	out, err := cli.Run("apply", "-json", "-auto-approve")
	if err == nil {
		t.Fatal("apply of state = Suspended for a Failed job succeeded")
	}
	wantDiag(t, acctest.Diagnostics(out), "error", "Synchronization Job Is Failed", jobID, "DTS reports status Failed")

	// Resuming: the plan warns, apply fails with the reason after one Start.
	cli.WriteConfig(cliConfig(f, map[string]string{jobID: "Synchronizing"}))
	diags = acctest.Diagnostics(mustRun(t, cli, "plan", "-json"))
	wantDiag(t, diags, "warning", summaryPastResumeLimit, "reports Failed", "refuses to resume", "reset and reconfigure")
	if n := acctest.CountBySummary(diags); n[summaryPastResumeLimit] != 1 || n["Synchronization Job Is Failed"] != 0 {
		t.Errorf("plan diagnostics %v, want the reason once and no generic Failed warning", n)
	}
	out, err = cli.Run("apply", "-json", "-auto-approve")
	if err == nil {
		t.Fatal("apply resumed a job DTS refuses to resume")
	}
	wantDiag(t, acctest.Diagnostics(out), "error", summaryPastResumeLimit, jobID, "reports Failed", "more than 7 days",
		"a Start call is rejected", "RequestId", "reset and reconfigure")
	if n := f.CallCount(acctest.Actions().Start); n != 1 {
		t.Errorf("%s calls = %d, want 1 (a refusal past the limit is not retried)", acctest.Actions().Start, n)
	}
	if n := f.CallCount(acctest.Actions().Suspend); n != 0 {
		t.Errorf("%s calls = %d, want 0", acctest.Actions().Suspend, n)
	}
	// The state says what DTS holds, and keeps when the pause began.
	state := mustRun(t, cli, "state", "show", "-no-color", "dts_synchronization_job_state."+jobID)
	for _, want := range []string{`status\s+= "Failed"`, `suspended_at\s+= "` + job.Forward.PausedAt.UTC().Format(time.RFC3339) + `"`} {
		if !regexp.MustCompile(want).MatchString(state) {
			t.Errorf("state does not match %s:\n%s", want, state)
		}
	}
}

// wantDiag fails unless a diagnostic of severity and summary ("": any) has every text
// in its detail.
func wantDiag(t *testing.T, diags []acctest.Diagnostic, severity, summary string, texts ...string) {
	t.Helper()
	var seen []string
	for _, d := range diags {
		if d.Severity != severity || summary != "" && d.Summary != summary {
			continue
		}
		detail := strings.Join(strings.Fields(d.Detail), " ")
		all := true
		for _, s := range texts {
			all = all && strings.Contains(detail, s)
		}
		if all {
			return
		}
		seen = append(seen, d.Detail)
	}
	t.Errorf("no %s %q saying all of %q; seen %v: %q", severity, summary, texts, acctest.CountBySummary(diags), seen)
}
