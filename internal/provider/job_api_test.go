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

// unknownToDtsJob puts a server in front of f that answers the maintained
// family's per-job actions for the jobs in unknown with the business error
// DTS gives for a job it does not know, and counts every action.
func unknownToDtsJob(t *testing.T, f *fakedts.Server, unknown ...string) (endpoint string, calls func(action string) int) {
	t.Helper()
	var mu sync.Mutex
	counts := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		action := r.Header.Get("x-acs-action")
		if action == "" {
			action = r.URL.Query().Get("Action")
		}
		mu.Lock()
		counts[action]++
		mu.Unlock()
		_ = r.ParseForm()
		id := r.Form.Get("DtsInstanceId") + r.Form.Get("DtsInstanceID")
		for _, u := range unknown {
			if strings.HasSuffix(action, "DtsJob") || action == "DescribeDtsJobDetail" {
				if id == u {
					w.Header().Set("Content-Type", "application/json;charset=utf-8")
					_, _ = fmt.Fprint(w, `{"RequestId":"UNKNOWN-0001","Success":false,"HttpStatusCode":403,`+
						`"ErrCode":"Forbidden.InstanceNotFound","ErrMessage":"The specified instance is not found.","DynamicCode":"","DynamicMessage":""}`)
					return
				}
			}
		}
		f.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://"), func(action string) int { mu.Lock(); defer mu.Unlock(); return counts[action] }
}

func newJobsTestData(t *testing.T, endpoint, api string) *providerData {
	t.Helper()
	cred := fakedts.DefaultCredential()
	d, err := newProviderData(context.Background(), &settings{
		AccessKey: cred.AccessKeyID, SecretKey: cred.AccessKeySecret, Region: batchTestRegion,
		Endpoint: endpoint, Protocol: "http", SignatureAlgorithm: signatureV3, API: api,
	}, "test")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// auto falls back to the legacy family for a job the maintained family
// does not know, and goes there first for the rest of the run.
func TestFamilyJobs_autoFallsBackToLegacyAndRemembers(t *testing.T) {
	t.Parallel()
	const legacyOnly, both = "dtsautofallback1", "dtsautofallback2"
	f := fakedtstest.NewServer(t, fakedts.Options{Jobs: []fakedts.Job{batchTestJob(legacyOnly), batchTestJob(both)}, Seed: 1})
	endpoint, calls := unknownToDtsJob(t, f, legacyOnly)
	jobs := newJobsTestData(t, endpoint, apiAuto).jobs
	ctx := context.Background()
	ref := dtsclient.JobRef{RegionID: batchTestRegion, JobID: legacyOnly, Direction: dtsclient.DirectionForward}

	st, err := jobs.Describe(ctx, ref)
	if err != nil || st.Family != dtsclient.FamilySynchronizationJob || st.Status != dtsclient.StatusSynchronizing {
		t.Fatalf("Describe of a job the maintained family does not know: %+v, %v; want the legacy family's answer", st, err)
	}
	if got := [2]int{calls("DescribeDtsJobDetail"), calls("DescribeSynchronizationJobStatus")}; got != [2]int{1, 1} {
		t.Fatalf("first read: %d DescribeDtsJobDetail and %d DescribeSynchronizationJobStatus calls, want 1 and 1", got[0], got[1])
	}
	// Remembered: the legacy family is asked first now.
	if err := jobs.Suspend(ctx, ref); err != nil {
		t.Fatalf("Suspend: %v", err)
	}
	if _, err := jobs.Describe(ctx, ref); err != nil {
		t.Fatal(err)
	}
	if n := calls("SuspendDtsJob") + calls("DescribeDtsJobDetail"); n != 1 {
		t.Errorf("after the fallback the maintained family was asked %d more times, want 0", n-1)
	}
	if calls("SuspendSynchronizationJob") != 1 || calls("DescribeSynchronizationJobStatus") != 2 {
		t.Errorf("legacy calls: %d suspends, %d reads; want 1 and 2", calls("SuspendSynchronizationJob"), calls("DescribeSynchronizationJobStatus"))
	}
	if j, _ := f.Job(legacyOnly); j.Forward.Status != fakedts.StatusSuspending {
		t.Errorf("job %s is %s, want Suspending", legacyOnly, j.Forward.Status)
	}
	// Another job still goes to the maintained family.
	st, err = jobs.Describe(ctx, dtsclient.JobRef{RegionID: batchTestRegion, JobID: both, Direction: dtsclient.DirectionForward})
	if err != nil || st.Family != dtsclient.FamilyDtsJob {
		t.Errorf("a job both families know: %+v, %v; want the maintained family's answer", st, err)
	}
	// A job neither knows is not found, with what the first family said.
	_, err = jobs.Describe(ctx, dtsclient.JobRef{RegionID: batchTestRegion, JobID: "dtsnosuchjob01", Direction: dtsclient.DirectionForward})
	if !dtsclient.IsNotFound(err) || !strings.Contains(err.Error(), "dts_job") {
		t.Errorf("a job neither family knows: %v; want not found, naming the family tried first", err)
	}
}

// With api = "dts_job" nothing falls back, and with "synchronization_job"
// the maintained family is never called.
func TestFamilyJobs_singleFamilyModesDoNotFallBack(t *testing.T) {
	t.Parallel()
	const id = "dtsnofallback01"
	f := fakedtstest.NewServer(t, fakedts.Options{Jobs: []fakedts.Job{batchTestJob(id)}, Seed: 1})
	endpoint, calls := unknownToDtsJob(t, f, id)
	ctx := context.Background()
	ref := dtsclient.JobRef{RegionID: batchTestRegion, JobID: id, Direction: dtsclient.DirectionForward}

	if _, err := newJobsTestData(t, endpoint, apiDtsJob).jobs.Describe(ctx, ref); !dtsclient.IsNotFound(err) {
		t.Errorf("dts_job: %v, want not found", err)
	}
	if n := calls("DescribeSynchronizationJobStatus"); n != 0 {
		t.Errorf("dts_job made %d legacy calls, want 0", n)
	}
	legacy := newJobsTestData(t, endpoint, apiSynchronizationJob).jobs
	if _, err := legacy.Describe(ctx, ref); err != nil {
		t.Errorf("synchronization_job: %v", err)
	}
	if _, err := legacy.Directions(ctx, batchTestRegion, []string{id}); err != nil {
		t.Errorf("synchronization_job Directions: %v", err)
	}
	if n := calls("DescribeDtsJobDetail") + calls("DescribeDtsJobs"); n != 1 {
		t.Errorf("synchronization_job made %d maintained calls, want 0", n-1)
	}
	if calls("DescribeSynchronizationJobStatusList") != 1 {
		t.Errorf("synchronization_job Directions did not use DescribeSynchronizationJobStatusList")
	}
}

// Under the fake switch that makes the legacy Suspend and Start refuse jobs
// created through the new API, auto still pauses and resumes them (through
// the maintained family), while synchronization_job cannot.
func TestFamilyJobs_autoWorksWhenLegacyRefusesNewJobs(t *testing.T) {
	t.Parallel()
	const id = "dtsnewapijob001"
	job := batchTestJob(id)
	job.CreatedBy = fakedts.CreatedByDtsJob
	f := fakedtstest.NewServer(t, fakedts.Options{Jobs: []fakedts.Job{job}, Seed: 1, Behavior: fakedts.Behavior{LegacyRefusesDtsJobs: true}})
	ctx := context.Background()
	ref := dtsclient.JobRef{RegionID: batchTestRegion, JobID: id, Direction: dtsclient.DirectionForward}

	if err := newJobsTestData(t, f.Endpoint(), apiSynchronizationJob).jobs.Suspend(ctx, ref); err == nil {
		t.Fatal("the legacy Suspend paused a job created through the new API although the switch is on; the test proves nothing")
	}
	auto := newJobsTestData(t, f.Endpoint(), apiAuto).jobs
	if err := auto.Suspend(ctx, ref); err != nil {
		t.Fatalf("auto Suspend: %v", err)
	}
	if j, _ := f.Job(id); j.Forward.Status != fakedts.StatusSuspending {
		t.Errorf("job is %s after auto's Suspend, want Suspending", j.Forward.Status)
	}
	if err := auto.Start(ctx, ref); err != nil {
		t.Fatalf("auto Start: %v", err)
	}
	if n := f.CallCount("SuspendSynchronizationJob"); n != 1 {
		t.Errorf("%d legacy Suspend calls, want only the synchronization_job one", n)
	}
}

// A job named by task ID alone is never sent to the legacy family, which
// cannot address it.
func TestFamilyJobs_taskIDOnlyStaysMaintained(t *testing.T) {
	t.Parallel()
	const id = "dtsl3m1213ye7lxta1"
	f := fakedtstest.NewServer(t, fakedts.Options{Jobs: []fakedts.Job{batchTestJob(id)}, Seed: 1})
	endpoint, calls := unknownToDtsJob(t, f)
	jobs := newJobsTestData(t, endpoint, apiAuto).jobs
	st, err := jobs.Describe(context.Background(), dtsclient.JobRef{RegionID: batchTestRegion, DtsJobID: "l3m1213ye7lxta1", Direction: dtsclient.DirectionForward})
	if err != nil || st.JobID != id || st.DtsJobID != "l3m1213ye7lxta1" {
		t.Fatalf("Describe by task ID: %+v, %v; want both IDs of %s", st, err, id)
	}
	_, err = jobs.Describe(context.Background(), dtsclient.JobRef{RegionID: batchTestRegion, DtsJobID: "zzzzzzzzzzzzzzz", Direction: dtsclient.DirectionForward})
	if !dtsclient.IsNotFound(err) || calls("DescribeSynchronizationJobStatus") != 0 {
		t.Errorf("unknown task ID: %v after %d legacy calls; want not found and none", err, calls("DescribeSynchronizationJobStatus"))
	}
}

// The maintained Directions answers a refresh of many jobs from one
// DescribeDtsJobs listing of the region (100 a page).
func TestFamilyJobs_directionsShareOneListing(t *testing.T) {
	t.Parallel()
	jobs := batchTestJobs("dtslisting", 250)
	f := fakedtstest.NewServer(t, fakedts.Options{Jobs: jobs, Seed: 1})
	api := newJobsTestData(t, f.Endpoint(), apiDtsJob).jobs.(*familyJobs)
	// A fixed clock: the waves take no time, however slow the machine.
	now := time.Now()
	api.now = func() time.Time { return now }
	ctx := context.Background()
	for wave := 0; wave < 25; wave++ {
		ids := make([]string, 0, 10)
		for _, j := range jobs[wave*10 : wave*10+10] {
			ids = append(ids, j.ID)
		}
		got, err := api.Directions(ctx, batchTestRegion, ids)
		if err != nil || len(got) != len(ids) {
			t.Fatalf("wave %d: %d jobs, %v; want %d", wave, len(got), err, len(ids))
		}
		for i, d := range got {
			if d.JobID != ids[i] || len(d.Directions) != 1 || d.Directions[0].Status != dtsclient.StatusSynchronizing {
				t.Fatalf("wave %d: %+v for %s", wave, d, ids[i])
			}
		}
	}
	if n := f.CallCount("DescribeDtsJobs"); n != 3 {
		t.Errorf("%d DescribeDtsJobs calls for 250 jobs in 25 waves, want 3 (one listing of 3 pages)", n)
	}
	// A listing older than defaultListMaxAge is not used again.
	now = now.Add(defaultListMaxAge)
	if _, err := api.Directions(ctx, batchTestRegion, []string{jobs[0].ID, jobs[1].ID}); err != nil {
		t.Fatal(err)
	}
	// Two jobs then cost two instance-filtered reads, fewer than a new
	// listing of the region's 3 pages.
	if n := f.CallCount("DescribeDtsJobs"); n != 5 {
		t.Errorf("%d DescribeDtsJobs calls after the listing expired, want 5 (two instance-filtered reads)", n)
	}
}

// tryFamilies, the family rule: the next family is tried only after an
// answer that the family does not know the job or the action; an
// authorization failure, any other error, a noFallback and a success end it.
func TestTryFamilies(t *testing.T) {
	t.Parallel()
	both := []dtsclient.Family{dtsclient.FamilyDtsJob, dtsclient.FamilySynchronizationJob}
	unknown := &dtsclient.APIError{Action: "DescribeDtsJobDetail", HTTPStatus: 404, Code: "InvalidApi.NotFound"}
	denied := &dtsclient.APIError{Action: "SuspendDtsJob", HTTPStatus: 403, Code: "NoPermission"}
	for name, tc := range map[string]struct {
		first      error
		wantCalls  int
		wantFamily dtsclient.Family
		wantErr    error
	}{
		"success":              {first: nil, wantCalls: 1, wantFamily: dtsclient.FamilyDtsJob},
		"unknown to the first": {first: unknown, wantCalls: 2, wantFamily: dtsclient.FamilySynchronizationJob},
		"authorization":        {first: denied, wantCalls: 1, wantFamily: dtsclient.FamilyDtsJob, wantErr: denied},
		"no fallback":          {first: noFallback{unknown}, wantCalls: 1, wantFamily: dtsclient.FamilyDtsJob, wantErr: unknown},
	} {
		calls := 0
		f, err := tryFamilies(context.Background(), both, "test", nil, func(f dtsclient.Family) error {
			calls++
			if f == dtsclient.FamilyDtsJob {
				return tc.first
			}
			return nil
		})
		if calls != tc.wantCalls || f != tc.wantFamily || !errors.Is(err, tc.wantErr) {
			t.Errorf("%s: %d calls, family %s, error %v; want %d, %s, %v", name, calls, f, err, tc.wantCalls, tc.wantFamily, tc.wantErr)
		}
	}
	// Both unknown: the last family's error, saying what the first said.
	_, err := tryFamilies(context.Background(), both, "test", nil, func(dtsclient.Family) error { return unknown })
	if !strings.Contains(err.Error(), "first tried the dts_job family") {
		t.Errorf("both unknown: %v", err)
	}
}

// newListingTest is the maintained family's read layer over a fake holding
// jobs, with hand-driven batch timers and a clock that stands still (every
// read is within every listing's age) until the test moves it.
func newListingTest(t *testing.T, jobs []fakedts.Job) (*fakedts.Server, *sharedJobs, *manualTimers, *time.Time) {
	t.Helper()
	f := fakedtstest.NewServer(t, fakedts.Options{Jobs: jobs, Seed: 1})
	d := newJobsTestData(t, f.Endpoint(), apiDtsJob)
	now := time.Now()
	d.jobs.(*familyJobs).now = func() time.Time { return now }
	d.shared.statuses.now = d.jobs.(*familyJobs).now
	timers := &manualTimers{}
	d.shared.statuses.afterFunc = timers.afterFunc
	return f, d.shared, timers, &now
}

// One listing of the region answers the refreshes, the plan reads of
// creates and the polls that arrive together, plan reads and polls with the
// job's name and pay type (a wait then needs no read for them); a job the
// listing lacks costs one single read.
func TestFamilyJobs_oneListingServesRefreshesPlansAndPolls(t *testing.T) {
	t.Parallel()
	jobs := batchTestJobs("dtsonelist", 250)
	f, s, timers, _ := newListingTest(t, jobs)
	ctx := context.Background()

	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, 3*n+1)
	for i := range n {
		refresh, plan, poll := jobs[i], jobs[n+i], jobs[2*n+i]
		wg.Go(func() {
			st, found, err := s.statuses.Get(ctx, batchTestRegion, refresh.ID, dtsclient.DirectionForward, anyFreshListing)
			if err != nil || !found || st.Status != dtsclient.StatusSynchronizing {
				errs <- fmt.Errorf("refresh of %s: %+v, %v, %v", refresh.ID, st, found, err)
			}
		})
		wg.Go(func() {
			st, err := s.PlanStatus(ctx, dtsclient.JobRef{RegionID: batchTestRegion, JobID: plan.ID, Direction: dtsclient.DirectionForward})
			if err != nil || st.Status != dtsclient.StatusSynchronizing || st.Name != plan.Name || st.PayType != "PostPaid" || st.DtsJobID != plan.DtsJobID {
				errs <- fmt.Errorf("plan read of %s: %+v, %v", plan.ID, st, err)
			}
		})
		wg.Go(func() {
			st, err := s.PollStatus(ctx, dtsclient.JobRef{RegionID: batchTestRegion, JobID: poll.ID, Direction: dtsclient.DirectionForward})
			if err != nil || st.Status != dtsclient.StatusSynchronizing || st.Name != poll.Name || st.PayType != "PostPaid" {
				errs <- fmt.Errorf("poll of %s: %+v, %v", poll.ID, st, err)
			}
		})
	}
	waitFor(func() bool {
		return waiting(s.statuses, laneKey{region: batchTestRegion}) == n && waiting(s.statuses, pollLane) == n &&
			waiting(s.statuses, planLane) == n
	})
	for i := range timers.count() {
		timers.fire(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if c := f.CallCount("DescribeDtsJobs"); c != 3 {
		t.Errorf("%d DescribeDtsJobs calls, want 3: one listing of the region's 3 pages for all %d reads", c, 3*n)
	}
	if c := f.CallCount("DescribeDtsJobDetail"); c != 0 {
		t.Errorf("%d single reads, want none", c)
	}

	// A plan read of a job the listing lacks (created since) is one single read.
	extra := batchTestJob("dtsonelistnew")
	if err := f.AddJob(extra); err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() {
		st, err := s.PlanStatus(ctx, dtsclient.JobRef{RegionID: batchTestRegion, JobID: extra.ID, Direction: dtsclient.DirectionForward})
		if err == nil && (st.Name != extra.Name || st.PayType != "PostPaid") {
			err = fmt.Errorf("%+v", st)
		}
		done <- err
	}()
	waitFor(func() bool { return waiting(s.statuses, planLane) == 1 })
	last, _ := timers.last()
	timers.fire(last)
	if err := <-done; err != nil {
		t.Errorf("plan read of a job the listing lacks: %v", err)
	}
	if l, single := f.CallCount("DescribeDtsJobs"), f.CallCount("DescribeDtsJobDetail"); l != 3 || single != 1 {
		t.Errorf("calls: DescribeDtsJobs %d, DescribeDtsJobDetail %d; want 3 (the same listing) and 1", l, single)
	}
}

// A refresh or plan read that the region's listing at hand answers returns at
// once, without waiting for a batch to fill; a poll still waits for a newer
// listing.
func TestFamilyJobs_listingAtHandAnswersAtOnce(t *testing.T) {
	t.Parallel()
	jobs := batchTestJobs("dtsathand", 120)
	f, s, timers, now := newListingTest(t, jobs)
	ctx := context.Background()

	// Two refreshes in one batch: worth a listing of the region (2 pages).
	first := make(chan error, 2)
	for _, j := range jobs[:2] {
		go func() {
			_, found, err := s.statuses.Get(ctx, batchTestRegion, j.ID, dtsclient.DirectionForward, anyFreshListing)
			if err == nil && !found {
				err = fmt.Errorf("%s not found", j.ID)
			}
			first <- err
		}()
	}
	waitFor(func() bool { return waiting(s.statuses, laneKey{region: batchTestRegion}) == 2 })
	last, _ := timers.last()
	timers.fire(last)
	for range 2 {
		if err := <-first; err != nil {
			t.Fatal(err)
		}
	}
	if c := f.CallCount("DescribeDtsJobs"); c != 2 {
		t.Fatalf("%d DescribeDtsJobs calls, want the 2 pages of one listing", c)
	}
	scheduled := timers.count()

	refreshed := make(chan error, 1)
	go func() {
		st, found, err := s.statuses.Get(ctx, batchTestRegion, jobs[50].ID, dtsclient.DirectionForward, anyFreshListing)
		if err == nil && (!found || st.Status != dtsclient.StatusSynchronizing || st.Name != jobs[50].Name) {
			err = fmt.Errorf("%+v, %v", st, found)
		}
		refreshed <- err
	}()
	var err error
	waitFor(func() bool {
		select {
		case err = <-refreshed:
			return true
		default:
			return waiting(s.statuses, laneKey{region: batchTestRegion}) > 0
		}
	})
	if waiting(s.statuses, laneKey{region: batchTestRegion}) > 0 {
		last, _ := timers.last()
		timers.fire(last)
		t.Fatalf("the refresh waited for a batch: %v", <-refreshed)
	}
	if err != nil {
		t.Fatalf("refresh from the listing at hand: %v", err)
	}
	plan, err := s.PlanStatus(ctx, dtsclient.JobRef{RegionID: batchTestRegion, JobID: jobs[51].ID, Direction: dtsclient.DirectionForward})
	if err != nil || plan.Name != jobs[51].Name || plan.PayType != "PostPaid" {
		t.Fatalf("plan read from the listing at hand: %+v, %v", plan, err)
	}
	if timers.count() != scheduled {
		t.Errorf("%d batches scheduled for reads the listing at hand answers, want none", timers.count()-scheduled)
	}
	if c := f.CallCount("DescribeDtsJobs"); c != 2 {
		t.Errorf("%d DescribeDtsJobs calls, want still 2", c)
	}

	// A poll must see a listing newer than its batch.
	*now = now.Add(time.Second)
	polled := make(chan error)
	go func() {
		_, err := s.PollStatus(ctx, dtsclient.JobRef{RegionID: batchTestRegion, JobID: jobs[52].ID, Direction: dtsclient.DirectionForward})
		polled <- err
	}()
	waitFor(func() bool { return waiting(s.statuses, pollLane) == 1 })
	last, _ = timers.last()
	timers.fire(last)
	if err := <-polled; err != nil {
		t.Fatal(err)
	}
	if c := f.CallCount("DescribeDtsJobs"); c <= 2 {
		t.Errorf("%d DescribeDtsJobs calls: the poll was answered by the older listing", c)
	}
}
