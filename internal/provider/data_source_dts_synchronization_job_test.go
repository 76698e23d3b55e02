package provider_test

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

const jobDataName = "data.dts_synchronization_job.test"

var rfc3339UTC = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)

func testAccSynchronizationJobDataSourceConfig_basic(f *fakedts.Server, jobID string) string {
	return acctest.ProviderConfig(f) + fmt.Sprintf(`
data "dts_synchronization_job" "test" {
  synchronization_job_id = %[1]q
}
`, jobID)
}

func testAccSynchronizationJobDataSourceConfig_region(f *fakedts.Server, jobID, region string) string {
	return acctest.ProviderConfig(f) + fmt.Sprintf(`
data "dts_synchronization_job" "test" {
  synchronization_job_id = %[1]q
  region_id              = %[2]q
}
`, jobID, region)
}

func jobDataIs(attr string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(jobDataName, tfjsonpath.New(attr), v)
}

// positiveInt64 accepts a checkpoint: a Unix time in seconds in the last day.
var positiveInt64 = knownvalue.Int64Func(func(v int64) error {
	if v < time.Now().Add(-24*time.Hour).Unix() {
		return fmt.Errorf("checkpoint %d is not a recent Unix time", v)
	}
	return nil
})

// catchingUpDelay accepts the delay of a job seeded a minute behind that
// has been catching up since.
var catchingUpDelay = knownvalue.Int64Func(func(v int64) error {
	if v < 0 || v > 60 {
		return fmt.Errorf("delay_seconds %d is not from 0 to 60", v)
	}
	return nil
})

func endpointIs(instanceID, ip string) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"engine_name":   knownvalue.StringExact("MySQL"),
		"instance_id":   knownvalue.StringExact(instanceID),
		"instance_type": knownvalue.StringExact("RDS"),
		"ip":            knownvalue.StringExact(ip),
		"port":          knownvalue.Int64Exact(3306),
		"user_name":     knownvalue.StringExact("dtstest"),
	})
}

func TestAccSynchronizationJobDataSource_basic(t *testing.T) {
	t.Parallel()
	const jobID = "dtsdsbasic01"
	job := acctest.OneWayJob(jobID, "PrePaid")
	job.Class = "medium"
	job.ExpireTime = time.Date(2031, 3, 7, 16, 0, 0, 0, time.UTC)
	job.StructureInitialization = true
	f := acctest.NewFake(t, job)

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: testAccSynchronizationJobDataSourceConfig_basic(f, jobID),
				ConfigStateChecks: []statecheck.StateCheck{
					jobDataIs("id", knownvalue.StringExact(jobID)),
					jobDataIs("synchronization_job_id", knownvalue.StringExact(jobID)),
					jobDataIs("region_id", knownvalue.StringExact(acctest.Region)),
					jobDataIs("job_name", knownvalue.StringExact("orders-"+jobID)),
					jobDataIs("job_class", knownvalue.StringExact("medium")),
					jobDataIs("pay_type", knownvalue.StringExact("PrePaid")),
					jobDataIs("expire_time", knownvalue.StringExact("2031-03-07T16:00:00Z")),
					jobDataIs("status", knownvalue.StringExact("Synchronizing")),
					jobDataIs("delay_seconds", catchingUpDelay),
					jobDataIs("checkpoint", positiveInt64),
					jobDataIs("checkpoint_time", knownvalue.StringRegexp(rfc3339UTC)),
					jobDataIs("error_message", knownvalue.Null()),
					jobDataIs("two_way", knownvalue.Bool(false)),
					jobDataIs("structure_initialization", knownvalue.Bool(true)),
					jobDataIs("data_initialization", knownvalue.Bool(false)),
					jobDataIs("directions", knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"direction":     knownvalue.StringExact("Forward"),
							"status":        knownvalue.StringExact("Synchronizing"),
							"checkpoint":    positiveInt64,
							"delay_seconds": catchingUpDelay,
							"error_message": knownvalue.Null(),
						}),
					})),
					// ObjectExact also proves that no password attribute exists.
					jobDataIs("source_endpoint", endpointIs("rm-src"+jobID, "172.16.88.10")),
					jobDataIs("destination_endpoint", endpointIs("rm-dst"+jobID, "172.16.88.11")),
				},
				Check: resource.ComposeTestCheckFunc(
					acctest.CheckDirectionCalled(f, acctest.Actions().Describe, jobID, "Forward", true),
					acctest.CheckDirectionCalled(f, acctest.Actions().Describe, jobID, "Reverse", false),
					acctest.CheckCallCount(f, acctest.Actions().Suspend, 0),
					acctest.CheckCallCount(f, acctest.Actions().Start, 0),
				),
			},
		},
	})
}

// A two-way job lists both directions with their own statuses; the running
// Reverse direction needs no extra status call.
func TestAccSynchronizationJobDataSource_twoWay(t *testing.T) {
	t.Parallel()
	const jobID = "dtsdstwoway1"
	f := acctest.NewFake(t, acctest.TwoWayJob(jobID, "PostPaid"))
	must(t, f.SetStatus(jobID, "Reverse", "Suspending"))

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: testAccSynchronizationJobDataSourceConfig_basic(f, jobID),
				ConfigStateChecks: []statecheck.StateCheck{
					jobDataIs("two_way", knownvalue.Bool(true)),
					jobDataIs("status", knownvalue.StringExact("Synchronizing")),
					jobDataIs("pay_type", knownvalue.StringExact("PostPaid")),
					jobDataIs("expire_time", knownvalue.Null()),
					jobDataIs("directions", knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"direction":     knownvalue.StringExact("Forward"),
							"status":        knownvalue.StringExact("Synchronizing"),
							"checkpoint":    positiveInt64,
							"delay_seconds": catchingUpDelay,
							"error_message": knownvalue.Null(),
						}),
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"direction":  knownvalue.StringExact("Reverse"),
							"status":     knownvalue.StringExact("Suspending"),
							"checkpoint": positiveInt64,
							// Paused just now, from a live lag of a few seconds.
							"delay_seconds": reverseDelayIn(acctest.API(), delayInRange(0, 300)),
							"error_message": knownvalue.Null(),
						}),
					})),
				},
				Check: resource.ComposeTestCheckFunc(
					acctest.CheckDirectionCalled(f, acctest.Actions().Describe, jobID, "Reverse", false),
					acctest.CheckFakeStatus(f, jobID, "Reverse", "Suspending"),
				),
			},
			{
				// The Reverse direction resumes outside Terraform: the next read shows it.
				PreConfig: func() { must(t, f.SetStatus(jobID, "Reverse", "Synchronizing")) },
				Config:    testAccSynchronizationJobDataSourceConfig_basic(f, jobID),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(jobDataName, tfjsonpath.New("directions").AtSliceIndex(1).AtMapKey("status"),
						knownvalue.StringExact("Synchronizing")),
				},
			},
		},
	})
}

// A Failed job shows DTS's error message: at the top for Forward, and in
// directions for a failed Reverse direction, which takes a Reverse status call.
func TestAccSynchronizationJobDataSource_failed(t *testing.T) {
	t.Parallel()
	const (
		oneWayID = "dtsdsfailed1"
		twoWayID = "dtsdsfailed2"
		revMsg   = "DTS-071001: Reverse writer failed."
	)
	oneWay := acctest.WithForward(acctest.OneWayJob(oneWayID, "PostPaid"), "Failed")
	oneWay.Forward.ErrorMessage = "DTS-070211: Connect Source DB failed."
	twoWay := acctest.TwoWayJob(twoWayID, "PostPaid")
	twoWay.Reverse.Status = "Failed"
	twoWay.Reverse.ErrorMessage = revMsg
	f := acctest.NewFake(t, oneWay, twoWay)

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: acctest.ProviderConfig(f) + fmt.Sprintf(`
data "dts_synchronization_job" "one_way" {
  synchronization_job_id = %[1]q
}

data "dts_synchronization_job" "two_way" {
  synchronization_job_id = %[2]q
}
`, oneWayID, twoWayID),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.dts_synchronization_job.one_way", tfjsonpath.New("status"), knownvalue.StringExact("Failed")),
					statecheck.ExpectKnownValue("data.dts_synchronization_job.one_way", tfjsonpath.New("error_message"),
						knownvalue.StringExact("DTS-070211: Connect Source DB failed.")),
					statecheck.ExpectKnownValue("data.dts_synchronization_job.one_way", tfjsonpath.New("directions").AtSliceIndex(0).AtMapKey("error_message"),
						knownvalue.StringExact("DTS-070211: Connect Source DB failed.")),
					statecheck.ExpectKnownValue("data.dts_synchronization_job.two_way", tfjsonpath.New("status"), knownvalue.StringExact("Synchronizing")),
					statecheck.ExpectKnownValue("data.dts_synchronization_job.two_way", tfjsonpath.New("error_message"), knownvalue.Null()),
					statecheck.ExpectKnownValue("data.dts_synchronization_job.two_way", tfjsonpath.New("directions"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{
							"direction":     knownvalue.StringExact("Forward"),
							"status":        knownvalue.StringExact("Synchronizing"),
							"error_message": knownvalue.Null(),
						}),
						knownvalue.ObjectPartial(map[string]knownvalue.Check{
							"direction":     knownvalue.StringExact("Reverse"),
							"status":        knownvalue.StringExact("Failed"),
							"error_message": knownvalue.StringExact(revMsg),
						}),
					})),
				},
				Check: acctest.CheckDirectionCalled(f, acctest.Actions().Describe, twoWayID, "Reverse", true),
			},
		},
	})
}

// A job DTS does not know is an error (not a warning) naming the job and the region.
func TestAccSynchronizationJobDataSource_notFound(t *testing.T) {
	t.Parallel()
	f := acctest.NewFake(t, acctest.OneWayJob("dtsdsexists1", "PostPaid"))

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      testAccSynchronizationJobDataSourceConfig_basic(f, "dtsdsmissing"),
				ExpectError: regexp.MustCompile(`(?s)Error: Synchronization Job Not Found.*dtsdsmissing.*region\s+cn-hangzhou`),
			},
		},
	})
}

// region_id overrides the provider's region; without it the job in another
// region is not found, and the error names the region that was searched.
func TestAccSynchronizationJobDataSource_region(t *testing.T) {
	t.Parallel()
	const jobID = "dtsdsregion1"
	job := acctest.OneWayJob(jobID, "PostPaid")
	job.Region = "cn-shanghai"
	f := acctest.NewFake(t, job)

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: testAccSynchronizationJobDataSourceConfig_region(f, jobID, "cn-shanghai"),
				ConfigStateChecks: []statecheck.StateCheck{
					jobDataIs("region_id", knownvalue.StringExact("cn-shanghai")),
					jobDataIs("job_name", knownvalue.StringExact("orders-"+jobID)),
				},
				Check: func(_ *terraform.State) error {
					for _, c := range f.Calls() {
						if c.RegionID != "cn-shanghai" {
							return fmt.Errorf("%s was sent to region %q, want cn-shanghai", c.Action, c.RegionID)
						}
					}
					return nil
				},
			},
			{
				Config:      testAccSynchronizationJobDataSourceConfig_basic(f, jobID),
				ExpectError: regexp.MustCompile(`(?s)Synchronization Job Not Found.*` + jobID + `.*region\s+cn-hangzhou`),
			},
		},
	})
}

// Invalid input fails at plan time without any API call.
func TestAccSynchronizationJobDataSource_invalidInput(t *testing.T) {
	t.Parallel()
	f := acctest.NewFake(t, acctest.OneWayJob("dtsdsvalid01", "PostPaid"))

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      testAccSynchronizationJobDataSourceConfig_basic(f, "dts-abc;rm"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)synchronization_job_id.*ASCII letters and digits`),
			},
			{
				Config:      testAccSynchronizationJobDataSourceConfig_region(f, "dtsdsvalid01", "Hangzhou"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)region_id.*cn-hangzhou`),
			},
		},
	})
	if n := f.CallCount(""); n != 0 {
		t.Errorf("invalid input reached the API: the fake answered %d calls, want 0", n)
	}
}
