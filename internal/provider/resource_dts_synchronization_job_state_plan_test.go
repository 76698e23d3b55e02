package provider_test

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// B1: a create whose pause outlasts timeouts.create saves nothing, so the
// next apply adopts the (now paused) job: a create, not a replacement whose
// destroy would resume the job in the middle of the maintenance window.
func TestAccSynchronizationJobState_failedCreateIsAdopted(t *testing.T) {
	t.Parallel()
	const jobID = "dtsslowpause01"
	job := acctest.OneWayJob(jobID, "PostPaid")
	job.TransitionTime = time.Hour
	f := acctest.NewFake(t, job)
	pendingShowsOldStatus(t, f)
	config := acctest.ProviderConfig(f) + fmt.Sprintf(`
resource "dts_synchronization_job_state" "test" {
  synchronization_job_id = %[1]q
  state                  = "Suspended"
  resume_on_destroy      = true
  timeouts = { create = "2s" }
}
`, jobID)

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)Timed Out Waiting for Synchronization Job.*Nothing was saved`),
				Check:       acctest.CheckCallCount(f, acctest.Actions().Suspend, 1),
			},
			{
				// DTS finishes the pause it accepted (and later transitions,
				// such as the resume of the final destroy, are quick).
				PreConfig: func() {
					if err := f.SetStatus(jobID, "Forward", "Suspending"); err != nil {
						t.Fatal(err)
					}
					if err := f.SetTransitionTime(jobID, 0); err != nil {
						t.Fatal(err)
					}
					f.ResetCalls()
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(resName, plancheck.ResourceActionCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{stateIs("status", knownvalue.StringExact("Suspending"))},
				Check: resource.ComposeTestCheckFunc(
					acctest.CheckCallCount(f, acctest.Actions().Start, 0),
					acctest.CheckCallCount(f, acctest.Actions().Suspend, 0),
					acctest.CheckFakeStatus(f, jobID, "Forward", "Suspending"),
				),
			},
		},
	})
}

// B2: a job renamed in the console while its status stays the same (so the
// batched refresh keeps the old name) is paused without an inconsistent
// result: the plan leaves job_name unknown, and apply writes the new name.
func TestAccSynchronizationJobState_renamedInConsole(t *testing.T) {
	t.Parallel()
	const jobID = "dtsrenamed001"
	f := acctest.NewFake(t, acctest.OneWayJob(jobID, "PostPaid"))

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: testAccSynchronizationJobStateConfig_basic(f, jobID, "Synchronizing")},
			{
				PreConfig: func() { renameFakeJob(t, f, jobID, "orders-renamed") },
				Config:    testAccSynchronizationJobStateConfig_basic(f, jobID, "Suspended"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(resName, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(resName, tfjsonpath.New("job_name")),
						plancheck.ExpectUnknownValue(resName, tfjsonpath.New("pay_type")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					stateIs("job_name", knownvalue.StringExact("orders-renamed")),
					stateIs("status", knownvalue.StringExact("Suspending")),
				},
			},
		},
	})
}

// renameFakeJob renames a job as the console would, keeping its status.
func renameFakeJob(t *testing.T, f *fakedts.Server, jobID, name string) {
	t.Helper()
	j, ok := f.Job(jobID)
	if !ok {
		t.Fatalf("no job %s", jobID)
	}
	j.Name = name
	if err := f.DeleteJob(jobID); err != nil {
		t.Fatal(err)
	}
	if err := f.AddJob(j); err != nil {
		t.Fatal(err)
	}
}

// B3: region_id from another resource is unknown while planning; the plan
// is valid, reads nothing, and apply uses the value.
func TestAccSynchronizationJobState_regionFromAnotherResource(t *testing.T) {
	t.Parallel()
	const jobID = "dtsregionref01"
	f := acctest.NewFake(t, acctest.OneWayJob(jobID, "PostPaid"))
	config := acctest.ProviderConfig(f) + fmt.Sprintf(`
resource "terraform_data" "region" {
  input = %[2]q
}

resource "dts_synchronization_job_state" "test" {
  synchronization_job_id = %[1]q
  region_id              = terraform_data.region.output
  state                  = "Suspended"
}
`, jobID, acctest.Region)

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resName, plancheck.ResourceActionCreate),
					plancheck.ExpectUnknownValue(resName, tfjsonpath.New("region_id")),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				stateIs("region_id", knownvalue.StringExact(acctest.Region)),
				stateIs("status", knownvalue.StringExact("Suspending")),
			},
			Check: acctest.CheckFakeStatus(f, jobID, "Forward", "Suspending"),
		}},
	})
}

// A create's plan shows the job's name and pay type from its plan-time
// read, and apply writes exactly those.
func TestAccSynchronizationJobState_createPlanShowsJob(t *testing.T) {
	t.Parallel()
	const jobID = "dtsplanname01"
	f := acctest.NewFake(t, acctest.OneWayJob(jobID, "PrePaid"))

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: testAccSynchronizationJobStateConfig_basic(f, jobID, "Suspended"),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(resName, tfjsonpath.New("job_name"), knownvalue.StringExact("orders-"+jobID)),
					plancheck.ExpectKnownValue(resName, tfjsonpath.New("pay_type"), knownvalue.StringExact("PrePaid")),
					plancheck.ExpectUnknownValue(resName, tfjsonpath.New("status")),
				},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				stateIs("job_name", knownvalue.StringExact("orders-"+jobID)),
				stateIs("pay_type", knownvalue.StringExact("PrePaid")),
			},
		}},
	})
}

// Import IDs copied with spaces around them are accepted.
func TestAccSynchronizationJobState_importTrimsID(t *testing.T) {
	t.Parallel()
	const jobID = "dtsimporttrim1"
	f := acctest.NewFake(t, acctest.WithForward(acctest.OneWayJob(jobID, "PostPaid"), "Suspending"))

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: testAccSynchronizationJobStateConfig_basic(f, jobID, "Suspended")},
			{
				ResourceName:            resName,
				ImportState:             true,
				ImportStateId:           "  " + acctest.Region + "/" + jobID + ":Forward \n",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts", "suspended_at"},
			},
		},
	})
}
