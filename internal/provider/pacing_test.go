package provider_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// 40 pauses in one apply while DTS allows only a few calls per second: the
// provider paces its calls instead of failing, so every job ends paused,
// nothing is tainted and the plan after is empty.
func TestAccSynchronizationJobState_pacedUnderQuota(t *testing.T) {
	t.Parallel()
	for _, quota := range []float64{5, 2} {
		t.Run(fmt.Sprintf("%g calls per second", quota), func(t *testing.T) {
			t.Parallel()
			const n = 40
			prefix := fmt.Sprintf("q%g", quota)
			f := acctest.NewFake(t, acctest.ManyJobs(prefix, n)...)
			f.SetFaults(fakedts.Faults{ThrottleRate: quota})
			resource.UnitTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: acctest.ProviderConfig(f) + fmt.Sprintf(`
resource "dts_synchronization_job_state" "fleet" {
  count                  = %d
  synchronization_job_id = format("dts%s%%04d", count.index)
  state                  = "Suspended"
}
`, n, prefix),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					Check: func(s *terraform.State) error {
						for name, rs := range s.RootModule().Resources {
							if rs.Primary != nil && rs.Primary.Tainted {
								return fmt.Errorf("%s is tainted", name)
							}
						}
						for i := range n {
							if err := acctest.FakeStatusIs(f, fmt.Sprintf("dts%s%04d", prefix, i), "Forward", "Suspending"); err != nil {
								return err
							}
						}
						return nil
					},
				}},
			})
		})
	}
}

// When the quota is too low for the operation's deadline, a create waiting
// on the rate limiter fails when its timeout runs out, with an error that
// says how many calls DTS throttled and what quota that suggests, and it
// saves nothing (so nothing is tainted and the next plan adopts the job).
func TestAccSynchronizationJobState_throttledPastTimeout(t *testing.T) {
	t.Parallel()
	const n = 12
	f := acctest.NewFake(t, acctest.ManyJobs("tmo", n)...)
	// Only the pause calls are limited, to one a second: 12 pauses cannot
	// all go within a 3 s timeout.
	f.SetFaults(fakedts.Faults{ThrottleRate: 1, ThrottleBurst: 1, Actions: []string{"SuspendDtsJob", "SuspendSynchronizationJob"}})
	cli := acctest.NewCLI(t)
	cli.WriteConfig(acctest.ProviderConfig(f) + fmt.Sprintf(`
resource "dts_synchronization_job_state" "fleet" {
  count                  = %d
  synchronization_job_id = format("dtstmo%%04d", count.index)
  state                  = "Suspended"
  timeouts = {
    create = "3s"
  }
}
`, n))
	out, err := cli.Run("apply", "-auto-approve", "-input=false", "-json", "-parallelism=12")
	if err == nil {
		t.Fatal("apply succeeded; want some pauses to run out of time")
	}
	var failed int
	for _, d := range acctest.Diagnostics(out) {
		if d.Severity != "error" {
			continue
		}
		failed++
		for _, want := range []string{"throttled", "calls/s", "quota", "Nothing was saved"} {
			if !strings.Contains(d.Detail, want) {
				t.Errorf("error %q does not say %q:\n%s", d.Summary, want, d.Detail)
			}
		}
	}
	// How many get through before the timeout depends on the machine's speed
	// and the family's calls; that some run out of time does not.
	if failed == 0 {
		t.Errorf("no pause of %d failed; want the ones the quota leaves no time for to run out of time", n)
	}
	state, err := cli.Run("show", "-json")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(state, `"tainted"`) {
		t.Errorf("a resource is tainted:\n%s", state)
	}
}
