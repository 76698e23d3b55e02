package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// identityOf is the identity of a direction of a job in acctest.Region.
func identityOf(jobID, direction string) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{
		"synchronization_job_id":    knownvalue.StringExact(jobID),
		"synchronization_direction": knownvalue.StringExact(direction),
		"region_id":                 knownvalue.StringExact(acctest.Region),
	}
}

// The identity is set on create, kept through an update, and imports the
// resource back (ImportBlockWithResourceIdentity) with a no-op plan.
func TestAccSynchronizationJobState_identity(t *testing.T) {
	t.Parallel()
	const jobID = "dtsident001"
	f := acctest.NewFake(t, acctest.TwoWayJob(jobID, fakedts.PayTypePostPaid))
	identity := statecheck.ExpectIdentity(resName, identityOf(jobID, "Reverse"))

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   acctest.FeatureChecks(acctest.Identity),
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            testAccSynchronizationJobStateConfig_direction(f, jobID, "Reverse", "Suspended"),
				ConfigStateChecks: []statecheck.StateCheck{identity},
			},
			{
				Config:            testAccSynchronizationJobStateConfig_direction(f, jobID, "Reverse", "Synchronizing"),
				ConfigStateChecks: []statecheck.StateCheck{identity},
				Check:             acctest.CheckFakeStatus(f, jobID, "Reverse", "Synchronizing"),
			},
			{
				ResourceName:    resName,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
		},
	})
}

func identityImportConfig(f *fakedts.Server, identity, state string) string {
	return acctest.ProviderConfig(f) + fmt.Sprintf(`
import {
  to       = dts_synchronization_job_state.test
  identity = {
%s
  }
}

resource "dts_synchronization_job_state" "test" {
  synchronization_job_id = "dtsident002"
  state                  = %q
}
`, identity, state)
}

// An import block may name only the job: the direction defaults to Forward
// and the region to the provider's, as with a string import ID. A bad
// identity value is refused with the accepted form.
func TestAccSynchronizationJobState_importByPartialIdentity(t *testing.T) {
	t.Parallel()
	const jobID = "dtsident002"
	f := acctest.NewFake(t, acctest.WithForward(acctest.OneWayJob(jobID, fakedts.PayTypePrePaid), "Suspending"))

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   acctest.FeatureChecks(acctest.Identity),
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: identityImportConfig(f, `    synchronization_job_id    = "dtsident002"
    synchronization_direction = "forward"`, "Suspended"),
				ExpectError: regexp.MustCompile(`identity.synchronization_direction\s+"forward"\s+must\s+be\s+Forward\s+or\s+Reverse`),
			},
			{
				Config: identityImportConfig(f, `    synchronization_job_id = "dtsident002"`, "Suspended"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(resName, plancheck.ResourceActionNoop)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(resName, identityOf(jobID, "Forward")),
					stateIs("state", knownvalue.StringExact("Suspended")),
					stateIs("region_id", knownvalue.StringExact(acctest.Region)),
				},
			},
		},
	})
	if n := f.CallCount("StartSynchronizationJob") + f.CallCount("SuspendSynchronizationJob"); n != 0 {
		t.Errorf("%d Start/Suspend calls, want none: an import changes nothing", n)
	}
}
