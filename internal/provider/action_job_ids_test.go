package provider_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// The actions name a job as the resource does: by synchronization_job_id,
// dts_job_id or both.

// beforeCreateConfig is an action of type kind (suspend or resume) with the
// given config arguments, fired before a terraform_data is created.
func beforeCreateConfig(providerBlock, kind, args string) string {
	return providerBlock + fmt.Sprintf(`
action "dts_synchronization_job_%[1]s" "orders" {
  config {
%[2]s
  }
}

resource "terraform_data" "migration" {
  input = "v1"

  lifecycle {
    action_trigger {
      events  = [before_create]
      actions = [action.dts_synchronization_job_%[1]s.orders]
    }
  }
}
`, kind, args)
}

// suspendBeforeCreateConfig is a suspend action with the given ID arguments,
// fired before a terraform_data is created.
func suspendBeforeCreateConfig(providerBlock, idArgs string) string {
	return beforeCreateConfig(providerBlock, "suspend", idArgs)
}

// Given only dts_job_id, the suspend action pauses that job and no other.
func TestAccSynchronizationJobSuspendAction_dtsJobID(t *testing.T) {
	t.Parallel()
	const taskID, otherTaskID = "l3m1213ye7lxa01", "l3m1213ye7lxa02"
	job, other := taskJob(taskID), taskJob(otherTaskID)
	f := acctest.NewFake(t, job, other)
	config := suspendBeforeCreateConfig(acctest.ProviderConfig(f), fmt.Sprintf("    dts_job_id = %q", taskID))
	if acctest.API() == "synchronization_job" {
		resource.UnitTest(t, resource.TestCase{
			PreCheck:                 func() { acctest.PreCheck(t) },
			TerraformVersionChecks:   acctest.FeatureChecks(acctest.ProviderActions),
			ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)Task ID Needs the Maintained DTS API.*dts_job_id\s+=\s+"` + taskID + `"`),
			}},
		})
		if n := f.CallCount(""); n != 0 {
			t.Errorf("a task ID under api = synchronization_job reached the API: %d calls", n)
		}
		return
	}
	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   acctest.FeatureChecks(acctest.ProviderActions),
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			Check: resource.ComposeTestCheckFunc(
				acctest.CheckFakeStatus(f, job.ID, "Forward", "Suspending"),
				acctest.CheckFakeStatus(f, other.ID, "Forward", "Synchronizing"),
				acctest.CheckCallCount(f, acctest.Actions().Suspend, 1),
				acctest.CheckDirectionCalled(f, acctest.Actions().Suspend, job.ID, "Forward", true),
				acctest.CheckCallCount(f, acctest.Actions().Start, 0),
			),
		}},
	})
}

// terraform apply -invoke by dts_job_id on a Reverse direction: the
// progress names the job, and only that direction pauses.
func TestAccSynchronizationJobSuspendAction_invokeDtsJobIDReverse(t *testing.T) {
	t.Parallel()
	if acctest.API() == "synchronization_job" {
		t.Skip("a task ID alone needs the maintained family; TestAccSynchronizationJobSuspendAction_dtsJobID covers the refusal")
	}
	cli := acctest.SkipUnless(t, acctest.ProviderActions)
	const taskID = "l3m1213ye7lxa03"
	job := acctest.TwoWayJob("dts"+taskID, fakedts.PayTypePrePaid)
	f := acctest.NewFake(t, job)
	w := acctest.NewWorkdir(t, cli)
	w.Write("main.tf", acctest.ExecProviderBlock+acctest.ProviderConfig(f)+fmt.Sprintf(`
action "dts_synchronization_job_suspend" "orders" {
  config {
    dts_job_id                = %q
    synchronization_direction = "Reverse"
  }
}
`, taskID))
	w.Must("init")

	out := w.Must("apply", "-auto-approve", "-invoke="+suspendAction)
	for _, want := range []string{
		job.Name + " (Reverse): Synchronizing, asking DTS to pause it",
		job.Name + " (Reverse): Synchronizing → Suspending, ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the invoke output does not show %q:\n%s", want, out)
		}
	}
	if err := acctest.FakeStatusIs(f, job.ID, "Reverse", "Suspending"); err != nil {
		t.Error(err)
	}
	if err := acctest.FakeStatusIs(f, job.ID, "Forward", "Synchronizing"); err != nil {
		t.Error(err)
	}
	if n := acctest.DirectionCallCount(f, acctest.Actions().Suspend, job.ID, "Forward"); n != 0 {
		t.Errorf("%d %s calls for Forward, want none", n, acctest.Actions().Suspend)
	}
}

// IDs of two different jobs fail before any pause, naming both; no ID at all
// fails the plan before any call.
func TestAccSynchronizationJobSuspendAction_badIDs(t *testing.T) {
	t.Parallel()
	const taskA, taskB = "l3m1213ye7lxa04", "l3m1213ye7lxa05"
	f := acctest.NewFake(t, taskJob(taskA), taskJob(taskB))
	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   acctest.FeatureChecks(acctest.ProviderActions),
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      suspendBeforeCreateConfig(acctest.ProviderConfig(f), `    synchronization_direction = "Forward"`),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Missing Attribute Configuration.*At\s+least\s+one.*\[synchronization_job_id,dts_job_id\]`),
		}},
	})
	if n := f.CallCount(""); n != 0 {
		t.Errorf("an action with no job ID reached the API: %d calls", n)
	}

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   acctest.FeatureChecks(acctest.ProviderActions),
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: suspendBeforeCreateConfig(acctest.ProviderConfig(f),
				fmt.Sprintf("    synchronization_job_id = %q\n    dts_job_id = %q", "dts"+taskA, taskB)),
			ExpectError: regexp.MustCompile(`(?s)Job IDs Name Different Jobs.*synchronization_job_id\s+=\s+"dts` + taskA +
				`".*dts_job_id\s+=\s+"` + taskB + `"`),
		}},
	})
	if n := f.CallCount(acctest.Actions().Suspend) + f.CallCount(acctest.Actions().Start); n != 0 {
		t.Errorf("a mismatch changed a job: %d Suspend/Start calls", n)
	}
	for _, id := range []string{"dts" + taskA, "dts" + taskB} {
		if err := acctest.FakeStatusIs(f, id, "Forward", "Synchronizing"); err != nil {
			t.Error(err)
		}
	}
}

// Under api = "synchronization_job" a task ID alone is refused at plan
// time, with the resource's message, before any call.
func TestAccSynchronizationJobResumeAction_dtsJobIDNeedsMaintainedAPI(t *testing.T) {
	t.Parallel()
	const taskID = "l3m1213ye7lxa06"
	f := acctest.NewFake(t, acctest.WithForward(taskJob(taskID), "Suspending"))
	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   acctest.FeatureChecks(acctest.ProviderActions),
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: beforeCreateConfig(acctest.ProviderConfigWith(f, `  api = "synchronization_job"`), "resume",
				fmt.Sprintf("    dts_job_id = %q", taskID)),
			PlanOnly: true,
			ExpectError: regexp.MustCompile(`(?s)Task ID Needs the Maintained DTS API.*dts_job_id\s+=\s+"` + taskID +
				`".*api\s+=\s+"synchronization_job".*Set\s+synchronization_job_id`),
		}},
	})
	if n := f.CallCount(""); n != 0 {
		t.Errorf("a task ID under api = synchronization_job reached the API: %d calls", n)
	}
}
