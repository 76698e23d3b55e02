package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts/fakedtstest"
)

// queryTestJobs is how many one-way jobs queryTestFake holds besides the
// two-way one: more than one page in either family (DescribeDtsJobs 100 a
// page, DescribeSynchronizationJobs 30).
const queryTestJobs = 130

// The pages each family reads for the whole fake: 131 jobs.
var queryTestPages = map[string]int{apiDtsJob: 2, apiAuto: 2, apiSynchronizationJob: 5}

// queryTestFake holds queryTestJobs one-way jobs and the two-way
// orders-sync, the oldest, so listed last.
func queryTestFake(t *testing.T) *fakedts.Server {
	t.Helper()
	base := time.Now().Add(-time.Hour)
	var jobs []fakedts.Job
	for i := range queryTestJobs {
		j := batchTestJob(fmt.Sprintf("dtsquery%04d", i))
		j.Name = fmt.Sprintf("batch-%04d", i)
		j.CreateTime = base.Add(time.Duration(i) * time.Second)
		jobs = append(jobs, j)
	}
	two := batchTestJob("dtsquerytwo01")
	two.Name, two.TwoWay = "orders-sync", true
	two.CreateTime = base.Add(-time.Minute)
	two.Reverse = fakedts.DirectionState{Status: "Suspending", Checkpoint: base.Unix()}
	jobs = append(jobs, two)
	return fakedtstest.NewServer(t, fakedts.Options{Jobs: jobs, Seed: 1})
}

// newTestQuery is a query of the fake's region through the provider's
// jobAPI under api.
func newTestQuery(t *testing.T, endpoint, api string) jobStateQuery {
	t.Helper()
	return jobStateQuery{jobs: newJobsTestData(t, endpoint, api).jobs, region: batchTestRegion}
}

type queryHit struct{ job, task, direction, status string }

func runQuery(t *testing.T, q jobStateQuery) []queryHit {
	t.Helper()
	var hits []queryHit
	err := q.run(context.Background(), func(j dtsclient.JobSummary, d dtsclient.DirectionStatus) bool {
		hits = append(hits, queryHit{j.JobID, j.DtsJobID, d.Direction, d.Status.String()})
		return true
	}, func(j dtsclient.JobSummary, d dtsclient.DirectionStatus) {
		t.Errorf("%s (%s, %s) was left out", j.JobID, d.Direction, d.Status)
	})
	if err != nil {
		t.Fatal(err)
	}
	return hits
}

// wantFamilyCalls checks that a query under api called only its family's
// list actions, and pages list pages.
func wantFamilyCalls(t *testing.T, f *fakedts.Server, api string, pages int) {
	t.Helper()
	got := map[string]int{}
	for _, a := range []string{"DescribeDtsJobs", "DescribeSynchronizationJobs", "DescribeSynchronizationJobStatusList",
		"DescribeDtsJobDetail", "DescribeSynchronizationJobStatus"} {
		got[a] = f.CallCount(a)
	}
	want := map[string]int{"DescribeDtsJobs": pages}
	if api == apiSynchronizationJob {
		want = map[string]int{"DescribeSynchronizationJobs": pages, "DescribeSynchronizationJobStatusList": got["DescribeSynchronizationJobStatusList"]}
		if got["DescribeSynchronizationJobStatusList"] > pages {
			t.Errorf("%d status-list calls for %d pages, want at most one a page", got["DescribeSynchronizationJobStatusList"], pages)
		}
	}
	for a, n := range got {
		if n != want[a] {
			t.Errorf("api = %q: %d %s calls, want %d (all calls: %v)", api, n, a, want[a], got)
		}
	}
}

func TestJobStateQuery_everyDirectionOfEveryPage(t *testing.T) {
	t.Parallel()
	for _, api := range apiValues {
		t.Run(api, func(t *testing.T) {
			t.Parallel()
			f := queryTestFake(t)
			hits := runQuery(t, newTestQuery(t, f.Endpoint(), api))
			if len(hits) != queryTestJobs+2 {
				t.Fatalf("got %d results, want %d (every one-way job, both directions of the two-way one)", len(hits), queryTestJobs+2)
			}
			task := ""
			if api != apiSynchronizationJob {
				// The maintained listing names the job's task ID, for either direction.
				task = batchTestTaskID("dtsquerytwo01")
			}
			want := []queryHit{{"dtsquerytwo01", task, "Forward", "Synchronizing"}, {"dtsquerytwo01", task, "Reverse", "Suspending"}}
			if last := hits[queryTestJobs:]; fmt.Sprint(last) != fmt.Sprint(want) {
				t.Errorf("the two-way job's results are %v, want %v", last, want)
			}
			wantFamilyCalls(t, f, api, queryTestPages[api])
			if api == apiSynchronizationJob && f.CallCount("DescribeSynchronizationJobStatusList") != queryTestPages[api] {
				t.Errorf("%d status-list calls, want one per page", f.CallCount("DescribeSynchronizationJobStatusList"))
			}
		})
	}
}

func TestJobStateQuery_limitStopsReading(t *testing.T) {
	t.Parallel()
	for _, api := range apiValues {
		t.Run(api, func(t *testing.T) {
			t.Parallel()
			f := queryTestFake(t)
			q := newTestQuery(t, f.Endpoint(), api)
			q.limit = 5
			if hits := runQuery(t, q); len(hits) != 5 {
				t.Fatalf("got %d results with limit 5", len(hits))
			}
			wantFamilyCalls(t, f, api, 1)
		})
	}
}

func TestJobStateQuery_stopWhenConsumerStops(t *testing.T) {
	t.Parallel()
	for _, api := range apiValues {
		t.Run(api, func(t *testing.T) {
			t.Parallel()
			f := queryTestFake(t)
			n := 0
			err := newTestQuery(t, f.Endpoint(), api).run(context.Background(), func(dtsclient.JobSummary, dtsclient.DirectionStatus) bool {
				n++
				return n < 3
			}, nil)
			if err != nil || n != 3 {
				t.Fatalf("n=%d err=%v", n, err)
			}
			wantFamilyCalls(t, f, api, 1)
		})
	}
}

func TestJobStateQuery_nameRegex(t *testing.T) {
	t.Parallel()
	for _, api := range apiValues {
		t.Run(api, func(t *testing.T) {
			t.Parallel()
			f := queryTestFake(t)
			q := newTestQuery(t, f.Endpoint(), api)
			q.nameRE = regexp.MustCompile(`^orders-`)
			hits := runQuery(t, q)
			if len(hits) != 2 || hits[0].job != "dtsquerytwo01" || hits[1].direction != "Reverse" {
				t.Fatalf("got %v, want both directions of orders-sync", hits)
			}
			wantFamilyCalls(t, f, api, queryTestPages[api])
			// Only the last legacy page matched, so only it needed a status-list call.
			if api == apiSynchronizationJob && f.CallCount("DescribeSynchronizationJobStatusList") != 1 {
				t.Errorf("%d status-list calls, want 1 (only the page with a match)", f.CallCount("DescribeSynchronizationJobStatusList"))
			}
		})
	}
}

func TestJobStateQuery_apiErrorStops(t *testing.T) {
	t.Parallel()
	for _, api := range apiValues {
		t.Run(api, func(t *testing.T) {
			t.Parallel()
			f := queryTestFake(t)
			// An error that says nothing about the family does not fall back.
			failing := "DescribeDtsJobs"
			if api == apiSynchronizationJob {
				failing = "DescribeSynchronizationJobStatusList"
			}
			if err := f.QueueFault(failing, fakedts.FaultInternalError, 1); err != nil {
				t.Fatal(err)
			}
			var hits int
			err := newTestQuery(t, f.Endpoint(), api).run(context.Background(), func(dtsclient.JobSummary, dtsclient.DirectionStatus) bool {
				hits++
				return true
			}, nil)
			if err == nil || hits != 0 {
				t.Fatalf("a failing %s gave %d results and error %v, want none and an error", failing, hits, err)
			}
			if d := listErrorDetail(batchTestRegion, err); !regexp.MustCompile(`region cn-hangzhou.*InternalError`).MatchString(d) {
				t.Errorf("the error detail does not name the region and the code: %s", d)
			}
			if api != apiSynchronizationJob && f.CallCount("DescribeSynchronizationJobs") != 0 {
				t.Errorf("an InternalError fell back to DescribeSynchronizationJobs")
			}
		})
	}
}

// refusingDtsJobs puts a server in front of f that answers DescribeDtsJobs
// pages from fromPage on as DTS answers an action it does not offer
// (gateway 404 InvalidApi.NotFound), and counts the refusals.
func refusingDtsJobs(t *testing.T, f *fakedts.Server, fromPage int) (endpoint string, refused func() int) {
	t.Helper()
	var (
		mu sync.Mutex
		n  int
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		action := r.Header.Get("x-acs-action")
		if action == "" {
			action = r.URL.Query().Get("Action")
		}
		var page int
		_, _ = fmt.Sscan(r.URL.Query().Get("PageNumber"), &page)
		if action != "DescribeDtsJobs" || page < fromPage {
			f.ServeHTTP(w, r)
			return
		}
		mu.Lock()
		n++
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = fmt.Fprint(w, `{"RequestId":"REFUSED-0001","HostId":"dts.aliyuncs.com","Code":"InvalidApi.NotFound",`+
			`"Message":"Specified api is not found, please check your url and method.",`+
			`"Recommend":"https://error-center.aliyun.com/status/search?Keyword=InvalidApi.NotFound&source=PopGw"}`)
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://"), func() int { mu.Lock(); defer mu.Unlock(); return n }
}

// auto lists with the legacy pages when DTS does not offer DescribeDtsJobs;
// dts_job reports the refusal.
func TestJobStateQuery_autoFallsBackWhenDtsJobsRefused(t *testing.T) {
	t.Parallel()
	f := queryTestFake(t)
	endpoint, refused := refusingDtsJobs(t, f, 1)
	hits := runQuery(t, newTestQuery(t, endpoint, apiAuto))
	if len(hits) != queryTestJobs+2 {
		t.Fatalf("auto gave %d results after the refusal, want %d", len(hits), queryTestJobs+2)
	}
	if refused() != 1 {
		t.Errorf("DescribeDtsJobs was asked %d times, want once", refused())
	}
	wantFamilyCalls(t, f, apiSynchronizationJob, queryTestPages[apiSynchronizationJob])
	if hits[queryTestJobs].task != "" {
		t.Errorf("a legacy listing named task ID %q", hits[queryTestJobs].task)
	}

	err := newTestQuery(t, endpoint, apiDtsJob).run(context.Background(), func(dtsclient.JobSummary, dtsclient.DirectionStatus) bool { return true }, nil)
	if err == nil || !strings.Contains(listErrorDetail(batchTestRegion, err), "InvalidApi.NotFound") {
		t.Errorf("api = dts_job with DescribeDtsJobs refused: %v, want the refusal", err)
	}
	if n := f.CallCount("DescribeSynchronizationJobs"); n != queryTestPages[apiSynchronizationJob] {
		t.Errorf("api = dts_job fell back: %d more DescribeSynchronizationJobs calls", n-queryTestPages[apiSynchronizationJob])
	}
}

// A refusal after the first page is an error: starting over in the other
// family would list the first page's jobs twice.
func TestJobStateQuery_autoDoesNotRestartAfterFirstPage(t *testing.T) {
	t.Parallel()
	f := queryTestFake(t)
	endpoint, _ := refusingDtsJobs(t, f, 2)
	var hits int
	err := newTestQuery(t, endpoint, apiAuto).run(context.Background(), func(dtsclient.JobSummary, dtsclient.DirectionStatus) bool {
		hits++
		return true
	}, nil)
	if err == nil || hits != 100 {
		t.Fatalf("got %d results and error %v, want the first page's 100 and the refusal", hits, err)
	}
	if n := f.CallCount("DescribeSynchronizationJobs"); n != 0 {
		t.Errorf("%d DescribeSynchronizationJobs calls after a later page was refused, want none", n)
	}
}

// Every status of the client's vocabulary is either a result (its import
// reads a state a configuration can declare) or left out with a reason of
// its own; the limit counts results only.
func TestJobStateQuery_leavesOutWhatCannotImportCleanly(t *testing.T) {
	t.Parallel()
	listed := map[dtsclient.Status]bool{
		dtsclient.StatusSynchronizing: true, dtsclient.StatusSuspending: true, dtsclient.StatusModifying: true,
		dtsclient.StatusRetrying: true, dtsclient.StatusUpgrade: true, dtsclient.StatusDowngrade: true,
	}
	unknown := leftOutReason("NoSuchStatus")
	for _, s := range []dtsclient.Status{
		dtsclient.StatusNotStarted, dtsclient.StatusPrechecking, dtsclient.StatusPrecheckFailed, dtsclient.StatusInitializing,
		dtsclient.StatusInitializeFailed, dtsclient.StatusSynchronizing, dtsclient.StatusFailed, dtsclient.StatusSuspending,
		dtsclient.StatusModifying, dtsclient.StatusFinished, dtsclient.StatusNotConfigured, dtsclient.StatusPreCheckPass,
		dtsclient.StatusRetrying, dtsclient.StatusUpgrade, dtsclient.StatusDowngrade, dtsclient.StatusLocked,
	} {
		if got := listable(s); got != listed[s] {
			t.Errorf("listable(%s) = %v, want %v", s, got, listed[s])
		}
		if !listed[s] && leftOutReason(s) == unknown {
			t.Errorf("%s, left out, has no reason of its own", s)
		}
	}

	var jobs []fakedts.Job
	for i, s := range []string{"Finished", "Synchronizing", "Locked", "Suspending", "NotStarted", "Retrying"} {
		j := batchTestJob(fmt.Sprintf("dtsleft%02d", i))
		j.Forward.Status = s
		j.CreateTime = time.Now().Add(time.Duration(-i) * time.Minute) // listed in this order
		jobs = append(jobs, j)
	}
	f := fakedtstest.NewServer(t, fakedts.Options{Jobs: jobs, Seed: 1})
	for _, api := range apiValues {
		q := newTestQuery(t, f.Endpoint(), api)
		q.limit = 2
		var hits, left []string
		err := q.run(context.Background(), func(j dtsclient.JobSummary, _ dtsclient.DirectionStatus) bool {
			hits = append(hits, j.JobID)
			return true
		}, func(j dtsclient.JobSummary, d dtsclient.DirectionStatus) {
			left = append(left, j.JobID+":"+d.Status.String())
		})
		if err != nil {
			t.Fatal(err)
		}
		wantLeft := "[dtsleft00:Finished dtsleft02:" + map[bool]string{true: "Failed", false: "Locked"}[api == apiSynchronizationJob] + "]"
		if fmt.Sprint(hits) != "[dtsleft01 dtsleft03]" || fmt.Sprint(left) != wantLeft {
			t.Errorf("api = %s, limit 2: results %v and left out %v, want [dtsleft01 dtsleft03] and %s", api, hits, left, wantLeft)
		}
	}
}
