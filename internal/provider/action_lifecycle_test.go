package provider_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// The acceptance tests of Terraform 1.16's action features, each on the
// configuration of its example under examples/actions. The harness has no
// destroy-trigger checks, so they run the CLI themselves.

// feedsConfig is examples/actions/dts_synchronization_job_resume/caller-for-each.tf
// with the feeds given: every feed paused, one resume action serving them
// all through caller on before_destroy.
func feedsConfig(f *fakedts.Server, feeds map[string]string) string {
	var m strings.Builder
	for k, id := range feeds {
		fmt.Fprintf(&m, "    %s = %q\n", k, id)
	}
	return acctest.ExecProviderBlock + acctest.ProviderConfig(f) + fmt.Sprintf(`
variable "feeds" {
  type = map(string)
  default = {
%s  }
}

resource "dts_synchronization_job_state" "feeds" {
  for_each = var.feeds

  synchronization_job_id = each.value
  state                  = "Suspended"

  lifecycle {
    action_trigger {
      events  = [before_destroy]
      actions = [action.dts_synchronization_job_resume.feed]
    }
  }
}

action "dts_synchronization_job_resume" "feed" {
  config {
    synchronization_job_id    = caller.synchronization_job_id
    synchronization_direction = caller.synchronization_direction
    region_id                 = caller.region_id
  }
}
`, m.String())
}

// wantStarts checks the Start calls each job received.
func wantStarts(t *testing.T, f *fakedts.Server, want map[string]int) {
	t.Helper()
	for id, n := range want {
		if got := acctest.DirectionCallCount(f, acctest.Actions().Start, id, "Forward"); got != n {
			t.Errorf("%s: %d %s calls, want %d", id, got, acctest.Actions().Start, n)
		}
	}
}

// wantEmptyState checks that the working directory's state holds no resource.
func wantEmptyState(t *testing.T, w *acctest.Workdir) {
	t.Helper()
	var st struct {
		Resources []struct{ Type, Name string } `json:"resources"`
	}
	if err := json.Unmarshal([]byte(w.Read("terraform.tfstate")), &st); err != nil {
		t.Fatal(err)
	}
	if len(st.Resources) != 0 {
		t.Errorf("the state still holds %v, want no resource", st.Resources)
	}
}

// One action block serves a for_each through caller: destroying one
// instance (its key removed) resumes that job only, and terraform destroy
// resumes the rest, each once.
func TestAccSynchronizationJobResumeAction_callerForEach(t *testing.T) {
	t.Parallel()
	cli := acctest.SkipUnless(t, acctest.ActionLifecycle)
	const orders, payments, audit = "dtscallerord01", "dtscallerpay01", "dtscalleraud01"
	f := acctest.NewFake(t, acctest.OneWayJob(orders, fakedts.PayTypePostPaid),
		acctest.OneWayJob(payments, fakedts.PayTypePostPaid), acctest.OneWayJob(audit, fakedts.PayTypePostPaid))
	w := acctest.NewWorkdir(t, cli)
	w.Write("main.tf", feedsConfig(f, map[string]string{"orders": orders, "payments": payments, "audit": audit}))
	w.Must("init")
	w.Must("apply", "-auto-approve")
	for _, id := range []string{orders, payments, audit} {
		if err := acctest.FakeStatusIs(f, id, "Forward", "Suspending"); err != nil {
			t.Fatal(err)
		}
	}
	wantStarts(t, f, map[string]int{orders: 0, payments: 0, audit: 0})

	// payments leaves the migration: its job alone is resumed, by the action.
	w.Write("main.tf", feedsConfig(f, map[string]string{"orders": orders, "audit": audit}))
	out := w.Must("apply", "-auto-approve")
	if !regexp.MustCompile(`action\.dts_synchronization_job_resume\.feed[\s\S]*dts_synchronization_job_state\.feeds\["payments"\]`).MatchString(out) {
		t.Errorf("the apply does not show the resume action triggered by feeds[\"payments\"]:\n%s", out)
	}
	if err := acctest.FakeStatusIs(f, payments, "Forward", "Synchronizing"); err != nil {
		t.Error(err)
	}
	for _, id := range []string{orders, audit} {
		if err := acctest.FakeStatusIs(f, id, "Forward", "Suspending"); err != nil {
			t.Error(err)
		}
	}
	wantStarts(t, f, map[string]int{orders: 0, payments: 1, audit: 0})

	w.Must("destroy", "-auto-approve")
	for _, id := range []string{orders, payments, audit} {
		if err := acctest.FakeStatusIs(f, id, "Forward", "Synchronizing"); err != nil {
			t.Error(err)
		}
	}
	wantStarts(t, f, map[string]int{orders: 1, payments: 1, audit: 1})
	wantEmptyState(t, w)
}

// A before_destroy trigger resumes the job when the resource that keeps it
// paused is destroyed (resume_on_destroy is false); lifecycle { destroy =
// false } stops managing a job with no call at all, and no destroy action.
func TestAccSynchronizationJobResumeAction_beforeDestroy(t *testing.T) {
	t.Parallel()
	cli := acctest.SkipUnless(t, acctest.ActionLifecycle)
	const orders, kept = "dtsbdorders01", "dtsbdkept01"
	f := acctest.NewFake(t, acctest.OneWayJob(orders, fakedts.PayTypePostPaid), acctest.OneWayJob(kept, fakedts.PayTypePostPaid))
	w := acctest.NewWorkdir(t, cli)
	w.Write("main.tf", acctest.ExecProviderBlock+acctest.ProviderConfig(f)+fmt.Sprintf(`
resource "dts_synchronization_job_state" "orders" {
  synchronization_job_id = %[1]q
  state                  = "Suspended"

  lifecycle {
    action_trigger {
      events  = [before_destroy]
      actions = [action.dts_synchronization_job_resume.orders]
    }
  }
}

action "dts_synchronization_job_resume" "orders" {
  config {
    synchronization_job_id = caller.synchronization_job_id
  }
}

resource "dts_synchronization_job_state" "kept" {
  synchronization_job_id = %[2]q
  state                  = "Suspended"

  lifecycle {
    destroy = false
  }
}
`, orders, kept))
	w.Must("init")
	w.Must("apply", "-auto-approve")
	for _, id := range []string{orders, kept} {
		if err := acctest.FakeStatusIs(f, id, "Forward", "Suspending"); err != nil {
			t.Fatal(err)
		}
	}
	out := w.Must("destroy", "-auto-approve")
	if err := acctest.FakeStatusIs(f, orders, "Forward", "Synchronizing"); err != nil {
		t.Error(err)
	}
	if err := acctest.FakeStatusIs(f, kept, "Forward", "Suspending"); err != nil {
		t.Errorf("destroy = false: %v", err)
	}
	wantStarts(t, f, map[string]int{orders: 1, kept: 0})
	if n := acctest.DirectionCallCount(f, acctest.Actions().Suspend, kept, "Forward"); n != 1 {
		t.Errorf("%s: %d %s calls, want only the apply's", kept, n, acctest.Actions().Suspend)
	}
	wantEmptyState(t, w)
	if t.Failed() {
		t.Logf("terraform destroy:\n%s", out)
	}
}

// on_failure = continue on a trigger whose job is gone: the apply goes on
// (the migration is updated), and the warning names the job and what DTS
// answered.
func TestAccSynchronizationJobSuspendAction_onFailureContinue(t *testing.T) {
	t.Parallel()
	cli := acctest.SkipUnless(t, acctest.ActionLifecycle)
	const jobID = "dtscontinue01"
	f := acctest.NewFake(t, acctest.OneWayJob(jobID, fakedts.PayTypePostPaid))
	w := acctest.NewWorkdir(t, cli)
	config := func(version string) string {
		return acctest.ExecProviderBlock + acctest.ProviderConfig(f) + fmt.Sprintf(`
action "dts_synchronization_job_suspend" "reporting" {
  config {
    synchronization_job_id = %[1]q
  }
}

resource "terraform_data" "reporting_schema_migration" {
  input = %[2]q

  lifecycle {
    action_trigger {
      events     = [before_create, before_update]
      actions    = [action.dts_synchronization_job_suspend.reporting]
      on_failure = continue
    }
  }
}

output "migration" {
  value = terraform_data.reporting_schema_migration.output
}
`, jobID, version)
	}
	w.Write("main.tf", config("v1"))
	w.Must("init")
	w.Must("apply", "-auto-approve")
	if err := acctest.FakeStatusIs(f, jobID, "Forward", "Suspending"); err != nil {
		t.Fatal(err)
	}

	if err := f.DeleteJob(jobID); err != nil {
		t.Fatal(err)
	}
	w.Write("main.tf", config("v2"))
	out, code := w.Run("apply", "-auto-approve")
	if code != 0 {
		t.Fatalf("apply with the job gone exited %d, want 0 (on_failure = continue):\n%s", code, out)
	}
	if !strings.Contains(out, "Resources: 0 added, 1 changed, 0 destroyed") {
		t.Errorf("the migration was not updated:\n%s", out)
	}
	if !regexp.MustCompile(`Warning: Unable to Pause Synchronization Job[\s\S]*` + jobID + `[\s\S]*(?i:not ?found)`).MatchString(out) {
		t.Errorf("the apply does not warn that the job is gone, naming it and DTS's answer:\n%s", out)
	}
	if got := strings.TrimSpace(w.Must("output", "-raw", "migration")); got != "v2" {
		t.Errorf("migration output = %q, want v2", got)
	}
}
