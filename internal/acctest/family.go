package acctest

import (
	"fmt"
	"os"
	"slices"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"

	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// APIEnv names the provider's api value the acceptance tests run with, so
// that one suite covers every family: DTS_TEST_API=dts_job make test.
const APIEnv = "DTS_TEST_API"

// APIs are the values APIEnv takes; "" means auto, the provider's default.
var APIs = []string{"auto", "dts_job", "synchronization_job"}

// API is the provider's api value the acceptance tests run with.
func API() string {
	if v := os.Getenv(APIEnv); v != "" {
		return v
	}
	return "auto"
}

// checkAPI rejects an APIEnv value the provider would reject.
func checkAPI() error {
	if !slices.Contains(APIs, API()) {
		return fmt.Errorf("%s=%q: want one of %v", APIEnv, API(), APIs)
	}
	return nil
}

// Family names the DTS actions the provider calls in one family, so that a
// test counts calls without knowing which family it runs in.
type Family struct {
	Describe   string // one direction of one job
	Suspend    string
	Start      string
	Directions string // the statuses of several jobs: batched refresh, the job data source
	List       string // the jobs data source
	// ListPageSize is how many jobs one List call asks for.
	ListPageSize int
	// ListsTaskIDs is whether List reports the jobs' task IDs.
	ListsTaskIDs bool
}

// Legacy is the SynchronizationJob family (api = "synchronization_job").
var Legacy = Family{
	Describe:   "DescribeSynchronizationJobStatus",
	Suspend:    "SuspendSynchronizationJob",
	Start:      "StartSynchronizationJob",
	Directions: "DescribeSynchronizationJobStatusList",
	List:       "DescribeSynchronizationJobs",
	// The provider's page size for DescribeSynchronizationJobs (dtsclient.DefaultPageSize).
	ListPageSize: 30,
}

// Maintained is the DtsJob family (api = "dts_job", and "auto" for every job
// the fake serves through it, which is every job).
var Maintained = Family{
	Describe:   "DescribeDtsJobDetail",
	Suspend:    "SuspendDtsJob",
	Start:      "StartDtsJob",
	Directions: "DescribeDtsJobs",
	List:       "DescribeDtsJobs",
	// dtsclient.DefaultDtsJobsPageSize.
	ListPageSize: 100,
	ListsTaskIDs: true,
}

// Actions is the family the provider calls under API.
func Actions() Family {
	if API() == "synchronization_job" {
		return Legacy
	}
	return Maintained
}

// TaskIDIn is what the jobs data source shows as a job's dts_job_id: the
// fake's task ID when the family lists it, else null.
func TaskIDIn(f *fakedts.Server, jobID string) knownvalue.Check {
	j, ok := f.Job(jobID)
	if !Actions().ListsTaskIDs || !ok {
		return knownvalue.Null()
	}
	return knownvalue.StringExact(j.DtsJobID)
}
