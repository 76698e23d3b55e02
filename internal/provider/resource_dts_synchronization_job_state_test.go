package provider_test

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

const resName = "dts_synchronization_job_state.test"

func testAccSynchronizationJobStateConfig_basic(f *fakedts.Server, jobID, state string) string {
	return acctest.ProviderConfig(f) + fmt.Sprintf(`
resource "dts_synchronization_job_state" "test" {
  synchronization_job_id = %[1]q
  state                  = %[2]q
}
`, jobID, state)
}

func testAccSynchronizationJobStateConfig_direction(f *fakedts.Server, jobID, direction, state string) string {
	return acctest.ProviderConfig(f) + fmt.Sprintf(`
resource "dts_synchronization_job_state" "test" {
  synchronization_job_id    = %[1]q
  synchronization_direction = %[2]q
  state                     = %[3]q
}
`, jobID, direction, state)
}

func stateIs(attr string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(resName, tfjsonpath.New(attr), v)
}

func TestAccSynchronizationJobState_basic(t *testing.T) {
	t.Parallel()
	const jobID = "dtsbasic0001"
	f := acctest.NewFake(t, acctest.OneWayJob(jobID, "PostPaid"))
	sameID := statecheck.CompareValue(compare.ValuesSame())

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckFakeStatus(f, jobID, "Forward", "Synchronizing"),
		Steps: []resource.TestStep{
			{
				Config: testAccSynchronizationJobStateConfig_basic(f, jobID, "Suspended"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(resName, plancheck.ResourceActionCreate),
						plancheck.ExpectUnknownValue(resName, tfjsonpath.New("status")),
						plancheck.ExpectKnownValue(resName, tfjsonpath.New("id"), knownvalue.StringExact(jobID+":Forward")),
						plancheck.ExpectKnownValue(resName, tfjsonpath.New("region_id"), knownvalue.StringExact(acctest.Region)),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					stateIs("id", knownvalue.StringExact(jobID+":Forward")),
					stateIs("state", knownvalue.StringExact("Suspended")),
					stateIs("status", knownvalue.StringExact("Suspending")),
					stateIs("pay_type", knownvalue.StringExact("PostPaid")),
					stateIs("job_name", knownvalue.StringExact("orders-"+jobID)),
					stateIs("synchronization_direction", knownvalue.StringExact("Forward")),
					stateIs("resume_on_destroy", knownvalue.Bool(false)),
					stateIs("suspended_at", knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`))),
					sameID.AddStateValue(resName, tfjsonpath.New("id")),
				},
				Check: resource.ComposeTestCheckFunc(
					acctest.CheckFakeStatus(f, jobID, "Forward", "Suspending"),
					acctest.CheckCallCount(f, acctest.Actions().Suspend, 1),
				),
			},
			{
				Config: testAccSynchronizationJobStateConfig_basic(f, jobID, "Synchronizing"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(resName, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(resName, tfjsonpath.New("status")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					stateIs("state", knownvalue.StringExact("Synchronizing")),
					stateIs("status", knownvalue.StringExact("Synchronizing")),
					stateIs("suspended_at", knownvalue.Null()),
					sameID.AddStateValue(resName, tfjsonpath.New("id")),
				},
				Check: resource.ComposeTestCheckFunc(
					acctest.CheckFakeStatus(f, jobID, "Forward", "Synchronizing"),
					acctest.CheckCallCount(f, acctest.Actions().Start, 1),
				),
			},
		},
	})
}

// A job already in the desired state gets no mutating call, and a plan that
// changes nothing keeps status known.
func TestAccSynchronizationJobState_alreadyInState(t *testing.T) {
	t.Parallel()
	const jobID = "dtsalready001"
	f := acctest.NewFake(t, acctest.WithForward(acctest.OneWayJob(jobID, "PrePaid"), "Suspending"))

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: testAccSynchronizationJobStateConfig_basic(f, jobID, "Suspended"),
				ConfigStateChecks: []statecheck.StateCheck{
					stateIs("status", knownvalue.StringExact("Suspending")),
					stateIs("pay_type", knownvalue.StringExact("PrePaid")),
				},
				Check: resource.ComposeTestCheckFunc(
					acctest.CheckCallCount(f, acctest.Actions().Suspend, 0),
					acctest.CheckCallCount(f, acctest.Actions().Start, 0),
				),
			},
			{
				// Only resume_on_destroy changes: an update with no API call.
				Config: acctest.ProviderConfig(f) + fmt.Sprintf(`
resource "dts_synchronization_job_state" "test" {
  synchronization_job_id = %[1]q
  state                  = "Suspended"
  resume_on_destroy      = true
}
`, jobID),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(resName, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(resName, tfjsonpath.New("status"), knownvalue.StringExact("Suspending")),
					},
				},
				Check: resource.ComposeTestCheckFunc(
					acctest.CheckCallCount(f, acctest.Actions().Suspend, 0),
					acctest.CheckCallCount(f, acctest.Actions().Start, 0),
				),
			},
		},
	})
}

// Someone resumes the job out of band: refresh shows it, the plan updates,
// and apply pauses it again.
func TestAccSynchronizationJobState_drift(t *testing.T) {
	t.Parallel()
	const jobID = "dtsdrift0001"
	f := acctest.NewFake(t, acctest.OneWayJob(jobID, "PostPaid"))
	config := testAccSynchronizationJobStateConfig_basic(f, jobID, "Suspended")

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					if err := f.SetStatus(jobID, "Forward", "Synchronizing"); err != nil {
						t.Fatal(err)
					}
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(resName, "state", "Synchronizing"),
					resource.TestCheckResourceAttr(resName, "status", "Synchronizing"),
				),
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(resName, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(resName, tfjsonpath.New("status")),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					acctest.CheckFakeStatus(f, jobID, "Forward", "Suspending"),
					acctest.CheckCallCount(f, acctest.Actions().Suspend, 2),
				),
			},
		},
	})
}

// A job deleted in DTS leaves the state with a warning; planning it again
// warns (so that it cannot block a destroy), and applying it fails with an
// error that names the job.
func TestAccSynchronizationJobState_disappears(t *testing.T) {
	t.Parallel()
	const jobID = "dtsgone00001"
	f := acctest.NewFake(t, acctest.OneWayJob(jobID, "PostPaid"))
	config := testAccSynchronizationJobStateConfig_basic(f, jobID, "Suspended")

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				// Refresh drops the job from the state (with a warning); the
				// plan that follows creates it again, warning that it will fail.
				PreConfig: func() {
					if err := f.DeleteJob(jobID); err != nil {
						t.Fatal(err)
					}
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
			},
			{
				// Applying it fails and says why.
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)Synchronization Job Not Found.*` + jobID + `.*Check synchronization_job_id`),
			},
			{
				// Nothing left to destroy: the state no longer tracks the job.
				Config: acctest.ProviderConfig(f),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

func TestAccSynchronizationJobState_import(t *testing.T) {
	t.Parallel()
	const jobID = "dtsimport001"
	f := acctest.NewFake(t, acctest.TwoWayJob(jobID, "PrePaid"))
	config := testAccSynchronizationJobStateConfig_direction(f, jobID, "Reverse", "Suspended")

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				ResourceName:            resName,
				ImportState:             true,
				ImportStateId:           jobID + ":Reverse",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts", "suspended_at"},
			},
			{
				ResourceName:      resName,
				ImportState:       true,
				ImportStateId:     acctest.Region + "/" + jobID + ":Reverse",
				ImportStateVerify: true,
				// suspended_at is exact when the resource paused the job and
				// estimated from the checkpoint after an import.
				ImportStateVerifyIgnore: []string{"timeouts", "suspended_at"},
			},
			{
				ResourceName:    resName,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateId:   jobID + ":Reverse",
				ImportPlanChecks: resource.ImportPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(resName, plancheck.ResourceActionNoop)},
				},
			},
			{
				ResourceName:  resName,
				ImportState:   true,
				ImportStateId: jobID + ":reverse",
				ExpectError:   regexp.MustCompile(`(?s)Invalid Import ID.*<job_id>:<direction>`),
			},
		},
	})
}

// The reverse direction of a two-way job pauses while forward keeps running.
func TestAccSynchronizationJobState_twoWayReverse(t *testing.T) {
	t.Parallel()
	const jobID = "dtstwoway001"
	f := acctest.NewFake(t, acctest.TwoWayJob(jobID, "PostPaid"))

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: acctest.ProviderConfig(f) + fmt.Sprintf(`
resource "dts_synchronization_job_state" "forward" {
  synchronization_job_id = %[1]q
  state                  = "Synchronizing"
}

resource "dts_synchronization_job_state" "reverse" {
  synchronization_job_id    = %[1]q
  synchronization_direction = "Reverse"
  state                     = "Suspended"
}
`, jobID),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("dts_synchronization_job_state.forward", tfjsonpath.New("status"), knownvalue.StringExact("Synchronizing")),
					statecheck.ExpectKnownValue("dts_synchronization_job_state.reverse", tfjsonpath.New("status"), knownvalue.StringExact("Suspending")),
					statecheck.ExpectKnownValue("dts_synchronization_job_state.reverse", tfjsonpath.New("id"), knownvalue.StringExact(jobID+":Reverse")),
				},
				Check: resource.ComposeTestCheckFunc(
					acctest.CheckFakeStatus(f, jobID, "Forward", "Synchronizing"),
					acctest.CheckFakeStatus(f, jobID, "Reverse", "Suspending"),
				),
			},
		},
	})
}

func TestAccSynchronizationJobState_reverseOnOneWay(t *testing.T) {
	t.Parallel()
	const jobID = "dtsoneway001"
	f := acctest.NewFake(t, acctest.OneWayJob(jobID, "PostPaid"))

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      testAccSynchronizationJobStateConfig_direction(f, jobID, "Reverse", "Suspended"),
				ExpectError: regexp.MustCompile(`(?s)Reverse Direction on a One-Way Job.*` + jobID + `.*two-way`),
			},
		},
	})
	if n := f.CallCount(acctest.Actions().Suspend) + f.CallCount(acctest.Actions().Start); n != 0 {
		t.Errorf("the plan error came after %d mutating calls, want 0", n)
	}
	if err := acctest.FakeStatusIs(f, jobID, "Forward", "Synchronizing"); err != nil {
		t.Error(err)
	}
}

// Every invalid input fails at plan time with a message naming the
// attribute and the accepted values, and the fake sees no API call at all.
func TestAccSynchronizationJobState_invalidInput(t *testing.T) {
	t.Parallel()
	f := acctest.NewFake(t, acctest.OneWayJob("dtsvalid0001", "PostPaid"))
	resourceBlock := func(attrs string) string {
		return acctest.ProviderConfig(f) + "\nresource \"dts_synchronization_job_state\" \"test\" {\n" + attrs + "\n}\n"
	}
	cases := map[string]struct {
		attrs string
		want  string
	}{
		"empty job id":         {`synchronization_job_id = ""` + "\n" + `state = "Suspended"`, `synchronization_job_id.*1 to 64 ASCII letters and digits`},
		"whitespace in job id": {`synchronization_job_id = "dts abc"` + "\n" + `state = "Suspended"`, `synchronization_job_id.*no spaces`},
		"symbols in job id":    {`synchronization_job_id = "dts-abc;rm"` + "\n" + `state = "Suspended"`, `synchronization_job_id.*ASCII letters and digits`},
		"state in wrong case":  {`synchronization_job_id = "dtsvalid0001"` + "\n" + `state = "suspended"`, `state.*"Synchronizing".*"Suspended"`},
		"API word for paused":  {`synchronization_job_id = "dtsvalid0001"` + "\n" + `state = "Suspending"`, `Use "Suspended" for a Paused Job`},
		"unknown state":        {`synchronization_job_id = "dtsvalid0001"` + "\n" + `state = "Stopped"`, `state.*value must be one of`},
		"unknown direction":    {`synchronization_job_id = "dtsvalid0001"` + "\n" + `synchronization_direction = "Backward"` + "\n" + `state = "Suspended"`, `synchronization_direction.*"Forward".*"Reverse"`},
		"direction wrong case": {`synchronization_job_id = "dtsvalid0001"` + "\n" + `synchronization_direction = "reverse"` + "\n" + `state = "Suspended"`, `synchronization_direction.*"Forward".*"Reverse"`},
		"region in wrong form": {`synchronization_job_id = "dtsvalid0001"` + "\n" + `region_id = "Hangzhou"` + "\n" + `state = "Suspended"`, `region_id.*cn-hangzhou`},
		"malformed timeout":    {`synchronization_job_id = "dtsvalid0001"` + "\n" + `state = "Suspended"` + "\n" + `timeouts = { create = "ten minutes" }`, `Invalid Attribute Value Time Duration.*"ten minutes"`},
	}
	var steps []resource.TestStep
	for _, tc := range cases {
		steps = append(steps, resource.TestStep{
			Config:      resourceBlock(tc.attrs),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)` + tc.want),
		})
	}
	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps:                    steps,
	})
	if n := f.CallCount(""); n != 0 {
		t.Errorf("invalid input reached the API: the fake answered %d calls, want 0", n)
	}
}

// A Failed job cannot be paused: the error names the job, the direction,
// the status and the job's own error message, and nothing is changed.
func TestAccSynchronizationJobState_suspendFailedJob(t *testing.T) {
	t.Parallel()
	const jobID = "dtsfailed001"
	job := acctest.WithForward(acctest.OneWayJob(jobID, "PostPaid"), "Failed")
	job.Forward.ErrorMessage = "DTS-070211: Connect Source DB failed."
	f := acctest.NewFake(t, job)

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      testAccSynchronizationJobStateConfig_basic(f, jobID, "Suspended"),
				ExpectError: regexp.MustCompile(`(?s)Synchronization Job Is Failed.*` + jobID + ` \(Forward\).*DTS-070211: Connect Source DB failed`),
			},
		},
	})
	if n := f.CallCount(acctest.Actions().Suspend); n != 0 {
		t.Errorf("SuspendSynchronizationJob was called %d times for a Failed job", n)
	}
}

// A transition slower than the timeout fails with the last status and the
// attribute that raises the limit; a failed create saves no state.
func TestAccSynchronizationJobState_timeout(t *testing.T) {
	t.Parallel()
	const jobID = "dtsslow00001"
	job := acctest.OneWayJob(jobID, "PrePaid")
	job.TransitionTime = time.Hour
	f := acctest.NewFake(t, job)
	pendingShowsOldStatus(t, f)

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: acctest.ProviderConfig(f) + fmt.Sprintf(`
resource "dts_synchronization_job_state" "test" {
  synchronization_job_id = %[1]q
  state                  = "Suspended"
  timeouts = {
    create = "3s"
  }
}
`, jobID),
				ExpectError: regexp.MustCompile(`(?s)Timed Out Waiting.*` + jobID + `.*last status DTS reported was\s+Synchronizing.*timeouts.create`),
			},
		},
	})
}

// Throttling and 5xx answers during apply are retried and the apply converges.
func TestAccSynchronizationJobState_throttlingAnd5xx(t *testing.T) {
	t.Parallel()
	const jobID = "dtsflaky0001"
	f := acctest.NewFake(t, acctest.OneWayJob(jobID, "PrePaid"))

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					must(t, f.QueueFault(acctest.Actions().Suspend, fakedts.FaultThrottling, 2))
					must(t, f.QueueFault(acctest.Actions().Suspend, fakedts.FaultServiceUnavailable, 1))
					must(t, f.QueueFault(acctest.Actions().Describe, fakedts.FaultInternalError, 2))
				},
				Config: testAccSynchronizationJobStateConfig_basic(f, jobID, "Suspended"),
				ConfigStateChecks: []statecheck.StateCheck{
					stateIs("status", knownvalue.StringExact("Suspending")),
				},
				Check: acctest.CheckFakeStatus(f, jobID, "Forward", "Suspending"),
			},
		},
	})
}

func TestAccSynchronizationJobState_resumeOnDestroy(t *testing.T) {
	t.Parallel()
	const resumed, left = "dtsresume001", "dtsleave0001"
	f := acctest.NewFake(t, acctest.OneWayJob(resumed, "PostPaid"), acctest.OneWayJob(left, "PostPaid"))

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy: resource.ComposeTestCheckFunc(
			acctest.CheckFakeStatus(f, resumed, "Forward", "Synchronizing"),
			acctest.CheckFakeStatus(f, left, "Forward", "Suspending"),
		),
		Steps: []resource.TestStep{
			{
				Config: acctest.ProviderConfig(f) + fmt.Sprintf(`
resource "dts_synchronization_job_state" "resumed" {
  synchronization_job_id = %[1]q
  state                  = "Suspended"
  resume_on_destroy      = true
}

resource "dts_synchronization_job_state" "left" {
  synchronization_job_id = %[2]q
  state                  = "Suspended"
}
`, resumed, left),
				Check: resource.ComposeTestCheckFunc(
					acctest.CheckFakeStatus(f, resumed, "Forward", "Suspending"),
					acctest.CheckFakeStatus(f, left, "Forward", "Suspending"),
				),
			},
		},
	})
}

// state = "Synchronizing" starts a NotStarted job: precheck, initialization,
// then synchronization, waiting through each.
func TestAccSynchronizationJobState_startNotStarted(t *testing.T) {
	t.Parallel()
	const jobID = "dtsnew000001"
	job := acctest.WithForward(acctest.OneWayJob(jobID, "PrePaid"), "NotStarted")
	job.TransitionTime = 300 * time.Millisecond
	f := acctest.NewFake(t, job)

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: testAccSynchronizationJobStateConfig_basic(f, jobID, "Synchronizing"),
				ConfigStateChecks: []statecheck.StateCheck{
					stateIs("status", knownvalue.StringExact("Synchronizing")),
				},
				Check: acctest.CheckFakeStatus(f, jobID, "Forward", "Synchronizing"),
			},
		},
	})
}

// A job ID known only at apply (from another resource) plans cleanly and is
// checked when it becomes known.
func TestAccSynchronizationJobState_unknownAtPlan(t *testing.T) {
	t.Parallel()
	const jobID = "dtslater0001"
	f := acctest.NewFake(t, acctest.OneWayJob(jobID, "PrePaid"))

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: acctest.ProviderConfig(f) + fmt.Sprintf(`
resource "terraform_data" "job" {
  input = %[1]q
}

resource "dts_synchronization_job_state" "test" {
  synchronization_job_id = terraform_data.job.output
  state                  = "Suspended"
}
`, jobID),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectUnknownValue(resName, tfjsonpath.New("synchronization_job_id")),
						plancheck.ExpectUnknownValue(resName, tfjsonpath.New("status")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					stateIs("status", knownvalue.StringExact("Suspending")),
				},
			},
		},
	})
}

// A direction paused for more than 7 days cannot be resumed: apply fails
// with DTS's reason, and the state still says the job is paused. This is the
// DTS whose long pause stays Suspending; the next test covers the one that
// reports Failed (the fake's default).
func TestAccSynchronizationJobState_resumeAfterSevenDays(t *testing.T) {
	t.Parallel()
	const jobID = "dtsold000001"
	job := acctest.WithForward(acctest.OneWayJob(jobID, "PrePaid"), "Suspending")
	job.Forward.PausedAt = time.Now().Add(-8 * 24 * time.Hour)
	job.Forward.Checkpoint = job.Forward.PausedAt.Unix()
	f := acctest.NewFake(t, job)
	b := f.CurrentBehavior()
	b.LongPause = fakedts.LongPauseSuspending
	must(t, f.SetBehavior(b))

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: testAccSynchronizationJobStateConfig_basic(f, jobID, "Suspended"),
				ConfigStateChecks: []statecheck.StateCheck{
					stateIs("status", knownvalue.StringExact("Suspending")),
				},
			},
			{
				Config:      testAccSynchronizationJobStateConfig_basic(f, jobID, "Synchronizing"),
				ExpectError: regexp.MustCompile(`(?s)Paused Job Can No Longer Be Resumed.*` + jobID + `.*more\s+than\s+7\s+days.*RequestId.*reset\s+and\s+reconfigure`),
			},
			{
				// The failed resume left the state saying what DTS holds.
				RefreshState: true,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(resName, "state", "Suspended"),
					resource.TestCheckResourceAttr(resName, "status", "Suspending"),
				),
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// A DTS that turns a pause of more than 7 days into Failed: resuming fails
// with DTS's reason, and the state says Failed rather than paused.
func TestAccSynchronizationJobState_resumeAfterSevenDaysFailed(t *testing.T) {
	t.Parallel()
	const jobID = "dtsold000002"
	job := acctest.WithForward(acctest.OneWayJob(jobID, "PrePaid"), "Suspending")
	job.Forward.PausedAt = time.Now().Add(-8 * 24 * time.Hour)
	job.Forward.Checkpoint = job.Forward.PausedAt.Unix()
	f := acctest.NewFake(t, job)
	b := f.CurrentBehavior()
	b.LongPause = fakedts.LongPauseFailed
	must(t, f.SetBehavior(b))

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      testAccSynchronizationJobStateConfig_basic(f, jobID, "Synchronizing"),
				ExpectError: regexp.MustCompile(`(?s)Paused Job Can No Longer Be Resumed.*` + jobID + `\s+\(Forward\)\s+reports\s+Failed.*more\s+than\s+7\s+days.*a\s+Start\s+call\s+is\s+rejected`),
			},
		},
	})
	if n := f.CallCount(acctest.Actions().Start); n != 1 {
		t.Errorf("%d resumes were tried, want 1: a refusal past the 7-day limit is final", n)
	}
	if j, _ := f.Job(jobID); j.Forward.Status != fakedts.StatusFailed {
		t.Errorf("job status %s, want Failed", j.Forward.Status)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
