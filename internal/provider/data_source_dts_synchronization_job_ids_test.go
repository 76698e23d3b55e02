package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
)

// The job data source takes the task ID (dts_job_id), the instance ID or
// both, and shows the one not given.
func TestAccSynchronizationJobDataSource_taskID(t *testing.T) {
	t.Parallel()
	const (
		jobID  = "dtsl3m1213ye7lxd01"
		taskID = "l3m1213ye7lxd01"
	)
	f := acctest.NewFake(t, acctest.TwoWayJob(jobID, "PostPaid"))
	byTask := acctest.ProviderConfig(f) + fmt.Sprintf(`
data "dts_synchronization_job" "test" {
  dts_job_id = %q
}
`, taskID)

	if acctest.API() == "synchronization_job" {
		// The legacy family takes no task ID: a plan-time error, no call.
		resource.UnitTest(t, resource.TestCase{
			PreCheck:                 func() { acctest.PreCheck(t) },
			ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config:      byTask,
				ExpectError: regexp.MustCompile(`(?s)Task ID Needs the Maintained DTS API.*dts_job_id\s+=\s+"` + taskID + `".*api\s+=\s+"synchronization_job".*synchronization_job_id`),
			}},
		})
		if n := f.CallCount(""); n != 0 {
			t.Errorf("a task ID under api = synchronization_job reached the API: %d calls, want 0", n)
		}
		return
	}
	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: byTask,
				ConfigStateChecks: []statecheck.StateCheck{
					jobDataIs("id", knownvalue.StringExact(jobID)),
					jobDataIs("synchronization_job_id", knownvalue.StringExact(jobID)),
					jobDataIs("dts_job_id", knownvalue.StringExact(taskID)),
					jobDataIs("two_way", knownvalue.Bool(true)),
				},
			},
			{
				Config: acctest.ProviderConfig(f) + fmt.Sprintf(`
data "dts_synchronization_job" "test" {
  synchronization_job_id = %q
  dts_job_id             = %q
}
`, jobID, taskID),
				ConfigStateChecks: []statecheck.StateCheck{
					jobDataIs("synchronization_job_id", knownvalue.StringExact(jobID)),
					jobDataIs("dts_job_id", knownvalue.StringExact(taskID)),
				},
			},
		},
	})
}

// By instance ID alone, the data source shows the task ID DTS reports (the
// legacy family reports it as TaskId).
func TestAccSynchronizationJobDataSource_showsTaskID(t *testing.T) {
	t.Parallel()
	const jobID = "dtsl3m1213ye7lxd02"
	f := acctest.NewFake(t, acctest.OneWayJob(jobID, "PostPaid"))
	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:            testAccSynchronizationJobDataSourceConfig_basic(f, jobID),
			ConfigStateChecks: []statecheck.StateCheck{jobDataIs("dts_job_id", knownvalue.StringExact("l3m1213ye7lxd02"))},
		}},
	})
}

// Two IDs of different jobs are an error naming both; a task ID of the wrong
// shape or no ID at all fails before any API call.
func TestAccSynchronizationJobDataSource_badIDs(t *testing.T) {
	t.Parallel()
	const (
		jobA = "dtsl3m1213ye7lxd03"
		jobB = "dtsl3m1213ye7lxd04"
	)
	f := acctest.NewFake(t, acctest.OneWayJob(jobA, "PostPaid"), acctest.OneWayJob(jobB, "PostPaid"))
	cfg := func(body string) string {
		return acctest.ProviderConfig(f) + "\ndata \"dts_synchronization_job\" \"test\" {\n" + body + "\n}\n"
	}
	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      cfg(`dts_job_id = "dtsl3m1213ye7lxd03"`),
				ExpectError: regexp.MustCompile(`(?s)Invalid DTS Task ID.*dts_job_id.*task ID.*"dtsl3m1213ye7lxd03".*instance ID`),
			},
			{
				Config:      cfg(`dts_job_id = "L3M-1213"`),
				ExpectError: regexp.MustCompile(`(?s)Invalid DTS Task ID.*dts_job_id.*8 to 32 lower-case letters and digits`),
			},
			{
				Config:      cfg(`region_id = "cn-hangzhou"`),
				ExpectError: regexp.MustCompile(`(?s)synchronization_job_id.*dts_job_id`),
			},
		},
	})
	if n := f.CallCount(""); n != 0 {
		t.Errorf("IDs of the wrong shape reached the API: %d calls, want 0", n)
	}
	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg(fmt.Sprintf("synchronization_job_id = %q\ndts_job_id = %q", jobA, "l3m1213ye7lxd04")),
			ExpectError: regexp.MustCompile(`(?s)Job IDs Name Different Jobs.*synchronization_job_id\s+=\s+"` + jobA +
				`".*dts_job_id\s+=\s+"l3m1213ye7lxd04".*task\s+ID\s+"l3m1213ye7lxd03"`),
		}},
	})
	if n := f.CallCount(acctest.Actions().Suspend) + f.CallCount(acctest.Actions().Start); n != 0 {
		t.Errorf("reading a job made %d Suspend/Start calls", n)
	}
}
