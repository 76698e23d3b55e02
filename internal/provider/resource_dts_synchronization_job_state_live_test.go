package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
)

// TestAccLiveSynchronizationJobState_smoke checks the provider against real
// Alibaba Cloud DTS (make testacc): it pauses a disposable job, shows that
// the next plan is clean, resumes it and imports it. It is skipped unless
// acctest.LivePreCheck finds credentials and DTS_ACC_JOB_ID; the job must be
// running when it starts, and is running again when it ends.
func TestAccLiveSynchronizationJobState_smoke(t *testing.T) {
	jobID, direction, region := acctest.LiveJob()
	config := func(state string) string {
		return fmt.Sprintf(`
provider "dts" {}

resource "dts_synchronization_job_state" "test" {
  synchronization_job_id    = %[1]q
  synchronization_direction = %[2]q
  state                     = %[3]q
}
`, jobID, direction, state)
	}

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.LivePreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config("Suspended"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(resName, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					stateIs("status", knownvalue.StringExact("Suspending")),
					stateIs("region_id", knownvalue.StringExact(region)),
				},
			},
			{
				// A plan of the paused job changes nothing.
				Config:   config("Suspended"),
				PlanOnly: true,
			},
			{
				Config: config("Synchronizing"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(resName, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{stateIs("status", knownvalue.StringExact("Synchronizing"))},
			},
			{
				ResourceName:            resName,
				ImportState:             true,
				ImportStateId:           region + "/" + jobID + ":" + direction,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts", "suspended_at"},
			},
		},
	})
}
