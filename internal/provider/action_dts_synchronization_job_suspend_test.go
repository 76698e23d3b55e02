package provider_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// migrationConfig is a schema migration (terraform_data) that pauses a job
// before it runs and resumes it after an update, the use case.
func migrationConfig(providerBlock, jobID, version string) string {
	return providerBlock + fmt.Sprintf(`
action "dts_synchronization_job_suspend" "orders" {
  config {
    synchronization_job_id = %[1]q
  }
}

action "dts_synchronization_job_resume" "orders" {
  config {
    synchronization_job_id = %[1]q
    timeout                = "5m"
  }
}

resource "terraform_data" "migration" {
  input = %[2]q

  lifecycle {
    action_trigger {
      events  = [before_create, before_update]
      actions = [action.dts_synchronization_job_suspend.orders]
    }
    action_trigger {
      events  = [after_update]
      actions = [action.dts_synchronization_job_resume.orders]
    }
  }
}
`, jobID, version)
}

const (
	suspendAction = "action.dts_synchronization_job_suspend.orders"
	resumeAction  = "action.dts_synchronization_job_resume.orders"
	migration     = "terraform_data.migration"
)

func TestAccSynchronizationJobActions_triggeredByMigration(t *testing.T) {
	t.Parallel()
	const jobID = "dtsactmig001"
	f := acctest.NewFake(t, acctest.OneWayJob(jobID, fakedts.PayTypePostPaid))

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   acctest.FeatureChecks(acctest.ProviderActions),
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// Creating the migration pauses the job first.
				Config: migrationConfig(acctest.ProviderConfig(f), jobID, "v1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(migration, plancheck.ResourceActionCreate),
						acctest.ExpectActionInvocations(acctest.ActionInvocation{Action: suspendAction, Trigger: migration, Event: "BeforeCreate"}),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					acctest.CheckFakeStatus(f, jobID, "Forward", "Suspending"),
					acctest.CheckCallCount(f, acctest.Actions().Suspend, 1),
					acctest.CheckCallCount(f, acctest.Actions().Start, 0),
				),
			},
			{
				// Updating it: the suspend finds the job paused and calls
				// nothing; the resume after the update starts it again.
				Config: migrationConfig(acctest.ProviderConfig(f), jobID, "v2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(migration, plancheck.ResourceActionUpdate),
						acctest.ExpectActionInvocations(
							acctest.ActionInvocation{Action: suspendAction, Trigger: migration, Event: "BeforeUpdate"},
							acctest.ActionInvocation{Action: resumeAction, Trigger: migration, Event: "AfterUpdate"},
						),
					},
				},
				Check: resource.ComposeTestCheckFunc(
					acctest.CheckFakeStatus(f, jobID, "Forward", "Synchronizing"),
					acctest.CheckCallCount(f, acctest.Actions().Suspend, 1),
					acctest.CheckCallCount(f, acctest.Actions().Start, 1),
				),
			},
		},
	})
}

// A failing action stops the apply before the migration runs, with the
// resource's diagnostics, and changes nothing at DTS.
func TestAccSynchronizationJobSuspendAction_failures(t *testing.T) {
	t.Parallel()
	acctest.SkipUnless(t, acctest.ProviderActions)
	const notStarted = "dtsactnew001"
	f := acctest.NewFake(t, acctest.WithForward(acctest.OneWayJob(notStarted, fakedts.PayTypePostPaid), "NotStarted"))

	for _, tc := range []struct {
		name, jobID string
		want        *regexp.Regexp
	}{
		{
			name: "unknown job", jobID: "dtsactmissing01",
			want: regexp.MustCompile(`Unable to Pause Synchronization Job[\s\S]*dtsactmissing01\s+\(Forward\)\s+in\s+region\s+cn-hangzhou[\s\S]*InstanceNotFound[\s\S]*RequestId[\s\S]*Check\s+synchronization_job_id[\s\S]*region_id`),
		},
		{
			name: "never started", jobID: notStarted,
			want: regexp.MustCompile(`Synchronization Job Is NotStarted[\s\S]*never\s+been\s+started`),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				TerraformVersionChecks:   acctest.FeatureChecks(acctest.ProviderActions),
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      migrationConfig(acctest.ProviderConfig(f), tc.jobID, "v1"),
					ExpectError: tc.want,
				}},
			})
			if n := acctest.DirectionCallCount(f, acctest.Actions().Suspend, "", "Forward"); n != 0 {
				t.Errorf("%d %s calls, want none", n, acctest.Actions().Suspend)
			}
		})
	}
	if err := acctest.FakeStatusIs(f, notStarted, "Forward", "NotStarted"); err != nil {
		t.Error(err)
	}
}

// terraform apply -invoke runs the action on its own: the imperative pause
// before a manual intervention. The harness has no -invoke step.
func TestAccSynchronizationJobSuspendAction_invoke(t *testing.T) {
	t.Parallel()
	cli := acctest.SkipUnless(t, acctest.ProviderActions)
	const jobID = "dtsactinv001"
	f := acctest.NewFake(t, acctest.OneWayJob(jobID, fakedts.PayTypePostPaid))
	w := acctest.NewWorkdir(t, cli)
	w.Write("main.tf", acctest.ExecProviderBlock+acctest.ProviderConfig(f)+fmt.Sprintf(`
action "dts_synchronization_job_suspend" "orders" {
  config {
    synchronization_job_id    = %[1]q
    synchronization_direction = "Forward"
  }
}

action "dts_synchronization_job_resume" "orders" {
  config {
    synchronization_job_id = %[1]q
  }
}
`, jobID))
	w.Must("init")

	out := w.Must("apply", "-auto-approve", "-invoke="+suspendAction)
	for _, want := range []string{
		"orders-" + jobID + " (Forward): Synchronizing, asking DTS to pause it",
		"orders-" + jobID + " (Forward): Synchronizing → Suspending, ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the invoke output does not show %q:\n%s", want, out)
		}
	}
	if err := acctest.FakeStatusIs(f, jobID, "Forward", "Suspending"); err != nil {
		t.Fatal(err)
	}

	// Again: already paused, so no call.
	out = w.Must("apply", "-auto-approve", "-invoke="+suspendAction)
	if !strings.Contains(out, "already Suspending, nothing to do") {
		t.Errorf("the second invoke does not say it had nothing to do:\n%s", out)
	}
	if n := f.CallCount(acctest.Actions().Suspend); n != 1 {
		t.Errorf("%d SuspendSynchronizationJob calls after two invokes, want 1", n)
	}

	w.Must("apply", "-auto-approve", "-invoke="+resumeAction)
	if err := acctest.FakeStatusIs(f, jobID, "Forward", "Synchronizing"); err != nil {
		t.Error(err)
	}
	// An invoke manages nothing: no state lists a resource.
	if out, _ := w.Run("state", "list"); strings.Contains(out, "dts_") {
		t.Errorf("terraform state list after invokes: %q, want nothing", out)
	}
}
