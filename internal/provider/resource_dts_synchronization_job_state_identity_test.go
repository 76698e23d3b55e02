package provider_test

import (
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// identityOf is the identity of a direction of a job in acctest.Region, as
// the resource writes it: every family's read reports the task ID.
func identityOf(f *fakedts.Server, jobID, direction string) map[string]knownvalue.Check {
	j, _ := f.Job(jobID)
	return map[string]knownvalue.Check{
		"dts_job_id":                knownvalue.StringExact(j.DtsJobID),
		"synchronization_job_id":    knownvalue.StringExact(jobID),
		"synchronization_direction": knownvalue.StringExact(direction),
		"region_id":                 knownvalue.StringExact(acctest.Region),
	}
}

// listedIdentityOf is the identity terraform query reports under the
// suite's api (listedIdentityIn).
func listedIdentityOf(f *fakedts.Server, jobID, direction string) map[string]knownvalue.Check {
	return listedIdentityIn(acctest.Actions(), f, jobID, direction)
}

// listedIdentityIn is the identity terraform query reports when family
// lists the jobs: with the task ID where its listing reports one.
func listedIdentityIn(family acctest.Family, f *fakedts.Server, jobID, direction string) map[string]knownvalue.Check {
	id := identityOf(f, jobID, direction)
	if !family.ListsTaskIDs {
		id["dts_job_id"] = knownvalue.Null()
	}
	return id
}

// The identity is set on create, kept through an update, and imports the
// resource back (ImportBlockWithResourceIdentity) with a no-op plan.
func TestAccSynchronizationJobState_identity(t *testing.T) {
	t.Parallel()
	const jobID = "dtsident001"
	f := acctest.NewFake(t, acctest.TwoWayJob(jobID, fakedts.PayTypePostPaid))
	identity := statecheck.ExpectIdentity(resName, identityOf(f, jobID, "Reverse"))

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
					statecheck.ExpectIdentity(resName, identityOf(f, jobID, "Forward")),
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

// An import block may name the job by its task ID alone (dts_job_id): the
// identity then gains the instance ID, and both IDs naming different jobs
// is refused with both named.
func TestAccSynchronizationJobState_importByTaskIDIdentity(t *testing.T) {
	t.Parallel()
	if acctest.API() == "synchronization_job" {
		t.Skip("a task ID needs the maintained family; api = synchronization_job refuses it (TestAccSynchronizationJobState_taskIDNeedsFamily)")
	}
	const jobID, otherID = "dtsident003", "dtsident004"
	f := acctest.NewFake(t, acctest.WithForward(acctest.OneWayJob(jobID, fakedts.PayTypePrePaid), "Suspending"),
		acctest.OneWayJob(otherID, fakedts.PayTypePrePaid))
	job, _ := f.Job(jobID)
	other, _ := f.Job(otherID)
	config := func(identity string) string {
		return acctest.ProviderConfig(f) + fmt.Sprintf(`
import {
  to       = dts_synchronization_job_state.test
  identity = {
%s
  }
}

resource "dts_synchronization_job_state" "test" {
  dts_job_id = %q
  state      = "Suspended"
}
`, identity, job.DtsJobID)
	}

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   acctest.FeatureChecks(acctest.Identity),
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      config(`    region_id = "cn-hangzhou"`),
				ExpectError: regexp.MustCompile(`identity\.synchronization_job_id[\s\S]*identity\.dts_job_id`),
			},
			{
				Config: config(fmt.Sprintf(`    synchronization_job_id = %q
    dts_job_id             = %q`, jobID, other.DtsJobID)),
				ExpectError: regexp.MustCompile(`(?s)Job IDs Name Different Jobs.*` + jobID + `.*` + other.DtsJobID),
			},
			{
				Config: config(fmt.Sprintf(`    dts_job_id = %q`, job.DtsJobID)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(resName, plancheck.ResourceActionNoop)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(resName, identityOf(f, jobID, "Forward")),
					stateIs("synchronization_job_id", knownvalue.StringExact(jobID)),
				},
			},
		},
	})
	if n := f.CallCount(acctest.Actions().Suspend) + f.CallCount(acctest.Actions().Start); n != 0 {
		t.Errorf("%d Suspend/Start calls, want none: an import changes nothing", n)
	}
}

// A job tracked without its task ID (a legacy answer that lacks TaskId, or
// a state from a provider version before dts_job_id) learns it once the
// provider reads the maintained family. The state shows the task ID; the
// identity, once written, keeps it null, since Terraform refuses an identity
// that changes. A fresh import writes the whole identity.
func TestAccSynchronizationJobState_identityKeepsGaps(t *testing.T) {
	t.Parallel()
	const jobID = "dtsident005"
	var noTaskID atomic.Bool
	noTaskID.Store(true)
	taskIDField := regexp.MustCompile(`"TaskId":"[^"]*"`)
	ip := acctest.NewInterposed(t, func(w http.ResponseWriter, r *http.Request, _ string, _ int, next http.Handler) bool {
		if !noTaskID.Load() {
			return false
		}
		acctest.Rewrite(w, r, next, func(body []byte) []byte { return taskIDField.ReplaceAll(body, []byte(`"TaskId":""`)) })
		return true
	}, acctest.OneWayJob(jobID, fakedts.PayTypePostPaid))
	job, _ := ip.Fake.Job(jobID)
	config := func(api string) string {
		return ip.ProviderConfig(fmt.Sprintf("  api = %q\n", api)) + fmt.Sprintf(`
resource "dts_synchronization_job_state" "test" {
  synchronization_job_id = %q
  state                  = "Suspended"
}
`, jobID)
	}
	withoutTask := map[string]knownvalue.Check{
		"dts_job_id":                knownvalue.Null(),
		"synchronization_job_id":    knownvalue.StringExact(jobID),
		"synchronization_direction": knownvalue.StringExact("Forward"),
		"region_id":                 knownvalue.StringExact(acctest.Region),
	}
	withTask := maps.Clone(withoutTask)
	withTask["dts_job_id"] = knownvalue.StringExact(job.DtsJobID)

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		TerraformVersionChecks:   acctest.FeatureChecks(acctest.Identity),
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config("synchronization_job"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(resName, withoutTask),
					stateIs("dts_job_id", knownvalue.Null()),
				},
			},
			{
				PreConfig: func() { noTaskID.Store(false) },
				Config:    config("auto"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(resName, withoutTask),
					stateIs("dts_job_id", knownvalue.StringExact(job.DtsJobID)),
				},
			},
			{
				Config: config("auto") + fmt.Sprintf(`
import {
  to       = dts_synchronization_job_state.again
  identity = { synchronization_job_id = %q }
}

resource "dts_synchronization_job_state" "again" {
  synchronization_job_id = %q
  state                  = "Suspended"
}
`, jobID, jobID),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity("dts_synchronization_job_state.again", withTask),
				},
			},
		},
	})
}
