package acctest

import (
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// NumberedJobs returns n running one-way jobs in Region named prefix0000,
// prefix0001 and so on (IDs "dts"+name), created a minute apart from base, so
// that DescribeSynchronizationJobs lists the last one first.
func NumberedJobs(prefix string, n int, base time.Time) []fakedts.Job {
	jobs := make([]fakedts.Job, 0, n)
	for i := range n {
		name := fmt.Sprintf("%s%04d", prefix, i)
		j := OneWayJob("dts"+name, fakedts.PayTypePostPaid)
		j.Name = name
		j.CreateTime = base.Add(time.Duration(i) * time.Minute)
		jobs = append(jobs, j)
	}
	return jobs
}

// WithTags sets a job's tags.
func WithTags(j fakedts.Job, kv ...string) fakedts.Job {
	if len(kv)%2 != 0 {
		panic("acctest.WithTags: odd number of key/value arguments")
	}
	j.Tags = nil
	for i := 0; i < len(kv); i += 2 {
		j.Tags = append(j.Tags, fakedts.Tag{Key: kv[i], Value: kv[i+1]})
	}
	return j
}

// DirectionCallCount counts the calls of action the fake answered for one
// job direction ("" matches any job). A call that named the job by its task
// ID alone counts too.
func DirectionCallCount(f *fakedts.Server, action, jobID, direction string) int {
	taskID := ""
	if j, ok := f.Job(jobID); ok {
		taskID = j.DtsJobID
	}
	n := 0
	for _, c := range f.Calls() {
		named := jobID == "" || c.JobID == jobID || c.JobID == "" && taskID != "" && c.DtsJobID == taskID
		if c.Action == action && named && c.Direction == direction {
			n++
		}
	}
	return n
}

// CheckDirectionCalled asserts whether action was called for a job direction
// at least once (want true) or never (want false).
func CheckDirectionCalled(f *fakedts.Server, action, jobID, direction string, want bool) func(*terraform.State) error {
	return func(*terraform.State) error {
		n := DirectionCallCount(f, action, jobID, direction)
		if want && n == 0 {
			return fmt.Errorf("fake DTS answered no %s call for %s (%s), want at least one", action, jobID, direction)
		}
		if !want && n != 0 {
			return fmt.Errorf("fake DTS answered %d %s calls for %s (%s), want none", n, action, jobID, direction)
		}
		return nil
	}
}
