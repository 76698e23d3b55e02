package provider_test

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// These tests run the refresh scenarios with batched status reads (the
// default) and without (batch_status_reads = false), and expect the same
// outcome from both.

// The actions of the family the tests run in (acctest.APIEnv).
var (
	batchListAction   = acctest.Actions().Directions
	batchSingleAction = acctest.Actions().Describe
)

// batchConfig manages one direction of each job with one resource,
// addressed dts_synchronization_job_state.<job id>. (The test harness's state
// shim does not support for_each.)
func batchConfig(providerBlock string, jobIDs []string, state string) string {
	states := make(map[string]string, len(jobIDs))
	for _, id := range jobIDs {
		states[id] = state
	}
	return batchConfigStates(providerBlock, states)
}

// batchConfigStates is batchConfig with a desired state per job.
func batchConfigStates(providerBlock string, states map[string]string) string {
	ids := slices.Sorted(maps.Keys(states))
	var b strings.Builder
	b.WriteString(providerBlock)
	for _, id := range ids {
		fmt.Fprintf(&b, `
resource "dts_synchronization_job_state" %[1]q {
  synchronization_job_id = %[1]q
  state                  = %[2]q
}
`, id, states[id])
	}
	return b.String()
}

func batchRes(jobID string) string {
	return "dts_synchronization_job_state." + jobID
}

func batchIDs(jobs []fakedts.Job) []string {
	ids := make([]string, len(jobs))
	for i, j := range jobs {
		ids[i] = j.ID
	}
	return ids
}

// checkBatchCalls asserts the calls of one refresh, counted since the step's
// PreConfig reset the log.
func checkBatchCalls(t *testing.T, f *fakedts.Server, batched bool, wantSinglesBatched, wantSinglesUnbatched int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		lists, singles := f.CallCount(batchListAction), f.CallCount(batchSingleAction)
		t.Logf("refresh made %d %s and %d %s calls", lists, batchListAction, singles, batchSingleAction)
		switch {
		case batched && (lists < 1 || singles != wantSinglesBatched):
			return fmt.Errorf("batched refresh made %d list and %d single reads, want at least 1 and exactly %d", lists, singles, wantSinglesBatched)
		case !batched && (lists != 0 || singles != wantSinglesUnbatched):
			return fmt.Errorf("unbatched refresh made %d list and %d single reads, want 0 and %d", lists, singles, wantSinglesUnbatched)
		}
		return nil
	}
}

// Someone resumes one of three paused jobs out of band: refresh shows that
// job (and only it) as running, keeps job_name and pay_type, and apply
// pauses it again.
func TestAccSynchronizationJobStateBatch_drift(t *testing.T) {
	t.Parallel()
	for _, mode := range acctest.BatchModes {
		t.Run(mode.Name, func(t *testing.T) {
			t.Parallel()
			jobs := acctest.ManyJobs("bdrift", 3)
			ids := batchIDs(jobs)
			drifted := ids[1]
			f := acctest.NewFake(t, jobs...)
			config := batchConfig(mode.Config(f), ids, "Suspended")

			unchanged := func(id string) resource.TestCheckFunc {
				return resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(batchRes(id), "state", "Suspended"),
					resource.TestCheckResourceAttr(batchRes(id), "status", "Suspending"),
					resource.TestCheckResourceAttr(batchRes(id), "pay_type", "PostPaid"),
					resource.TestCheckResourceAttr(batchRes(id), "job_name", "orders-"+id),
					resource.TestCheckResourceAttrSet(batchRes(id), "suspended_at"),
				)
			}
			resource.UnitTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: config},
					{
						PreConfig: func() {
							must(t, f.SetStatus(drifted, "Forward", "Synchronizing"))
							f.ResetCalls()
						},
						RefreshState:       true,
						ExpectNonEmptyPlan: true,
						Check: resource.ComposeTestCheckFunc(
							unchanged(ids[0]),
							unchanged(ids[2]),
							resource.TestCheckResourceAttr(batchRes(drifted), "state", "Synchronizing"),
							resource.TestCheckResourceAttr(batchRes(drifted), "status", "Synchronizing"),
							resource.TestCheckResourceAttr(batchRes(drifted), "pay_type", "PostPaid"),
							resource.TestCheckResourceAttr(batchRes(drifted), "job_name", "orders-"+drifted),
							resource.TestCheckNoResourceAttr(batchRes(drifted), "suspended_at"),
							// Batched: the changed job is re-read on its own.
							checkBatchCalls(t, f, mode.Batched, 1, 3),
						),
					},
					{
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{
								plancheck.ExpectResourceAction(batchRes(drifted), plancheck.ResourceActionUpdate),
								plancheck.ExpectResourceAction(batchRes(ids[0]), plancheck.ResourceActionNoop),
							},
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						Check: resource.ComposeTestCheckFunc(
							acctest.CheckFakeStatus(f, drifted, "Forward", "Suspending"),
							unchanged(drifted),
						),
					},
				},
			})
		})
	}
}

// A job deleted in DTS is missing from the batched answer; a single read
// confirms it, and it leaves the state with a warning while the other job
// stays. Planning it again warns; applying it fails with an error that
// names the job.
func TestAccSynchronizationJobStateBatch_disappears(t *testing.T) {
	t.Parallel()
	for _, mode := range acctest.BatchModes {
		t.Run(mode.Name, func(t *testing.T) {
			t.Parallel()
			jobs := acctest.ManyJobs("bgone", 2)
			ids := batchIDs(jobs)
			gone, kept := ids[0], ids[1]
			f := acctest.NewFake(t, jobs...)

			resource.UnitTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: batchConfig(mode.Config(f), ids, "Suspended")},
					{
						PreConfig: func() {
							must(t, f.DeleteJob(gone))
							f.ResetCalls()
						},
						RefreshState:       true,
						ExpectNonEmptyPlan: true,
						// Checked after the refresh and the plan that follows it.
						Check: resource.ComposeTestCheckFunc(
							func(s *terraform.State) error {
								if _, ok := s.RootModule().Resources[batchRes(gone)]; ok {
									return fmt.Errorf("%s is still in the state", batchRes(gone))
								}
								return nil
							},
							resource.TestCheckResourceAttr(batchRes(kept), "status", "Suspending"),
							// Batched: the missing job is confirmed with one single
							// read, and the plan of its create reads it once more.
							checkBatchCalls(t, f, mode.Batched, 2, 3),
						),
					},
					{
						Config:      batchConfig(mode.Config(f), ids, "Suspended"),
						ExpectError: regexp.MustCompile(`(?s)Synchronization Job Not Found.*` + gone + `.*Check synchronization_job_id`),
					},
					{
						Config: batchConfig(mode.Config(f), []string{kept}, "Suspended"),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
					},
				},
			})
		})
	}
}

// Import reads the job on its own (there is no pay_type or job_name to
// carry yet) and gives the state a create would. An import by instance ID
// also reads the Forward direction for the task ID, so a Reverse import
// makes two single reads.
func TestAccSynchronizationJobStateBatch_import(t *testing.T) {
	t.Parallel()
	for _, mode := range acctest.BatchModes {
		t.Run(mode.Name, func(t *testing.T) {
			t.Parallel()
			const jobID = "dtsbimport001"
			f := acctest.NewFake(t, acctest.TwoWayJob(jobID, "PrePaid"))
			config := mode.Config(f) + fmt.Sprintf(`
resource "dts_synchronization_job_state" "test" {
  synchronization_job_id    = %[1]q
  synchronization_direction = "Reverse"
  state                     = "Suspended"
}
`, jobID)

			resource.UnitTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: config},
					{
						PreConfig:         func() { f.ResetCalls() },
						Config:            config,
						ResourceName:      resName,
						ImportState:       true,
						ImportStateId:     jobID + ":Reverse",
						ImportStateVerify: true,
						// suspended_at is exact when the resource paused the job and
						// estimated from the checkpoint after an import.
						ImportStateVerifyIgnore: []string{"timeouts", "suspended_at"},
						ImportStateCheck: func([]*terraform.InstanceState) error {
							if n := f.CallCount(batchListAction); n != 0 {
								return fmt.Errorf("import made %d list calls, want 0", n)
							}
							if n := acctest.DirectionCallCount(f, batchSingleAction, jobID, "Reverse"); n != 1 {
								return fmt.Errorf("import made %d single reads of the Reverse direction, want 1", n)
							}
							if n := acctest.DirectionCallCount(f, batchSingleAction, jobID, "Forward"); n != 1 {
								return fmt.Errorf("import made %d single reads of the Forward direction (for the task ID), want 1", n)
							}
							return nil
						},
					},
					{
						Config:          config,
						ResourceName:    resName,
						ImportState:     true,
						ImportStateKind: resource.ImportBlockWithID,
						ImportStateId:   jobID + ":Reverse",
						ImportPlanChecks: resource.ImportPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(resName, plancheck.ResourceActionNoop)},
						},
					},
					{
						// A refresh after the import reads the same state again.
						RefreshState: true,
						Check: resource.ComposeTestCheckFunc(
							resource.TestCheckResourceAttr(resName, "status", "Suspending"),
							resource.TestCheckResourceAttr(resName, "pay_type", "PrePaid"),
							resource.TestCheckResourceAttr(resName, "job_name", "orders-"+jobID),
						),
					},
				},
			})
		})
	}
}

// A job that failed is re-read on its own, so the refresh warning carries
// DTS's error message, and the state records Failed.
func TestAccSynchronizationJobStateBatch_failedJob(t *testing.T) {
	t.Parallel()
	for _, mode := range acctest.BatchModes {
		t.Run(mode.Name, func(t *testing.T) {
			t.Parallel()
			jobs := acctest.ManyJobs("bfailed", 3)
			ids := batchIDs(jobs)
			failed := ids[2]
			f := acctest.NewFake(t, jobs...)
			config := batchConfig(mode.Config(f), ids, "Synchronizing")

			resource.UnitTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: config},
					{
						PreConfig: func() {
							must(t, f.SetStatus(failed, "Forward", "Failed"))
							f.ResetCalls()
						},
						RefreshState: true,
						// state = "Synchronizing" restarts a Failed job.
						ExpectNonEmptyPlan: true,
						Check: resource.ComposeTestCheckFunc(
							resource.TestCheckResourceAttr(batchRes(failed), "state", "Failed"),
							resource.TestCheckResourceAttr(batchRes(failed), "status", "Failed"),
							resource.TestCheckResourceAttr(batchRes(ids[0]), "status", "Synchronizing"),
							checkBatchCalls(t, f, mode.Batched, 1, 3),
							func(*terraform.State) error {
								for _, c := range f.Calls() {
									if c.Action == batchSingleAction && c.JobID != failed && mode.Batched {
										return fmt.Errorf("batched refresh read %s on its own; only the failed job needs it", c.JobID)
									}
								}
								return nil
							},
						),
					},
					{
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(batchRes(failed), plancheck.ResourceActionUpdate)},
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						Check: acctest.CheckFakeStatus(f, failed, "Forward", "Synchronizing"),
					},
				},
			})
		})
	}
}

// A refresh of 30 resources: batched, a few list calls answer all of them;
// unbatched, each resource makes its own read. The bounds hold however the
// reads fall into batching windows.
func TestAccSynchronizationJobStateBatch_manyResources(t *testing.T) {
	t.Parallel()
	const n = 30
	for _, mode := range acctest.BatchModes {
		t.Run(mode.Name, func(t *testing.T) {
			t.Parallel()
			jobs := acctest.ManyJobs("bmany", n)
			jobs[4].Forward.Status = "Suspending"
			f := acctest.NewFake(t, jobs...)
			states := map[string]string{}
			for _, j := range jobs {
				states[j.ID] = "Synchronizing"
			}
			states[jobs[4].ID] = "Suspended"
			config := batchConfigStates(mode.Config(f), states)

			resource.UnitTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: config},
					{
						PreConfig:    func() { f.ResetCalls() },
						RefreshState: true,
						Check: func(*terraform.State) error {
							lists, singles := f.CallCount(batchListAction), f.CallCount(batchSingleAction)
							t.Logf("%s: refreshing %d resources made %d list and %d single calls: %.3f calls per resource",
								mode.Name, n, lists, singles, float64(lists+singles)/n)
							if !mode.Batched {
								if lists != 0 || singles != n {
									return fmt.Errorf("unbatched: %d list and %d single reads, want 0 and %d", lists, singles, n)
								}
								return nil
							}
							if lists < 1 || lists > n/2 || singles != 0 || lists+singles >= n {
								return fmt.Errorf("batched: %d list and %d single reads for %d resources, want 1 to %d list calls and no single read",
									lists, singles, n, n/2)
							}
							return nil
						},
					},
				},
			})
		})
	}
}

// With the maintained family a wait's polls carry the job's name and pay
// type, so an update that pauses a job writes them without reading the job
// on its own after the wait.
func TestAccSynchronizationJobStateBatch_updateNamesFromPolls(t *testing.T) {
	t.Parallel()
	jobs := acctest.ManyJobs("bnames", 1)
	id := jobs[0].ID
	f := acctest.NewFake(t, jobs...)
	provider := acctest.ProviderConfigWith(f, `  api = "dts_job"`)
	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: batchConfig(provider, []string{id}, "Synchronizing")},
			{
				PreConfig: f.ResetCalls,
				Config:    batchConfig(provider, []string{id}, "Suspended"),
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(batchRes(id), "status", "Suspending"),
					resource.TestCheckResourceAttr(batchRes(id), "job_name", "orders-"+id),
					resource.TestCheckResourceAttr(batchRes(id), "pay_type", "PostPaid"),
					func(*terraform.State) error {
						if n := f.CallCount("DescribeDtsJobDetail"); n != 1 {
							return fmt.Errorf("%d DescribeDtsJobDetail calls, want 1 (the plan's read of the change)", n)
						}
						return nil
					},
				),
			},
		},
	})
}
