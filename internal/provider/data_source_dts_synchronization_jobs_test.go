package provider_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

const jobsDataName = "data.dts_synchronization_jobs.test"

// testAccSynchronizationJobsDataSourceConfig_filters writes the data source
// with the given attribute lines (already in HCL).
func testAccSynchronizationJobsDataSourceConfig_filters(f *fakedts.Server, attrs ...string) string {
	return acctest.ProviderConfig(f) + "\ndata \"dts_synchronization_jobs\" \"test\" {\n" + strings.Join(attrs, "\n") + "\n}\n"
}

func jobsDataIs(attr string, v knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(jobsDataName, tfjsonpath.New(attr), v)
}

func idsAre(ids ...string) statecheck.StateCheck {
	checks := make([]knownvalue.Check, 0, len(ids))
	for _, id := range ids {
		checks = append(checks, knownvalue.StringExact(id))
	}
	return jobsDataIs("ids", knownvalue.ListExact(checks))
}

// filterJobs is a region with jobs that differ in name, status and tags,
// created a minute apart so that DTS lists them newest first:
// billing-0003, orders-eu-0002, orders-us-0001, orders-us-0000.
func filterJobs(t *testing.T) (*fakedts.Server, time.Time) {
	t.Helper()
	base := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	at := func(i int) time.Time { return base.Add(time.Duration(i) * time.Minute) }

	j0 := acctest.WithTags(acctest.OneWayJob("dtsorders0000", "PostPaid"), "env", "prod", "team", "orders")
	j0.Name, j0.CreateTime = "orders-us-0000", at(0)
	j1 := acctest.WithTags(acctest.WithForward(acctest.OneWayJob("dtsorders0001", "PostPaid"), "Suspending"), "env", "dev", "team", "orders")
	j1.Name, j1.CreateTime = "orders-us-0001", at(1)
	j2 := acctest.WithTags(acctest.TwoWayJob("dtsorders0002", "PrePaid"), "env", "prod")
	j2.Name, j2.CreateTime = "orders-eu-0002", at(2)
	j3 := acctest.WithForward(acctest.OneWayJob("dtsbilling0003", "PostPaid"), "Failed")
	j3.Name, j3.CreateTime = "billing-0003", at(3)
	j3.Forward.ErrorMessage = "DTS-070211: Connect Source DB failed."
	// A job of another region never shows up.
	other := acctest.OneWayJob("dtsordersother", "PostPaid")
	other.Region, other.Name = "cn-beijing", "orders-other"

	return acctest.NewFake(t, j0, j1, j2, j3, other), base
}

func TestAccSynchronizationJobsDataSource_basic(t *testing.T) {
	t.Parallel()
	f, base := filterJobs(t)
	sameID := statecheck.CompareValue(compare.ValuesSame())

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: testAccSynchronizationJobsDataSourceConfig_filters(f),
				ConfigStateChecks: []statecheck.StateCheck{
					jobsDataIs("region_id", knownvalue.StringExact(acctest.Region)),
					jobsDataIs("id", knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{16}$`))),
					idsAre("dtsbilling0003", "dtsorders0002", "dtsorders0001", "dtsorders0000"),
					statecheck.ExpectKnownValue(jobsDataName, tfjsonpath.New("jobs").AtSliceIndex(0), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":                   knownvalue.StringExact("dtsbilling0003"),
						"job_name":             knownvalue.StringExact("billing-0003"),
						"job_class":            knownvalue.StringExact("small"),
						"status":               knownvalue.StringExact("Failed"),
						"pay_type":             knownvalue.StringExact("PostPaid"),
						"delay_seconds":        knownvalue.NotNull(),
						"create_time":          knownvalue.StringExact(base.Add(3 * time.Minute).Format(time.RFC3339)),
						"error_message":        knownvalue.StringExact("DTS-070211: Connect Source DB failed."),
						"source_endpoint":      endpointIs("rm-srcdtsbilling0003", "172.16.88.10"),
						"destination_endpoint": endpointIs("rm-dstdtsbilling0003", "172.16.88.11"),
						"tags":                 knownvalue.MapExact(map[string]knownvalue.Check{}),
						"dts_job_id":           acctest.TaskIDIn(f, "dtsbilling0003"),
					})),
					statecheck.ExpectKnownValue(jobsDataName, tfjsonpath.New("jobs").AtSliceIndex(3), knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"id":            knownvalue.StringExact("dtsorders0000"),
						"status":        knownvalue.StringExact("Synchronizing"),
						"error_message": knownvalue.Null(),
						"tags": knownvalue.MapExact(map[string]knownvalue.Check{
							"env":  knownvalue.StringExact("prod"),
							"team": knownvalue.StringExact("orders"),
						}),
					})),
					sameID.AddStateValue(jobsDataName, tfjsonpath.New("id")),
				},
			},
			{
				// The same filters on the next run give the same id.
				Config: testAccSynchronizationJobsDataSourceConfig_filters(f),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(jobsDataName, tfjsonpath.New("id")),
				},
			},
		},
	})
}

// name is sent to DTS as SynchronizationJobName, a substring match.
func TestAccSynchronizationJobsDataSource_name(t *testing.T) {
	t.Parallel()
	f, _ := filterJobs(t)
	diffID := statecheck.CompareValue(compare.ValuesDiffer())

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: testAccSynchronizationJobsDataSourceConfig_filters(f, `name = "orders-us"`),
				ConfigStateChecks: []statecheck.StateCheck{
					idsAre("dtsorders0001", "dtsorders0000"),
					jobsDataIs("jobs", knownvalue.ListSizeExact(2)),
					diffID.AddStateValue(jobsDataName, tfjsonpath.New("id")),
				},
			},
			{
				Config: testAccSynchronizationJobsDataSourceConfig_filters(f, `name = "no-such-job"`),
				ConfigStateChecks: []statecheck.StateCheck{
					idsAre(),
					jobsDataIs("jobs", knownvalue.ListExact([]knownvalue.Check{})),
					diffID.AddStateValue(jobsDataName, tfjsonpath.New("id")),
				},
			},
		},
	})
}

// name_regex filters the listed jobs in the provider and combines with name.
func TestAccSynchronizationJobsDataSource_nameRegex(t *testing.T) {
	t.Parallel()
	f, _ := filterJobs(t)

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: testAccSynchronizationJobsDataSourceConfig_filters(f, `name_regex = "-000[02]$"`),
				ConfigStateChecks: []statecheck.StateCheck{
					idsAre("dtsorders0002", "dtsorders0000"),
				},
			},
			{
				Config: testAccSynchronizationJobsDataSourceConfig_filters(f, `name = "orders"`, `name_regex = "^orders-(us|eu)-000[12]$"`),
				ConfigStateChecks: []statecheck.StateCheck{
					idsAre("dtsorders0002", "dtsorders0001"),
				},
			},
		},
	})
}

// status keeps jobs whose Forward direction has exactly that raw status.
func TestAccSynchronizationJobsDataSource_status(t *testing.T) {
	t.Parallel()
	f, _ := filterJobs(t)

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: testAccSynchronizationJobsDataSourceConfig_filters(f, `status = "Suspending"`),
				ConfigStateChecks: []statecheck.StateCheck{
					idsAre("dtsorders0001"),
					statecheck.ExpectKnownValue(jobsDataName, tfjsonpath.New("jobs").AtSliceIndex(0).AtMapKey("status"), knownvalue.StringExact("Suspending")),
				},
			},
			{
				Config: testAccSynchronizationJobsDataSourceConfig_filters(f, `status = "Synchronizing"`),
				ConfigStateChecks: []statecheck.StateCheck{
					idsAre("dtsorders0002", "dtsorders0000"),
				},
			},
			{
				// A job paused outside Terraform moves between the status filters.
				PreConfig: func() { must(t, f.SetStatus("dtsorders0000", "Forward", "Suspending")) },
				Config:    testAccSynchronizationJobsDataSourceConfig_filters(f, `status = "Suspending"`),
				ConfigStateChecks: []statecheck.StateCheck{
					idsAre("dtsorders0001", "dtsorders0000"),
				},
			},
		},
	})
}

// tags are sent to DTS as Tag.N.Key/Tag.N.Value; a job needs all of them,
// and an empty value matches any value of the key.
func TestAccSynchronizationJobsDataSource_tags(t *testing.T) {
	t.Parallel()
	f, _ := filterJobs(t)

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: testAccSynchronizationJobsDataSourceConfig_filters(f, `tags = { env = "prod" }`),
				ConfigStateChecks: []statecheck.StateCheck{
					idsAre("dtsorders0002", "dtsorders0000"),
					jobsDataIs("tags", knownvalue.MapExact(map[string]knownvalue.Check{"env": knownvalue.StringExact("prod")})),
				},
			},
			{
				Config: testAccSynchronizationJobsDataSourceConfig_filters(f, `tags = { env = "prod", team = "orders" }`),
				ConfigStateChecks: []statecheck.StateCheck{
					idsAre("dtsorders0000"),
				},
			},
			{
				Config: testAccSynchronizationJobsDataSourceConfig_filters(f, `tags = { team = "" }`),
				ConfigStateChecks: []statecheck.StateCheck{
					idsAre("dtsorders0001", "dtsorders0000"),
				},
			},
			{
				// All filters at once: DTS applies name and tags, the provider status.
				Config: testAccSynchronizationJobsDataSourceConfig_filters(f,
					`name = "orders"`, `status = "Synchronizing"`, `tags = { team = "orders" }`),
				ConfigStateChecks: []statecheck.StateCheck{
					idsAre("dtsorders0000"),
				},
			},
		},
	})
}

// More jobs than fit on one page (30 jobs of DescribeSynchronizationJobs, 100
// of DescribeDtsJobs) are all returned, newest first, and a region_id
// override is honoured.
func TestAccSynchronizationJobsDataSource_paging(t *testing.T) {
	t.Parallel()
	n := acctest.Actions().ListPageSize + 5
	base := time.Now().UTC().Add(-2 * time.Hour).Truncate(time.Second)
	jobs := acctest.NumberedJobs("page", n, base)
	for i := range jobs {
		jobs[i].Region = "cn-shanghai"
	}
	f := acctest.NewFake(t, jobs...)
	want := make([]string, 0, n)
	for i := n - 1; i >= 0; i-- {
		want = append(want, jobs[i].ID)
	}

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: testAccSynchronizationJobsDataSourceConfig_filters(f, `region_id = "cn-shanghai"`),
				ConfigStateChecks: []statecheck.StateCheck{
					jobsDataIs("region_id", knownvalue.StringExact("cn-shanghai")),
					idsAre(want...),
					jobsDataIs("jobs", knownvalue.ListSizeExact(n)),
					statecheck.ExpectKnownValue(jobsDataName, tfjsonpath.New("jobs").AtSliceIndex(n-1).AtMapKey("job_name"), knownvalue.StringExact("page0000")),
				},
				Check: checkPagesRequested(f, 2),
			},
			{
				// The provider's region holds none of them.
				Config: testAccSynchronizationJobsDataSourceConfig_filters(f),
				ConfigStateChecks: []statecheck.StateCheck{
					jobsDataIs("region_id", knownvalue.StringExact(acctest.Region)),
					idsAre(),
				},
			},
		},
	})
}

// checkPagesRequested asserts that the list action was called in multiples
// of pages: each read of the data source takes exactly pages calls.
func checkPagesRequested(f *fakedts.Server, pages int) func(*terraform.State) error {
	return func(*terraform.State) error {
		action := acctest.Actions().List
		got := f.CallCount(action)
		if got == 0 || got%pages != 0 {
			return fmt.Errorf("fake DTS answered %d %s calls, want a positive multiple of %d", got, action, pages)
		}
		return nil
	}
}

// An invalid regular expression or status fails at plan time, before any API call.
func TestAccSynchronizationJobsDataSource_invalidInput(t *testing.T) {
	t.Parallel()
	f, _ := filterJobs(t)
	cases := map[string]struct {
		attrs string
		want  string
	}{
		"unclosed group":       {`name_regex = "orders-("`, `Invalid Regular Expression.*name_regex.*orders-\(.*missing closing \)`},
		"perl lookahead":       {`name_regex = "^(?!billing)"`, `Invalid Regular Expression.*RE2`},
		"paused in user words": {`status = "Suspended"`, `status.*value must be one of.*"Suspending"`},
		"status in lower case": {`status = "synchronizing"`, `status.*value must be one of.*"Synchronizing"`},
		"empty tag key":        {`tags = { "" = "x" }`, `tags.*at least 1`},
		"empty name":           {`name = ""`, `name.*at least 1`},
	}
	var steps []resource.TestStep
	for _, tc := range cases {
		steps = append(steps, resource.TestStep{
			Config:      testAccSynchronizationJobsDataSourceConfig_filters(f, tc.attrs),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)` + tc.want),
		})
	}
	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps:                    steps,
	})
	if n := f.CallCount(""); n != 0 {
		t.Errorf("invalid input reached the API: the fake answered %d calls, want 0", n)
	}
}
