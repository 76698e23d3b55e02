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

// 200 pauses at Terraform's default parallelism (10) against an endpoint
// that throttles above 40 calls per second and fails 5% of calls with a
// 5xx: every one converges, and the plan afterwards is empty.
func TestAccSynchronizationJobState_concurrentUnderThrottling(t *testing.T) {
	t.Parallel()
	const n = 200
	jobs := make([]fakedts.Job, n)
	for i := range jobs {
		jobs[i] = acctest.OneWayJob(fmt.Sprintf("dtsconc%05d", i), "PrePaid")
	}
	f := acctest.NewFake(t, jobs...)
	f.SetFaults(fakedts.Faults{ThrottleRate: 40, Error5xxRate: 0.05})

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: acctest.ProviderConfig(f) + fmt.Sprintf(`
resource "dts_synchronization_job_state" "fleet" {
  count                  = %d
  synchronization_job_id = format("dtsconc%%05d", count.index)
  state                  = "Suspended"
}
`, n),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(_ *terraform.State) error {
					for i := range n {
						if err := acctest.FakeStatusIs(f, fmt.Sprintf("dtsconc%05d", i), "Forward", "Suspending"); err != nil {
							return err
						}
					}
					return nil
				},
			},
		},
	})
}
