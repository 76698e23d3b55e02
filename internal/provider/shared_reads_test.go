package provider

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

// These tests drive the batcher's timers by hand (manualTimers), so what
// they assert does not depend on how fast the machine is.

// manualTimers replaces batcher.afterFunc: a timer fires when the test says.
type manualTimers struct {
	mu     sync.Mutex
	timers []*manualTimer
}

type manualTimer struct {
	d       time.Duration
	f       func()
	stopped bool
	fired   bool
}

func (m *manualTimers) afterFunc(d time.Duration, f func()) func() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	t := &manualTimer{d: d, f: f}
	m.timers = append(m.timers, t)
	return func() bool {
		m.mu.Lock()
		defer m.mu.Unlock()
		was := !t.stopped && !t.fired
		t.stopped = true
		return was
	}
}

// fire runs timer i, as if its time had come, even if it was stopped (a
// timer may fire while the read that stops it waits for the lock).
func (m *manualTimers) fire(i int) {
	m.mu.Lock()
	t := m.timers[i]
	t.fired = true
	m.mu.Unlock()
	t.f()
}

func (m *manualTimers) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.timers)
}

func (m *manualTimers) last() (int, time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.timers) - 1, m.timers[len(m.timers)-1].d
}

// waitFor yields until cond holds; the tests' deadline bounds it.
func waitFor(cond func() bool) {
	for !cond() {
		runtime.Gosched()
		time.Sleep(time.Millisecond)
	}
}

// countingJobs is a jobAPI over a table of statuses that counts its calls.
type countingJobs struct {
	mu       sync.Mutex
	statuses map[string]dtsclient.Status // by job ID (Forward)
	names    bool                        // List carries per-direction statuses (DescribeDtsJobs)
	// namelessPolls makes Directions answer without names and pay types,
	// as DescribeSynchronizationJobStatusList does.
	namelessPolls bool
	calls         map[string]int
	asked         [][]string // the IDs of each Directions call
	suspend       error      // the answer of Suspend
	legacy        bool       // the legacy family: no read by task ID, and no task ID in listings
}

func newCountingJobs(n int, status dtsclient.Status) *countingJobs {
	c := &countingJobs{statuses: map[string]dtsclient.Status{}, calls: map[string]int{}}
	for i := range n {
		c.statuses[fmt.Sprintf("dtsshared%04d", i)] = status
	}
	return c
}

func (c *countingJobs) count(what string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls[what]
}

func (c *countingJobs) note(what string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls[what]++
}

func (c *countingJobs) Describe(_ context.Context, ref dtsclient.JobRef) (*dtsclient.JobStatus, error) {
	c.note("Describe")
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok := c.statuses[ref.JobID]
	if !ok {
		return nil, &dtsclient.APIError{Code: "InvalidJobId", HTTPStatus: 404}
	}
	return &dtsclient.JobStatus{JobID: ref.JobID, Direction: ref.Direction, Status: st, Name: "orders-" + ref.JobID, PayType: "PostPaid",
		ErrorMessage: "from the single read"}, nil
}

func (c *countingJobs) Suspend(context.Context, dtsclient.JobRef) error {
	c.note("Suspend")
	return c.suspend
}

func (c *countingJobs) Start(context.Context, dtsclient.JobRef) error {
	c.note("Start")
	return nil
}

func (c *countingJobs) Directions(_ context.Context, _ string, ids []string) ([]dtsclient.JobSummary, error) {
	c.note("Directions")
	c.mu.Lock()
	defer c.mu.Unlock()
	c.asked = append(c.asked, append([]string(nil), ids...))
	var out []dtsclient.JobSummary
	for _, id := range ids {
		if st, ok := c.statuses[id]; ok {
			sum := dtsclient.JobSummary{JobID: id, Directions: []dtsclient.DirectionStatus{
				{Direction: dtsclient.DirectionForward, Status: st, Checkpoint: 1700000000, DtsJobID: "task" + id}}}
			if !c.namelessPolls {
				sum.Name, sum.PayType = "orders-"+id, "PostPaid"
			}
			out = append(out, sum)
		}
	}
	return out, nil
}

func (c *countingJobs) List(_ context.Context, in dtsclient.ListJobsInput) ([]dtsclient.JobSummary, error) {
	c.note("List")
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []dtsclient.JobSummary
	for id, st := range c.statuses {
		s := dtsclient.JobSummary{JobID: id, Name: "orders-" + id, PayType: "PostPaid", Status: st}
		if c.names {
			s.Directions = []dtsclient.DirectionStatus{{Direction: dtsclient.DirectionForward, Status: st, DtsJobID: "task" + id}}
		}
		out = append(out, s)
	}
	return out, nil
}

// Listed finds nothing: countingJobs keeps no listing.
func (c *countingJobs) Listed(string, string, time.Duration) (dtsclient.JobSummary, bool) {
	return dtsclient.JobSummary{}, false
}

// RegionJobs lists the jobs (one page) whenever worth says so; it keeps no
// listing.
func (c *countingJobs) RegionJobs(ctx context.Context, region string, _ time.Duration, worth func(int) bool) (map[string]dtsclient.JobSummary, error) {
	pages := 0
	if c.count("List") > 0 {
		pages = 1
	}
	if !worth(pages) {
		return nil, nil
	}
	jobs, err := c.List(ctx, dtsclient.ListJobsInput{RegionID: region})
	return indexJobs(jobs), err
}

// ListPages is not read through sharedJobs; the list resource calls it.
func (c *countingJobs) ListPages(context.Context, string, func(dtsclient.JobSummary) bool, func([]dtsclient.JobSummary) bool) error {
	c.note("ListPages")
	return nil
}

func (c *countingJobs) ReadsByTaskID() bool                    { return !c.legacy }
func (c *countingJobs) Mode() string                           { return apiAuto }
func (c *countingJobs) MutationAction(dtsclient.JobRef) string { return "SuspendDtsJob" }

func sharedRef(i int) dtsclient.JobRef {
	return dtsclient.JobRef{RegionID: batchTestRegion, JobID: fmt.Sprintf("dtsshared%04d", i), Direction: dtsclient.DirectionForward}
}

// newManualShared is sharedJobs over api with hand-driven batch timers.
func newManualShared(api jobAPI) (*sharedJobs, *manualTimers) {
	s := newSharedJobs(api, true)
	timers := &manualTimers{}
	s.statuses.afterFunc = timers.afterFunc
	return s, timers
}

// pollLane and planLane are where the polls and the plan reads of
// batchTestRegion wait.
var (
	pollLane = laneKey{region: batchTestRegion, age: listingAfterBatch}
	planLane = laneKey{region: batchTestRegion, age: planListing}
)

// waiting reports how many callers wait in the lane's open batch.
func waiting(b *statusBatcher, lane laneKey) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	if l := b.lanes[lane]; l != nil && l.open != nil {
		return l.open.callers
	}
	return 0
}

// The polls of many waits of one region that fall due together are one
// Directions call, and each wait gets its own job's status from it.
func TestSharedJobs_pollsShareOneCall(t *testing.T) {
	t.Parallel()
	const n = 30
	api := newCountingJobs(n, dtsclient.StatusSuspending)
	s, timers := newManualShared(api)

	got := make([]*dtsclient.JobStatus, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { got[i], errs[i] = s.PollStatus(context.Background(), sharedRef(i)) })
	}
	waitFor(func() bool { return waiting(s.statuses, pollLane) == n })
	last, _ := timers.last()
	timers.fire(last)
	wg.Wait()

	for i := range n {
		if errs[i] != nil || got[i] == nil || got[i].Status != dtsclient.StatusSuspending || got[i].JobID != sharedRef(i).JobID {
			t.Errorf("poll %d: %+v, %v", i, got[i], errs[i])
		}
	}
	if c := api.count("Directions"); c != 1 {
		t.Errorf("%d Directions calls for %d polls due together, want 1", c, n)
	}
	if c := api.count("Describe"); c != 0 {
		t.Errorf("%d single reads, want none", c)
	}
}

// A batch is sent when no read has come for the debounce window, not when a
// full wave has come: each read moves the send, and only the latest timer
// sends; maxWait bounds the wait from the first read.
func TestStatusBatcher_debounce(t *testing.T) {
	t.Parallel()
	api := newCountingJobs(3, dtsclient.StatusSynchronizing)
	b := newStatusBatcher(api.Directions, nil)
	timers := &manualTimers{}
	b.afterFunc = timers.afterFunc
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var clockMu sync.Mutex
	b.now = func() time.Time { clockMu.Lock(); defer clockMu.Unlock(); return clock }
	advance := func(d time.Duration) { clockMu.Lock(); clock = clock.Add(d); clockMu.Unlock() }

	var wg sync.WaitGroup
	read := func(i int) {
		wg.Go(func() {
			if _, found, err := b.Get(context.Background(), batchTestRegion, sharedRef(i).JobID, dtsclient.DirectionForward, anyFreshListing); err != nil || !found {
				t.Errorf("read %d: found=%v err=%v", i, found, err)
			}
		})
	}
	read(0)
	waitFor(func() bool { return timers.count() == 1 })
	if _, d := timers.last(); d != b.window {
		t.Errorf("the first read waits %s, want the window %s", d, b.window)
	}
	advance(90 * time.Millisecond)
	read(1)
	waitFor(func() bool { return timers.count() == 2 })
	if _, d := timers.last(); d != b.maxWait-90*time.Millisecond {
		t.Errorf("a read 90ms after the first waits %s, want what is left of maxWait (%s)", d, b.maxWait-90*time.Millisecond)
	}
	// The first timer is stale: firing it sends nothing.
	timers.fire(0)
	if c := api.count("Directions"); c != 0 {
		t.Fatalf("a stale timer sent the batch (%d calls)", c)
	}
	read(2)
	waitFor(func() bool { return timers.count() == 3 })
	last, _ := timers.last()
	timers.fire(last)
	wg.Wait()
	if c := api.count("Directions"); c != 1 || len(api.asked[0]) != 3 {
		t.Errorf("Directions calls %v, want one with the 3 jobs", api.asked)
	}
}

// A poll falls back to the single read when the shared answer does not list
// the job, and when it reports a failure (whose message only the single read
// carries); a steady or transitional status comes from the shared answer.
func TestSharedJobs_pollFallsBackToSingleRead(t *testing.T) {
	t.Parallel()
	api := newCountingJobs(2, dtsclient.StatusSynchronizing)
	api.statuses[sharedRef(1).JobID] = dtsclient.StatusFailed
	s, timers := newManualShared(api)

	for i, want := range map[int]struct {
		status dtsclient.Status
		single bool
	}{0: {dtsclient.StatusSynchronizing, false}, 1: {dtsclient.StatusFailed, true}, 7: {"", true}} {
		before := api.count("Describe")
		var st *dtsclient.JobStatus
		var err error
		done := make(chan struct{})
		go func() { st, err = s.PollStatus(context.Background(), sharedRef(i)); close(done) }()
		waitFor(func() bool { return waiting(s.statuses, pollLane) == 1 })
		last, _ := timers.last()
		timers.fire(last)
		<-done
		single := api.count("Describe") > before
		if single != want.single {
			t.Errorf("job %d: single read %v, want %v", i, single, want.single)
		}
		switch {
		case want.status == "" && !dtsclient.IsNotFound(err):
			t.Errorf("job %d (not listed): %v, want the single read's not-found error", i, err)
		case want.status != "" && (err != nil || st.Status != want.status):
			t.Errorf("job %d: %+v, %v; want %s", i, st, err, want.status)
		case want.status == dtsclient.StatusFailed && st.ErrorMessage != "from the single read":
			t.Errorf("job %d: error message %q, want the single read's", i, st.ErrorMessage)
		}
	}
}

// The plan reads of creates that arrive together are answered by one
// listing of the region (plus one Directions call where the listing has no
// per-direction status), carry the job's name and pay type, and leave the
// status for Create to act on once; a lone plan read is a single read.
func TestSharedJobs_planReadsShareOneListing(t *testing.T) {
	t.Parallel()
	for _, perDirection := range []bool{false, true} {
		t.Run(fmt.Sprintf("listing has directions %v", perDirection), func(t *testing.T) {
			t.Parallel()
			const n = 12
			api := newCountingJobs(n, dtsclient.StatusSynchronizing)
			api.names = perDirection
			s, timers := newManualShared(api)

			got := make([]*dtsclient.JobStatus, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					var err error
					if got[i], err = s.PlanStatus(context.Background(), sharedRef(i)); err != nil {
						t.Errorf("plan read %d: %v", i, err)
					}
				})
			}
			waitFor(func() bool { return waiting(s.statuses, planLane) == n })
			last, _ := timers.last()
			timers.fire(last)
			wg.Wait()
			for i, st := range got {
				if st == nil || st.Status != dtsclient.StatusSynchronizing || st.Name != "orders-"+sharedRef(i).JobID || st.PayType != "PostPaid" {
					t.Errorf("plan read %d: %+v", i, st)
				}
			}
			wantDirections := 1
			if perDirection {
				wantDirections = 0
			}
			if l, d, single := api.count("List"), api.count("Directions"), api.count("Describe"); l != 1 || d != wantDirections || single != 0 {
				t.Errorf("calls: List %d, Directions %d, Describe %d; want 1, %d, 0", l, d, single, wantDirections)
			}
			if st := s.PlannedStatus(sharedRef(3)); st != dtsclient.StatusSynchronizing {
				t.Errorf("PlannedStatus = %q, want what the plan read", st)
			}
			if st := s.PlannedStatus(sharedRef(3)); st != "" {
				t.Errorf("PlannedStatus a second time = %q, want nothing: it is for one Create", st)
			}
		})
	}

	t.Run("alone", func(t *testing.T) {
		t.Parallel()
		api := newCountingJobs(1, dtsclient.StatusSynchronizing)
		s, timers := newManualShared(api)
		done := make(chan error)
		go func() { _, err := s.PlanStatus(context.Background(), sharedRef(0)); done <- err }()
		waitFor(func() bool { return waiting(s.statuses, planLane) == 1 })
		last, _ := timers.last()
		timers.fire(last)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if l, single := api.count("List"), api.count("Describe"); l != 0 || single != 1 {
			t.Errorf("a lone plan read made %d listings and %d single reads, want 0 and 1", l, single)
		}
	})
}

// With a status the plan has just read, converge suspends without reading
// first; a job-state conflict in the answer makes it read, and it then
// waits for the status that read shows.
func TestConverge_actsOnThePlannedStatus(t *testing.T) {
	t.Parallel()
	api := newCountingJobs(1, dtsclient.StatusSuspending)
	s := newSharedJobs(api, true)
	res, err := converge(context.Background(), s, sharedRef(0), stateSuspended, time.Minute, dtsclient.StatusSynchronizing)
	if err != nil || !res.Mutated || res.Last == nil || res.Last.Status != dtsclient.StatusSuspending {
		t.Fatalf("converge: %+v, %v", res, err)
	}
	if api.count("Suspend") != 1 || api.count("Describe") != 0 || api.count("Directions") != 1 {
		t.Errorf("calls %v; want the Suspend, then one shared poll", api.calls)
	}

	// Already paused (someone was quicker): DTS refuses the Suspend, the read
	// shows the pause, and converge is done without another call.
	api = newCountingJobs(1, dtsclient.StatusSuspending)
	api.suspend = &dtsclient.APIError{Code: "OperationDenied.JobStatusModeNotSupport", HTTPStatus: 400}
	if !dtsclient.IsJobStateConflict(api.suspend) {
		t.Skip("the conflict code used here is not a job-state conflict for dtsclient")
	}
	s = newSharedJobs(api, true)
	res, err = converge(context.Background(), s, sharedRef(0), stateSuspended, time.Minute, dtsclient.StatusSynchronizing)
	if err != nil || res.Mutated || res.Last == nil || res.Last.Status != dtsclient.StatusSuspending {
		t.Fatalf("converge after a conflict: %+v, %v", res, err)
	}
	if api.count("Suspend") != 1 || api.count("Directions") != 1 {
		t.Errorf("calls %v; want the refused Suspend, then one read", api.calls)
	}
}

// A cancelled caller leaves its batch at once and is left out of the call.
func TestSharedJobs_cancelledPollLeaves(t *testing.T) {
	t.Parallel()
	api := newCountingJobs(2, dtsclient.StatusSynchronizing)
	s, timers := newManualShared(api)
	ctx, cancel := context.WithCancel(context.Background())
	gone := make(chan error)
	go func() { _, err := s.PollStatus(ctx, sharedRef(0)); gone <- err }()
	stay := make(chan error)
	go func() { _, err := s.PollStatus(context.Background(), sharedRef(1)); stay <- err }()
	waitFor(func() bool { return waiting(s.statuses, pollLane) == 2 })
	cancel()
	if err := <-gone; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled poll: %v, want context.Canceled", err)
	}
	last, _ := timers.last()
	timers.fire(last)
	if err := <-stay; err != nil {
		t.Errorf("the poll that stayed: %v", err)
	}
	if len(api.asked) != 1 || len(api.asked[0]) != 1 || api.asked[0][0] != sharedRef(1).JobID {
		t.Errorf("Directions asked for %v, want only %s", api.asked, sharedRef(1).JobID)
	}
}

// Refreshes and polls read through one batcher, and how recent a listing
// each accepts is the read's own: a refresh may be answered by any fresh
// listing (its call asks for none newer), a poll only by one started no
// earlier than its batch opened.
func TestSharedJobs_refreshAndPollListingAge(t *testing.T) {
	t.Parallel()
	api := newCountingJobs(2, dtsclient.StatusSynchronizing)
	s, timers := newManualShared(api)
	opened := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s.statuses.now = func() time.Time { return opened }
	var mu sync.Mutex
	since := map[string]any{}
	list := s.statuses.list
	s.statuses.list = func(ctx context.Context, region string, ids []string) ([]dtsclient.JobSummary, error) {
		mu.Lock()
		since[ids[0]] = ctx.Value(listingSinceKey{})
		mu.Unlock()
		return list(ctx, region, ids)
	}

	refreshed := make(chan error)
	go func() {
		_, found, err := s.statuses.Get(context.Background(), batchTestRegion, sharedRef(0).JobID, dtsclient.DirectionForward, anyFreshListing)
		if err == nil && !found {
			err = errors.New("not found")
		}
		refreshed <- err
	}()
	polled := make(chan error)
	go func() { _, err := s.PollStatus(context.Background(), sharedRef(1)); polled <- err }()
	waitFor(func() bool {
		return waiting(s.statuses, laneKey{region: batchTestRegion}) == 1 && waiting(s.statuses, pollLane) == 1
	})
	for i := range timers.count() {
		timers.fire(i)
	}
	if err := <-refreshed; err != nil {
		t.Errorf("refresh: %v", err)
	}
	if err := <-polled; err != nil {
		t.Errorf("poll: %v", err)
	}
	if got := since[sharedRef(0).JobID]; got != nil {
		t.Errorf("the refresh's call asked for a listing since %v, want any fresh one", got)
	}
	if got, want := since[sharedRef(1).JobID], opened.Add(-pollListingSlack); got != want {
		t.Errorf("the poll's call asked for a listing since %v, want %v (its batch's opening less the slack)", got, want)
	}
	if c := api.count("Describe"); c != 0 {
		t.Errorf("%d single reads, want none", c)
	}
}

// A poll always carries the job's name and pay type: where the shared answer
// has none (the legacy family's), from an earlier read of the job, else from
// a region listing when the polls lacking names are worth one, else from one
// single read; later polls of the job repeat neither.
func TestSharedJobs_pollAlwaysCarriesNames(t *testing.T) {
	t.Parallel()
	// polls polls the jobs at once, firing each batch they wait in, and
	// checks that every answer carries the job's names.
	polls := func(t *testing.T, s *sharedJobs, timers *manualTimers, jobs ...int) {
		t.Helper()
		errs := make(chan error, len(jobs))
		for _, i := range jobs {
			go func() {
				st, err := s.PollStatus(context.Background(), sharedRef(i))
				if err == nil && (st.Name != "orders-"+sharedRef(i).JobID || st.PayType != "PostPaid") {
					err = fmt.Errorf("poll of job %d: %+v; want its name and pay type", i, st)
				}
				errs <- err
			}()
		}
		for range jobs {
			var err error
			waitFor(func() bool {
				select {
				case err = <-errs:
					return true
				default:
				}
				for _, lane := range []laneKey{pollLane, planLane} {
					if waiting(s.statuses, lane) == len(jobs) {
						last, _ := timers.last()
						timers.fire(last)
					}
				}
				return false
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}

	t.Run("alone", func(t *testing.T) {
		t.Parallel()
		api := newCountingJobs(2, dtsclient.StatusSuspending)
		api.namelessPolls = true
		s, timers := newManualShared(api)
		polls(t, s, timers, 0)
		polls(t, s, timers, 0)
		if c := api.count("Describe"); c != 1 {
			t.Errorf("%d single reads for two polls of a job never read, want 1: the second poll has its names", c)
		}
		if _, err := s.Describe(context.Background(), sharedRef(1)); err != nil {
			t.Fatal(err)
		}
		polls(t, s, timers, 1)
		if c := api.count("Describe"); c != 2 {
			t.Errorf("%d single reads, want 2: a poll of a job already read needs none", c)
		}
	})

	t.Run("together", func(t *testing.T) {
		t.Parallel()
		const n = 12
		api := newCountingJobs(n, dtsclient.StatusSuspending)
		api.namelessPolls = true
		s, timers := newManualShared(api)
		jobs := make([]int, n)
		for i := range jobs {
			jobs[i] = i
		}
		polls(t, s, timers, jobs...)
		if l, single := api.count("List"), api.count("Describe"); l != 1 || single != 0 {
			t.Errorf("%d listings and %d single reads for the names of %d polls, want 1 and 0", l, single, n)
		}
	})
}
