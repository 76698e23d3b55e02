package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts/fakedtstest"
)

const (
	batchTestRegion   = "cn-hangzhou"
	batchListAction   = "DescribeSynchronizationJobStatusList"
	batchSingleAction = "DescribeSynchronizationJobStatus"
)

// batchTestJob is a running one-way job, like acctest.OneWayJob (which this
// package cannot import).
func batchTestJob(id string) fakedts.Job {
	return fakedts.Job{
		ID: id, DtsJobID: batchTestTaskID(id), Name: "orders-" + id, Region: batchTestRegion, PayType: fakedts.PayTypePostPaid,
		Forward: fakedts.DirectionState{Status: "Synchronizing", Checkpoint: time.Now().Add(-time.Minute).Unix()},
	}
}

// batchTestTaskID is the task ID of batchTestJob(id): the ID without "dts".
func batchTestTaskID(id string) string { return strings.TrimPrefix(id, "dts") }

func batchTestJobs(prefix string, n int) []fakedts.Job {
	jobs := make([]fakedts.Job, n)
	for i := range jobs {
		jobs[i] = batchTestJob(fmt.Sprintf("%s%04d", prefix, i))
	}
	return jobs
}

// newBatchTestData configures provider data against endpoint the way
// Configure would, with the client's own retries off unless asked for.
func newBatchTestData(t *testing.T, endpoint string, maxRetries int) *providerData {
	t.Helper()
	cred := fakedts.DefaultCredential()
	d, err := newProviderData(context.Background(), &settings{
		AccessKey: cred.AccessKeyID, SecretKey: cred.AccessKeySecret, Region: batchTestRegion,
		Endpoint: endpoint, Protocol: "http", MaxRetries: maxRetries, SignatureAlgorithm: signatureV3,
		// The batcher's wave logic is the same in every family; these tests
		// count the legacy list calls (job_api_test.go covers DescribeDtsJobs).
		API: apiSynchronizationJob,
	}, "test")
	if err != nil {
		t.Fatal(err)
	}
	if d.shared.statuses == nil {
		t.Fatal("batching is on by default, but the provider data has no batcher")
	}
	return d
}

// recordBatchCalls wraps the batcher's call to record the IDs each one carried.
func recordBatchCalls(b *statusBatcher) func() [][]string {
	var mu sync.Mutex
	var calls [][]string
	list := b.list
	b.list = func(ctx context.Context, region string, ids []string) ([]dtsclient.JobSummary, error) {
		mu.Lock()
		calls = append(calls, append([]string(nil), ids...))
		mu.Unlock()
		return list(ctx, region, ids)
	}
	return func() [][]string {
		mu.Lock()
		defer mu.Unlock()
		return append([][]string(nil), calls...)
	}
}

// recordBatchSizes wraps the batcher's call to record how many IDs each carried.
func recordBatchSizes(b *statusBatcher) func() []int {
	calls := recordBatchCalls(b)
	return func() []int {
		var sizes []int
		for _, c := range calls() {
			sizes = append(sizes, len(c))
		}
		return sizes
	}
}

type batchGetResult struct {
	jobID string
	st    dtsclient.JobStatus
	found bool
	err   error
}

// batchGetAll calls Get for the Forward direction of every job ID at once and
// waits for all answers.
func batchGetAll(ctx context.Context, b *statusBatcher, ids []string) []batchGetResult {
	out := make([]batchGetResult, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() {
			st, found, err := b.Get(ctx, batchTestRegion, id, dtsclient.DirectionForward, anyFreshListing)
			out[i] = batchGetResult{id, st, found, err}
		})
	}
	wg.Wait()
	return out
}

func batchJobIDs(jobs []fakedts.Job) []string {
	ids := make([]string, len(jobs))
	for i, j := range jobs {
		ids[i] = j.ID
	}
	return ids
}

func TestStatusBatcher_concurrentGetsMakeOneCall(t *testing.T) {
	t.Parallel()
	jobs := batchTestJobs("dtsbatch", 50)
	jobs[7].Forward.Status = "Suspending"
	f := fakedtstest.NewServer(t, fakedts.Options{Jobs: jobs, Seed: 1})
	d := newBatchTestData(t, f.Endpoint(), 0)
	// A long window: the 50th distinct ID (the cap) sends the batch.
	d.shared.statuses.window, d.shared.statuses.maxWait = 5*time.Second, 5*time.Second

	start := time.Now()
	results := batchGetAll(context.Background(), d.shared.statuses, batchJobIDs(jobs))
	if el := time.Since(start); el > 3*time.Second {
		t.Errorf("a full batch waited %s; the cap should send it at once", el)
	}
	for _, r := range results {
		want := "Synchronizing"
		if r.jobID == jobs[7].ID {
			want = "Suspending"
		}
		if r.err != nil || !r.found || r.st.Status.String() != want || r.st.Direction != dtsclient.DirectionForward {
			t.Errorf("%s: got %+v found=%v err=%v, want status %s", r.jobID, r.st, r.found, r.err, want)
		}
		if r.st.Checkpoint <= 0 {
			t.Errorf("%s: no checkpoint in %+v", r.jobID, r.st)
		}
	}
	if n := f.CallCount(batchListAction); n != 1 {
		t.Errorf("%d %s calls for 50 concurrent reads, want 1", n, batchListAction)
	}
	if n := f.CallCount(batchSingleAction); n != 0 {
		t.Errorf("%d single reads, want 0", n)
	}
}

func TestStatusBatcher_capSplitsBatches(t *testing.T) {
	t.Parallel()
	jobs := batchTestJobs("dtscap", 25)
	f := fakedtstest.NewServer(t, fakedts.Options{Jobs: jobs, Seed: 1})
	d := newBatchTestData(t, f.Endpoint(), 0)
	d.shared.statuses.window, d.shared.statuses.maxWait, d.shared.statuses.maxIDs = 300*time.Millisecond, 300*time.Millisecond, 10
	sizes := recordBatchSizes(d.shared.statuses)

	for _, r := range batchGetAll(context.Background(), d.shared.statuses, batchJobIDs(jobs)) {
		if r.err != nil || !r.found {
			t.Errorf("%s: found=%v err=%v", r.jobID, r.found, r.err)
		}
	}
	got := sizes()
	total := 0
	for _, s := range got {
		if s > 10 {
			t.Errorf("a call carried %d IDs, over the cap of 10", s)
		}
		total += s
	}
	if total != 25 || len(got) < 3 {
		t.Errorf("calls carried %v IDs, want 25 IDs in at least 3 calls", got)
	}
	if n := f.CallCount(batchListAction); n != len(got) {
		t.Errorf("the fake saw %d list calls, the batcher made %d", n, len(got))
	}
}

// Both directions of a two-way job, read by several callers, share one ID.
func TestStatusBatcher_sameJobSharesSlot(t *testing.T) {
	t.Parallel()
	job := batchTestJob("dtstwoway01")
	job.TwoWay = true
	job.Reverse = fakedts.DirectionState{Status: "Suspending", Checkpoint: time.Now().Add(-time.Hour).Unix()}
	f := fakedtstest.NewServer(t, fakedts.Options{Jobs: []fakedts.Job{job}, Seed: 1})
	d := newBatchTestData(t, f.Endpoint(), 0)
	d.shared.statuses.window, d.shared.statuses.maxWait = 200*time.Millisecond, 200*time.Millisecond
	sizes := recordBatchSizes(d.shared.statuses)

	var wg sync.WaitGroup
	for i := range 6 {
		dir := dtsclient.DirectionForward
		if i%2 == 1 {
			dir = dtsclient.DirectionReverse
		}
		wg.Go(func() {
			st, found, err := d.shared.statuses.Get(context.Background(), batchTestRegion, job.ID, dir, anyFreshListing)
			want := map[string]string{dtsclient.DirectionForward: "Synchronizing", dtsclient.DirectionReverse: "Suspending"}[dir]
			if err != nil || !found || st.Status.String() != want || st.Direction != dir {
				t.Errorf("%s: got %+v found=%v err=%v, want %s", dir, st, found, err, want)
			}
		})
	}
	wg.Wait()
	if got := sizes(); len(got) != 1 || got[0] != 1 {
		t.Errorf("calls carried %v IDs, want one call with 1 ID", got)
	}
}

// A job the answer does not list is reported not found, and the read path
// confirms it with exactly one single read.
func TestStatusBatcher_missingJobConfirmedBySingleRead(t *testing.T) {
	t.Parallel()
	f := fakedtstest.NewServer(t, fakedts.Options{Jobs: []fakedts.Job{batchTestJob("dtspresent01")}, Seed: 1})
	d := newBatchTestData(t, f.Endpoint(), 0)
	d.shared.statuses.window, d.shared.statuses.maxWait = 50*time.Millisecond, 50*time.Millisecond

	results := batchGetAll(context.Background(), d.shared.statuses, []string{"dtspresent01", "dtsabsent001"})
	if r := results[0]; r.err != nil || !r.found {
		t.Errorf("present job: found=%v err=%v", r.found, r.err)
	}
	if r := results[1]; r.err != nil || r.found {
		t.Errorf("absent job: found=%v err=%v, want not found and no error", r.found, r.err)
	}

	f.ResetCalls()
	prior := batchPriorModel("dtsabsent001", dtsclient.DirectionForward, "Synchronizing")
	_, _, err := d.shared.RefreshStatus(context.Background(), dtsclient.JobRef{RegionID: batchTestRegion, JobID: "dtsabsent001", Direction: dtsclient.DirectionForward}, &prior, time.Now())
	if !dtsclient.IsNotFound(err) {
		t.Fatalf("refreshStatus of a missing job: %v, want not found", err)
	}
	if l, s := f.CallCount(batchListAction), f.CallCount(batchSingleAction); l != 1 || s != 1 {
		t.Errorf("%d list and %d single reads, want 1 and 1", l, s)
	}
}

// A failing batched call is retried once, then every caller is told to read
// on its own.
func TestStatusBatcher_listErrorFallsBack(t *testing.T) {
	t.Parallel()
	jobs := batchTestJobs("dtsfallback", 5)
	f := fakedtstest.NewServer(t, fakedts.Options{Jobs: jobs, Seed: 1})
	d := newBatchTestData(t, f.Endpoint(), 0)
	// A window long enough that the five callers join one batch on a busy
	// machine: the call counts below assume one.
	d.shared.statuses.window, d.shared.statuses.maxWait = time.Second, time.Second
	if err := f.QueueFault(batchListAction, fakedts.FaultInternalError, 2); err != nil {
		t.Fatal(err)
	}

	for _, r := range batchGetAll(context.Background(), d.shared.statuses, batchJobIDs(jobs)) {
		if !errors.Is(r.err, errBatchUnavailable) || r.found {
			t.Errorf("%s: found=%v err=%v, want errBatchUnavailable", r.jobID, r.found, r.err)
		}
	}
	if n := f.CallCount(batchListAction); n != 2 {
		t.Errorf("%d list calls, want 2 (the call and one retry)", n)
	}

	// The read path then reads each job on its own, and succeeds.
	f.ResetCalls()
	if err := f.QueueFault(batchListAction, fakedts.FaultServiceUnavailable, 2); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Go(func() {
			prior := batchPriorModel(j.ID, dtsclient.DirectionForward, "Synchronizing")
			st, _, err := d.shared.RefreshStatus(context.Background(), dtsclient.JobRef{RegionID: batchTestRegion, JobID: j.ID, Direction: dtsclient.DirectionForward}, &prior, time.Now())
			if err != nil || st.Status != "Synchronizing" || st.PayType != "PostPaid" {
				t.Errorf("%s: %+v, %v", j.ID, st, err)
			}
		})
	}
	wg.Wait()
	if s := f.CallCount(batchSingleAction); s != len(jobs) {
		t.Errorf("%d single reads after the list failed, want %d", s, len(jobs))
	}

	// The next batch is unaffected.
	f.ResetCalls()
	for _, r := range batchGetAll(context.Background(), d.shared.statuses, batchJobIDs(jobs)) {
		if r.err != nil || !r.found {
			t.Errorf("%s after recovery: found=%v err=%v", r.jobID, r.found, r.err)
		}
	}
	if l := f.CallCount(batchListAction); l == 0 || l > len(jobs) {
		t.Errorf("%d list calls after recovery", l)
	}
}

// interposeBatchList answers list calls with status and body, and passes
// everything else to the fake.
func interposeBatchList(t *testing.T, f *fakedts.Server, status int, body string) (endpoint string, lists func() int) {
	t.Helper()
	var mu sync.Mutex
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		action := r.Header.Get("x-acs-action")
		if action == "" {
			action = r.URL.Query().Get("Action")
		}
		if action == batchListAction {
			mu.Lock()
			n++
			mu.Unlock()
			w.Header().Set("Content-Type", "application/json;charset=utf-8")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
			return
		}
		f.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://"), func() int { mu.Lock(); defer mu.Unlock(); return n }
}

// A list rejected as a whole (say, for one malformed ID) is not retried:
// every caller reads on its own, so no ID fails the others.
func TestStatusBatcher_rejectedListFallsBackWithoutRetry(t *testing.T) {
	t.Parallel()
	jobs := batchTestJobs("dtsreject", 4)
	f := fakedtstest.NewServer(t, fakedts.Options{Jobs: jobs, Seed: 1})
	endpoint, lists := interposeBatchList(t, f, http.StatusBadRequest,
		`{"RequestId":"REJECT-0001","Code":"InvalidParameter","Message":"The Value of Input Parameter SynchronizationJobIdListJsonStr is not valid."}`)
	d := newBatchTestData(t, endpoint, 3)
	d.shared.statuses.window, d.shared.statuses.maxWait = 100*time.Millisecond, 100*time.Millisecond

	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Go(func() {
			prior := batchPriorModel(j.ID, dtsclient.DirectionForward, "Synchronizing")
			st, _, err := d.shared.RefreshStatus(context.Background(), dtsclient.JobRef{RegionID: batchTestRegion, JobID: j.ID, Direction: dtsclient.DirectionForward}, &prior, time.Now())
			if err != nil || st.Status != "Synchronizing" {
				t.Errorf("%s: %+v, %v", j.ID, st, err)
			}
		})
	}
	wg.Wait()
	if n := lists(); n != 1 {
		t.Errorf("%d list calls, want 1 (a rejection is not retried)", n)
	}
	if s := f.CallCount(batchSingleAction); s != len(jobs) {
		t.Errorf("%d single reads, want %d", s, len(jobs))
	}
	if d.shared.statuses.lanes[laneKey{region: batchTestRegion}].disabled != nil {
		t.Error("a rejected request disabled batching; only a refused action should")
	}
}

// When DTS refuses the list action itself, batching stops for the region
// and later reads go single without waiting for a window.
func TestStatusBatcher_refusedActionDisablesLane(t *testing.T) {
	t.Parallel()
	jobs := batchTestJobs("dtsram", 3)
	f := fakedtstest.NewServer(t, fakedts.Options{Jobs: jobs, Seed: 1})
	endpoint, lists := interposeBatchList(t, f, http.StatusForbidden,
		`{"RequestId":"RAM-0001","Code":"Forbidden.RAM","Message":"User not authorized to operate on the specified resource."}`)
	d := newBatchTestData(t, endpoint, 0)
	d.shared.statuses.window, d.shared.statuses.maxWait = 100*time.Millisecond, 100*time.Millisecond

	for _, r := range batchGetAll(context.Background(), d.shared.statuses, batchJobIDs(jobs)) {
		if !errors.Is(r.err, errBatchUnavailable) {
			t.Errorf("%s: %v, want errBatchUnavailable", r.jobID, r.err)
		}
	}
	d.shared.statuses.window, d.shared.statuses.maxWait = time.Hour, time.Hour
	start := time.Now()
	if _, _, err := d.shared.statuses.Get(context.Background(), batchTestRegion, jobs[0].ID, dtsclient.DirectionForward, anyFreshListing); !errors.Is(err, errBatchUnavailable) {
		t.Errorf("after a refusal: %v, want errBatchUnavailable", err)
	}
	if el := time.Since(start); el > time.Second {
		t.Errorf("a read after the refusal waited %s", el)
	}
	if n := lists(); n != 1 {
		t.Errorf("%d list calls, want 1", n)
	}
}

// A caller whose context ends returns at once; the others still get the
// answer, and a batch nobody waits for is never sent.
func TestStatusBatcher_cancelledCallerReturnsPromptly(t *testing.T) {
	t.Parallel()
	jobs := batchTestJobs("dtscancel", 2)
	f := fakedtstest.NewServer(t, fakedts.Options{Jobs: jobs, Seed: 1})
	d := newBatchTestData(t, f.Endpoint(), 0)
	d.shared.statuses.window, d.shared.statuses.maxWait = 1500*time.Millisecond, 1500*time.Millisecond
	calls := recordBatchCalls(d.shared.statuses)

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	stayed := make(chan struct{})
	wg.Go(func() {
		defer close(stayed)
		_, found, err := d.shared.statuses.Get(context.Background(), batchTestRegion, jobs[1].ID, dtsclient.DirectionForward, anyFreshListing)
		if err != nil || !found {
			t.Errorf("the caller that stayed: found=%v err=%v", found, err)
		}
	})
	time.AfterFunc(50*time.Millisecond, cancel)
	_, _, err := d.shared.statuses.Get(ctx, batchTestRegion, jobs[0].ID, dtsclient.DirectionForward, anyFreshListing)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled caller: %v, want context.Canceled", err)
	}
	// Ordered by cause, not by the clock, so that a loaded machine cannot
	// fail it: the cancelled caller is back before the batch it left ends.
	select {
	case <-stayed:
		t.Error("the cancelled caller returned only after the batch had been answered")
	default:
	}
	wg.Wait()

	// Only the caller that stayed was asked about.
	if got := calls(); len(got) != 1 || len(got[0]) != 1 || got[0][0] != jobs[1].ID {
		t.Errorf("list calls asked for %v, want only [%s]", got, jobs[1].ID)
	}

	// A context that is already done never waits.
	done, cancelNow := context.WithCancel(context.Background())
	cancelNow()
	start := time.Now()
	if _, _, err := d.shared.statuses.Get(done, batchTestRegion, jobs[0].ID, dtsclient.DirectionForward, anyFreshListing); !errors.Is(err, context.Canceled) {
		t.Errorf("done context: %v", err)
	}
	if el := time.Since(start); el >= d.shared.statuses.window {
		t.Errorf("a done context waited %s, as long as a batch", el)
	}

	// A batch whose only caller left is not sent.
	f.ResetCalls()
	d.shared.statuses = newStatusBatcher(d.jobs.Directions, d.shared.planList)
	d.shared.statuses.window, d.shared.statuses.maxWait = 100*time.Millisecond, 100*time.Millisecond
	short, cancelShort := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancelShort()
	if _, _, err := d.shared.statuses.Get(short, batchTestRegion, jobs[0].ID, dtsclient.DirectionForward, anyFreshListing); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("short context: %v", err)
	}
	time.Sleep(300 * time.Millisecond)
	if n := f.CallCount(batchListAction); n != 0 {
		t.Errorf("%d list calls for a batch nobody waited for", n)
	}
}

// Regions are batched separately, each call naming its region.
func TestStatusBatcher_regionsAreSeparate(t *testing.T) {
	t.Parallel()
	a, b := batchTestJob("dtsregiona1"), batchTestJob("dtsregionb1")
	b.Region = "cn-shanghai"
	f := fakedtstest.NewServer(t, fakedts.Options{Jobs: []fakedts.Job{a, b}, Seed: 1})
	d := newBatchTestData(t, f.Endpoint(), 0)
	d.shared.statuses.window, d.shared.statuses.maxWait = 100*time.Millisecond, 100*time.Millisecond

	var wg sync.WaitGroup
	for _, j := range []fakedts.Job{a, b} {
		wg.Go(func() {
			_, found, err := d.shared.statuses.Get(context.Background(), j.Region, j.ID, dtsclient.DirectionForward, anyFreshListing)
			if err != nil || !found {
				t.Errorf("%s in %s: found=%v err=%v", j.ID, j.Region, found, err)
			}
		})
	}
	wg.Wait()
	regions := map[string]bool{}
	for _, c := range f.Calls() {
		if c.Action == batchListAction {
			regions[c.RegionID] = true
		}
	}
	if len(regions) != 2 || !regions["cn-hangzhou"] || !regions["cn-shanghai"] {
		t.Errorf("list calls named regions %v, want cn-hangzhou and cn-shanghai", regions)
	}
}
