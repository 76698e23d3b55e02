package provider_test

import (
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// The resource's IDs and the action families, in the family the suite runs
// in (acctest.APIEnv) unless a test names one.

// taskJob is a one-way job whose task ID is its instance ID without "dts",
// the shape of every documented example.
func taskJob(taskID string) fakedts.Job {
	return acctest.OneWayJob("dts"+taskID, fakedts.PayTypePostPaid)
}

// Given only dts_job_id, the plan shows the instance ID read from DTS, apply
// pauses the job, and import by task ID gives the same state.
func TestAccSynchronizationJobState_dtsJobID(t *testing.T) {
	t.Parallel()
	const taskID = "l3m1213ye7lxr01"
	job := acctest.TwoWayJob("dts"+taskID, fakedts.PayTypePrePaid)
	f := acctest.NewFake(t, job)
	config := func(direction string) string {
		return acctest.ProviderConfig(f) + fmt.Sprintf(`
resource "dts_synchronization_job_state" "test" {
  # With the alicloud provider this would be alicloud_dts_synchronization_job.this.id.
  dts_job_id                = %q
  synchronization_direction = %q
  state                     = "Suspended"
}
`, taskID, direction)
	}
	if acctest.API() == "synchronization_job" {
		resource.UnitTest(t, resource.TestCase{
			PreCheck:                 func() { acctest.PreCheck(t) },
			ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config:      config("Forward"),
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
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config("Reverse"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(resName, tfjsonpath.New("synchronization_job_id"), knownvalue.StringExact(job.ID)),
					plancheck.ExpectKnownValue(resName, tfjsonpath.New("id"), knownvalue.StringExact(job.ID+":Reverse")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					stateIs("synchronization_job_id", knownvalue.StringExact(job.ID)),
					stateIs("dts_job_id", knownvalue.StringExact(taskID)),
					stateIs("state", knownvalue.StringExact("Suspended")),
				},
				Check: resource.ComposeTestCheckFunc(
					acctest.CheckFakeStatus(f, job.ID, "Reverse", "Suspending"),
					acctest.CheckFakeStatus(f, job.ID, "Forward", "Synchronizing"),
				),
			},
			{
				ResourceName:            resName,
				ImportState:             true,
				ImportStateId:           acctest.Region + "/" + taskID + ":Reverse",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts", "suspended_at"},
			},
			{
				// Adding the instance ID the plan showed changes nothing.
				Config: acctest.ProviderConfig(f) + fmt.Sprintf(`
resource "dts_synchronization_job_state" "test" {
  synchronization_job_id    = %q
  dts_job_id                = %q
  synchronization_direction = "Reverse"
  state                     = "Suspended"
}
`, job.ID, taskID),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// Given only synchronization_job_id, dts_job_id is read from DTS.
func TestAccSynchronizationJobState_showsDtsJobID(t *testing.T) {
	t.Parallel()
	const taskID = "l3m1213ye7lxr02"
	f := acctest.NewFake(t, taskJob(taskID))
	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: testAccSynchronizationJobStateConfig_basic(f, "dts"+taskID, "Synchronizing"),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectKnownValue(resName, tfjsonpath.New("dts_job_id"), knownvalue.StringExact(taskID)),
			}},
			ConfigStateChecks: []statecheck.StateCheck{stateIs("dts_job_id", knownvalue.StringExact(taskID))},
		}},
	})
}

// Bad IDs and a bad api value fail the plan naming attribute, value and
// what is accepted; the shape errors make no API call.
func TestAccSynchronizationJobState_badIDs(t *testing.T) {
	t.Parallel()
	const taskA, taskB = "l3m1213ye7lxr03", "l3m1213ye7lxr04"
	f := acctest.NewFake(t, taskJob(taskA), taskJob(taskB))
	res := func(body string) string {
		return acctest.ProviderConfig(f) + "\nresource \"dts_synchronization_job_state\" \"test\" {\n" + body + "\n  state = \"Suspended\"\n}\n"
	}
	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      res(`dts_job_id = "dts` + taskA + `"`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid DTS Task ID.*dts_job_id.*"dts` + taskA + `".*instance\s+ID`),
			},
			{
				Config:      res(`dts_job_id = "Job-1"`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid DTS Task ID.*dts_job_id.*"Job-1".*8\s+to\s+32\s+lower-case`),
			},
			{
				Config:      res(`synchronization_direction = "Forward"`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)synchronization_job_id.*dts_job_id`),
			},
			{
				Config: acctest.ProviderConfigWith(f, `  api = "legacy"`) +
					"\nresource \"dts_synchronization_job_state\" \"test\" {\n  synchronization_job_id = \"dts" + taskA + "\"\n  state = \"Suspended\"\n}\n",
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)api.*"auto"\s+"dts_job"\s+"synchronization_job".*"legacy"`),
			},
		},
	})
	if n := f.CallCount(""); n != 0 {
		t.Errorf("input of the wrong shape reached the API: %d calls, want 0", n)
	}
	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: res(fmt.Sprintf("  synchronization_job_id = %q\n  dts_job_id = %q", "dts"+taskA, taskB)),
			ExpectError: regexp.MustCompile(`(?s)Job IDs Name Different Jobs.*synchronization_job_id\s+=\s+"dts` + taskA +
				`".*dts_job_id\s+=\s+"` + taskB + `"`),
		}},
	})
	if n := f.CallCount(acctest.Actions().Suspend) + f.CallCount(acctest.Actions().Start); n != 0 {
		t.Errorf("a mismatch changed a job: %d Suspend/Start calls", n)
	}
}

// Locked blocks both changes in the plan, naming the lock and arrears;
// Retrying reads as running, so it needs no change.
func TestAccSynchronizationJobState_lockedAndRetrying(t *testing.T) {
	t.Parallel()
	locked, retrying := taskJob("l3m1213ye7lxr05"), taskJob("l3m1213ye7lxr06")
	f := acctest.NewFake(t, locked, retrying)
	must(t, f.SetStatus(locked.ID, "Forward", fakedts.StatusLocked))
	must(t, f.SetStatus(retrying.ID, "Forward", fakedts.StatusRetrying))
	want := "Synchronizing" // the legacy actions show Retrying so (fake ASSUMPTIONS row 46)
	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// The legacy family shows Locked as Failed, so its plan cannot
				// tell; DTS then refuses the Start, naming the lock.
				Config:      testAccSynchronizationJobStateConfig_basic(f, locked.ID, "Synchronizing"),
				ExpectError: regexp.MustCompile(`(?s)` + locked.ID + `.*Locked`),
			},
			{
				Config: testAccSynchronizationJobStateConfig_basic(f, retrying.ID, "Synchronizing"),
				ConfigStateChecks: []statecheck.StateCheck{
					stateIs("state", knownvalue.StringExact("Synchronizing")),
					stateIs("status", knownvalue.StringRegexp(regexp.MustCompile(`^(Retrying|`+want+`)$`))),
				},
				Check: acctest.CheckDirectionCalled(f, acctest.Actions().Start, retrying.ID, "Forward", false),
			},
		},
	})
	if acctest.Actions() == acctest.Maintained {
		// The maintained family reports Locked itself: the message names it.
		resource.UnitTest(t, resource.TestCase{
			PreCheck:                 func() { acctest.PreCheck(t) },
			ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config:      testAccSynchronizationJobStateConfig_basic(f, locked.ID, "Suspended"),
				ExpectError: regexp.MustCompile(`(?s)Synchronization Job Is Locked.*Locked.*arrears`),
			}},
		})
	}
	if acctest.Actions() == acctest.Maintained {
		if n := f.CallCount(acctest.Actions().Suspend) + f.CallCount(acctest.Actions().Start); n != 0 {
			t.Errorf("%d Suspend/Start calls for a Locked and a Retrying job, want 0", n)
		}
	}
}

// auto, maintained family unknown: for a job the maintained family does not
// know, auto pauses and refreshes it through the legacy family.
func TestAccSynchronizationJobState_autoFallsBackToLegacy(t *testing.T) {
	t.Parallel()
	job := taskJob("l3m1213ye7lxr07")
	unknown := map[string]bool{"DescribeDtsJobDetail": true, "SuspendDtsJob": true, "StartDtsJob": true}
	ip := acctest.NewInterposed(t, func(w http.ResponseWriter, _ *http.Request, action string, _ int, _ http.Handler) bool {
		if !unknown[action] {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"RequestId":"0AB1C2D3-0000-4000-8000-NOTKNOWN0001","Success":false,"HttpStatusCode":403,` +
			`"ErrCode":"Forbidden.InstanceNotFound","ErrMessage":"The specified instance is not found.","DynamicCode":"","DynamicMessage":""}`))
		return true
	}, job)
	config := func(state string) string {
		return ip.ProviderConfig(`  api = "auto"`) + fmt.Sprintf(`
resource "dts_synchronization_job_state" "test" {
  synchronization_job_id = %q
  state                  = %q
}
`, job.ID, state)
	}
	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            config("Suspended"),
				ConfigStateChecks: []statecheck.StateCheck{stateIs("dts_job_id", knownvalue.StringExact("l3m1213ye7lxr07"))},
				Check: resource.ComposeTestCheckFunc(
					acctest.CheckFakeStatus(ip.Fake, job.ID, "Forward", "Suspending"),
					acctest.CheckCallCount(ip.Fake, acctest.Legacy.Suspend, 1),
				),
			},
			{
				Config: config("Synchronizing"),
				Check: resource.ComposeTestCheckFunc(
					acctest.CheckFakeStatus(ip.Fake, job.ID, "Forward", "Synchronizing"),
					acctest.CheckCallCount(ip.Fake, acctest.Legacy.Start, 1),
				),
			},
		},
	})
	// The interposer answered every maintained call; the fake saw none.
	if n := ip.Fake.CallCount(acctest.Maintained.Suspend) + ip.Fake.CallCount(acctest.Maintained.Start); n != 0 {
		t.Errorf("the fake saw %d maintained Suspend/Start calls", n)
	}
}

// auto, legacy family refusing jobs created through the new API (the fake
// switch): auto pauses and resumes them, while synchronization_job cannot.
func TestAccSynchronizationJobState_autoWhenLegacyRefusesNewJobs(t *testing.T) {
	t.Parallel()
	job := taskJob("l3m1213ye7lxr08")
	job.CreatedBy = fakedts.CreatedByDtsJob
	f := acctest.NewFake(t, job)
	b := f.CurrentBehavior()
	b.LegacyRefusesDtsJobs = true
	must(t, f.SetBehavior(b))
	config := func(api, state string) string {
		return acctest.ProviderConfigWith(f, fmt.Sprintf("  api = %q", api)) + fmt.Sprintf(`
resource "dts_synchronization_job_state" "test" {
  synchronization_job_id = %q
  state                  = %q
}
`, job.ID, state)
	}
	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// The switch works: the legacy family alone cannot pause it.
				Config:      config("synchronization_job", "Suspended"),
				ExpectError: regexp.MustCompile(`(?s)Unable to Pause Synchronization Job.*` + job.ID),
			},
			{
				Config: config("auto", "Suspended"),
				Check:  acctest.CheckFakeStatus(f, job.ID, "Forward", "Suspending"),
			},
			{
				Config: config("auto", "Synchronizing"),
				Check:  acctest.CheckFakeStatus(f, job.ID, "Forward", "Synchronizing"),
			},
		},
	})
	if n := f.CallCount(acctest.Legacy.Suspend); n != 1 {
		t.Errorf("%d legacy Suspend calls, want only the refused one", n)
	}
}
