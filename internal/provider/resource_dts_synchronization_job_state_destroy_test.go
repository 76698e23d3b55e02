package provider_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
)

// terraform destroy first refreshes and plans every resource in normal mode,
// so a plan-time error about the remote job would end the destroy. A job DTS
// deleted and one it locked must not block it: destroy exits 0, the state is
// empty, and resume_on_destroy still resumes the healthy paused job.
func TestAccSynchronizationJobState_destroyGoneAndLocked(t *testing.T) {
	t.Parallel()
	const gone, locked, paused = "dtsdstrgone1", "dtsdstrlock1", "dtsdstrpaus1"
	f := acctest.NewFake(t, acctest.OneWayJob(gone, "PostPaid"), acctest.OneWayJob(locked, "PrePaid"),
		acctest.OneWayJob(paused, "PrePaid"))
	cli := acctest.NewCLI(t)
	cli.WriteConfig(cliConfig(f, map[string]string{gone: "Synchronizing", locked: "Synchronizing"}) + fmt.Sprintf(`
resource "dts_synchronization_job_state" "resumed" {
  synchronization_job_id = %q
  state                  = "Suspended"
  resume_on_destroy      = true
}
`, paused))
	mustRun(t, cli, "apply", "-json", "-auto-approve")
	must(t, acctest.FakeStatusIs(f, paused, "Forward", "Suspending"))

	must(t, f.DeleteJob(gone))
	must(t, f.SetStatus(locked, "Forward", "Locked"))
	f.ResetCalls()
	// A plan says why; terraform destroy drops the warnings of its refresh plan.
	out, err := cli.Run("plan", "-json")
	if err != nil {
		t.Fatalf("plan with a deleted and a locked job failed: %v", err)
	}
	diags := acctest.Diagnostics(out)
	wantDiag(t, diags, "warning", "Synchronization Job Not Found", gone, "removed from the Terraform state")
	wantDiag(t, diags, "warning", "Synchronization Job Not Found", gone, "Applying this change fails", "terraform destroy")
	if acctest.Actions() == acctest.Maintained {
		wantDiag(t, diags, "warning", "Synchronization Job Is Locked", locked, "Cannot move", "arrears", "Applying this change fails")
	} else {
		// The legacy family reports a locked job as Failed.
		wantDiag(t, diags, "warning", "Synchronization Job Is Failed", locked)
	}
	out, err = cli.Run("destroy", "-json", "-auto-approve")
	if err != nil {
		t.Fatalf("destroy with a deleted and a locked job failed: %v", err)
	}
	for _, d := range append(diags, acctest.Diagnostics(out)...) {
		if d.Severity == "error" {
			t.Errorf("destroy printed an error: %s: %s", d.Summary, d.Detail)
		}
	}
	if left := strings.TrimSpace(mustRun(t, cli, "state", "list")); left != "" {
		t.Errorf("state after destroy holds %q, want nothing", left)
	}
	must(t, acctest.FakeStatusIs(f, paused, "Forward", "Synchronizing"))
	must(t, acctest.FakeStatusIs(f, locked, "Forward", "Locked"))
	if n := acctest.DirectionCallCount(f, acctest.Actions().Start, locked, "Forward") +
		acctest.DirectionCallCount(f, acctest.Actions().Suspend, locked, "Forward"); n != 0 {
		t.Errorf("destroy sent %d Suspend/Start calls for the locked job, want 0", n)
	}
}
