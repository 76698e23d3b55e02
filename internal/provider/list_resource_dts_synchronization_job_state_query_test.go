package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts/fakedtstest"
)

// 40 one-way jobs and a two-way one: more than one page of
// DescribeSynchronizationJobs (30 a page).
func queryTestFake(t *testing.T) (*fakedts.Server, *dtsclient.Client) {
	t.Helper()
	base := time.Now().Add(-time.Hour)
	var jobs []fakedts.Job
	for i := range 40 {
		j := batchTestJob(fmt.Sprintf("dtsquery%04d", i))
		j.Name = fmt.Sprintf("batch-%04d", i)
		j.CreateTime = base.Add(time.Duration(i) * time.Second)
		jobs = append(jobs, j)
	}
	two := batchTestJob("dtsquerytwo01")
	two.Name, two.TwoWay = "orders-sync", true
	two.CreateTime = base.Add(-time.Minute) // oldest: listed last
	two.Reverse = fakedts.DirectionState{Status: "Suspending", Checkpoint: base.Unix()}
	jobs = append(jobs, two)
	f := fakedtstest.NewServer(t, fakedts.Options{Jobs: jobs, Seed: 1})
	c, err := newBatchTestData(t, f.Endpoint(), 0).client(batchTestRegion)
	if err != nil {
		t.Fatal(err)
	}
	return f, c
}

type queryHit struct{ job, direction, status string }

func runQuery(t *testing.T, q jobStateQuery) []queryHit {
	t.Helper()
	var hits []queryHit
	err := q.run(context.Background(), func(j dtsclient.JobSummary, d dtsclient.DirectionStatus) bool {
		hits = append(hits, queryHit{j.JobID, d.Direction, d.Status.String()})
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	return hits
}

func TestJobStateQuery_everyDirectionOfEveryPage(t *testing.T) {
	t.Parallel()
	f, c := queryTestFake(t)
	hits := runQuery(t, jobStateQuery{c: c, region: batchTestRegion})
	if len(hits) != 42 {
		t.Fatalf("got %d results, want 42 (40 one-way jobs, both directions of the two-way one): %v", len(hits), hits)
	}
	last := hits[40:]
	want := []queryHit{{"dtsquerytwo01", "Forward", "Synchronizing"}, {"dtsquerytwo01", "Reverse", "Suspending"}}
	if fmt.Sprint(last) != fmt.Sprint(want) {
		t.Errorf("the two-way job's results are %v, want %v", last, want)
	}
	if got := f.CallCount("DescribeSynchronizationJobs"); got != 2 {
		t.Errorf("%d DescribeSynchronizationJobs calls for 41 jobs, want 2 pages", got)
	}
	if got := f.CallCount("DescribeSynchronizationJobStatusList"); got != 2 {
		t.Errorf("%d status-list calls, want one per page", got)
	}
	if got := f.CallCount("DescribeSynchronizationJobStatus"); got != 0 {
		t.Errorf("%d single status reads, want none", got)
	}
}

func TestJobStateQuery_limitStopsReading(t *testing.T) {
	t.Parallel()
	f, c := queryTestFake(t)
	hits := runQuery(t, jobStateQuery{c: c, region: batchTestRegion, limit: 5})
	if len(hits) != 5 {
		t.Fatalf("got %d results with limit 5", len(hits))
	}
	if got := f.CallCount("DescribeSynchronizationJobs"); got != 1 {
		t.Errorf("limit 5 read %d pages, want 1", got)
	}
}

func TestJobStateQuery_stopWhenConsumerStops(t *testing.T) {
	t.Parallel()
	f, c := queryTestFake(t)
	n := 0
	err := jobStateQuery{c: c, region: batchTestRegion}.run(context.Background(), func(dtsclient.JobSummary, dtsclient.DirectionStatus) bool {
		n++
		return n < 3
	})
	if err != nil || n != 3 {
		t.Fatalf("n=%d err=%v", n, err)
	}
	if got := f.CallCount("DescribeSynchronizationJobs"); got != 1 {
		t.Errorf("read %d pages after the consumer stopped, want 1", got)
	}
}

func TestJobStateQuery_nameRegex(t *testing.T) {
	t.Parallel()
	f, c := queryTestFake(t)
	hits := runQuery(t, jobStateQuery{c: c, region: batchTestRegion, nameRE: regexp.MustCompile(`^orders-`)})
	if len(hits) != 2 || hits[0].job != "dtsquerytwo01" {
		t.Fatalf("got %v, want both directions of orders-sync", hits)
	}
	// The first page matched nothing, so it needed no status-list call.
	if got := f.CallCount("DescribeSynchronizationJobStatusList"); got != 1 {
		t.Errorf("%d status-list calls, want 1 (only the page with a match)", got)
	}
}

func TestJobStateQuery_apiErrorStops(t *testing.T) {
	t.Parallel()
	f, c := queryTestFake(t)
	if err := f.QueueFault("DescribeSynchronizationJobStatusList", fakedts.FaultInternalError, 1); err != nil {
		t.Fatal(err)
	}
	var hits int
	err := jobStateQuery{c: c, region: batchTestRegion}.run(context.Background(), func(dtsclient.JobSummary, dtsclient.DirectionStatus) bool {
		hits++
		return true
	})
	if err == nil || hits != 0 {
		t.Fatalf("a failing status list gave %d results and error %v, want none and an error", hits, err)
	}
	if d := listErrorDetail(batchTestRegion, err); !regexp.MustCompile(`region cn-hangzhou.*InternalError`).MatchString(d) {
		t.Errorf("the error detail does not name the region and the code: %s", d)
	}
}
