package provider_test

import (
	"fmt"
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
