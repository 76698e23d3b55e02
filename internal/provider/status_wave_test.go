package provider

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

// waveClock is a hand-moved clock for the batcher.
type waveClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *waveClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *waveClock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// newWaveShared is newManualShared with a hand-moved clock.
func newWaveShared(api jobAPI) (*sharedJobs, *manualTimers, *waveClock) {
	s, timers := newManualShared(api)
	clock := &waveClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s.statuses.now = clock.now
	return s, timers, clock
}

// fireWithin fires the pending timers set for at most d, as if d passed
// quietly: a debounce window does, a wave's wait does not.
func (m *manualTimers) fireWithin(d time.Duration) {
	m.mu.Lock()
	var due []int
	for i, t := range m.timers {
		if !t.stopped && !t.fired && t.d <= d {
			due = append(due, i)
		}
	}
	m.mu.Unlock()
	for _, i := range due {
		m.fire(i)
	}
}

// Terraform sends the Suspends of a wave of creates one by one (and the
// client paces them), so their first polls come on different ticks of the
// poll grid, a quiet gap apart. The polls that follow the calls still share
// one call: the batch waits for the polls it expects.
func TestSharedJobs_pollsAfterPacedCallsShareOneCall(t *testing.T) {
	t.Parallel()
	const n = 4
	api := newCountingJobs(n, dtsclient.StatusSuspending)
	s, timers, clock := newWaveShared(api)
	for i := range n {
		if err := s.Suspend(context.Background(), sharedRef(i)); err != nil {
			t.Fatal(err)
		}
		clock.advance(100 * time.Millisecond)
	}

	var wg sync.WaitGroup
	var answered atomic.Int32
	for i := range n {
		wg.Go(func() {
			if st, err := s.PollStatus(context.Background(), sharedRef(i)); err != nil || st.Status != dtsclient.StatusSuspending {
				t.Errorf("poll %d: %+v, %v", i, st, err)
			}
			answered.Add(1)
		})
		// A poll arms a timer or ends the wave, which answers it.
		waitFor(func() bool { return timers.count() == i+1 || answered.Load() == int32(i+1) })
		// The next poll comes a grid step later.
		clock.advance(pollGridBase)
		timers.fireWithin(pollGridBase)
	}
	wg.Wait()
	if c := api.count("Directions"); c != 1 || len(api.asked[0]) != n {
		t.Errorf("Directions calls %v for %d polls after paced Suspends, want one with all %d jobs", api.asked, n, n)
	}
}

// A wave waits no longer than the expectation it waits for: a wait that
// never polls (its run interrupted) holds the others back until its
// expectation lapses, and waveMaxWait bounds every wave. A poll that no call
// announced (a refused Suspend, a long transition) is not held back.
func TestSharedJobs_waveWaitIsBounded(t *testing.T) {
	t.Parallel()
	api := newCountingJobs(3, dtsclient.StatusSuspending)
	s, timers, clock := newWaveShared(api)
	for i := range 2 {
		if err := s.Start(context.Background(), sharedRef(i)); err != nil {
			t.Fatal(err)
		}
	}
	clock.advance(500 * time.Millisecond)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if _, err := s.PollStatus(context.Background(), sharedRef(0)); err != nil {
			t.Error(err)
		}
	}()
	waitFor(func() bool { return timers.count() == 1 })
	if _, d := timers.last(); d != expectedPollWithin-500*time.Millisecond {
		t.Errorf("the wave waits %s, want until job 1's expectation lapses (%s)", d, expectedPollWithin-500*time.Millisecond)
	}
	last, _ := timers.last()
	timers.fire(last)
	<-done

	// A refused call expects no poll: its poll is an ordinary batch, and
	// job 1's expected poll does not hold it back.
	api.suspend = &dtsclient.APIError{Code: "Forbidden.RAM", HTTPStatus: 403}
	if err := s.Suspend(context.Background(), sharedRef(2)); err == nil {
		t.Fatal("Suspend: want the refusal")
	}
	go func() {
		if _, err := s.PollStatus(context.Background(), sharedRef(2)); err != nil {
			t.Error(err)
		}
	}()
	waitFor(func() bool { return timers.count() == 2 })
	if _, d := timers.last(); d != s.statuses.window {
		t.Errorf("a poll after a refused Suspend waits %s, want the debounce window %s", d, s.statuses.window)
	}
	last, _ = timers.last()
	timers.fire(last)
	waitFor(func() bool { return api.count("Directions") == 2 })

	// Many expectations: the wave ends waveMaxWait after its first poll.
	for i := range 3 {
		api.suspend = nil
		if err := s.Suspend(context.Background(), sharedRef(i)); err != nil {
			t.Fatal(err)
		}
	}
	go func() {
		if _, err := s.PollStatus(context.Background(), sharedRef(0)); err != nil {
			t.Error(err)
		}
	}()
	waitFor(func() bool { return timers.count() == 3 })
	clock.advance(s.statuses.waveMaxWait - 100*time.Millisecond)
	go func() {
		if _, err := s.PollStatus(context.Background(), sharedRef(1)); err != nil {
			t.Error(err)
		}
	}()
	waitFor(func() bool { return timers.count() == 4 })
	if _, d := timers.last(); d != 100*time.Millisecond {
		t.Errorf("a poll late in the wave waits %s, want what is left of waveMaxWait (100ms)", d)
	}
	last, _ = timers.last()
	timers.fire(last)
	waitFor(func() bool { return api.count("Directions") == 3 })
}

// Apply re-plans its creates one wave of -parallelism at a time for longer
// than a listing stays fresh: the re-plan after a listing expired is
// answered by a new listing at once, not by single reads until the count of
// reads justifies one again.
func TestSharedJobs_replanAfterListingExpiryLists(t *testing.T) {
	t.Parallel()
	const n = 10
	api := newCountingJobs(n+1, dtsclient.StatusSynchronizing)
	api.names = true
	s, timers := newManualShared(api)
	clock := &waveClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s.now = clock.now
	plan := func(ids ...int) {
		var wg sync.WaitGroup
		for _, i := range ids {
			wg.Go(func() {
				if st, err := s.PlanStatus(context.Background(), sharedRef(i)); err != nil || st.Name == "" {
					t.Errorf("plan read %d: %+v, %v", i, st, err)
				}
			})
		}
		waitFor(func() bool { return waiting(s.statuses, planLane) == len(ids) })
		last, _ := timers.last()
		timers.fire(last)
		wg.Wait()
	}
	first := make([]int, n)
	for i := range first {
		first[i] = i
	}
	plan(first...)
	clock.advance(planListingMaxAge + time.Second)
	plan(n)
	if l, single := api.count("List"), api.count("Describe"); l != 2 || single != 0 {
		t.Errorf("%d listings and %d single reads, want 2 and 0: the re-plan after the first listing expired lists again", l, single)
	}
	// Reads that come long after their last listing are counted again.
	clock.advance(3 * planListingMaxAge)
	plan(0)
	if l, single := api.count("List"), api.count("Describe"); l != 2 || single != 1 {
		t.Errorf("%d listings and %d single reads, want 2 and 1: a lone read long after the last listing is a single read", l, single)
	}
}

// The legacy family lists no task ID, which a create's plan shows, so its
// plan reads are single reads without a listing first (a region listing of
// the legacy family costs one call per 30 jobs).
func TestSharedJobs_legacyPlanReadsAreSingle(t *testing.T) {
	t.Parallel()
	const n = 3
	api := newCountingJobs(n, dtsclient.StatusSynchronizing)
	api.legacy = true
	s, timers := newManualShared(api)
	var wg sync.WaitGroup
	var answered atomic.Int32
	for i := range n {
		wg.Go(func() {
			if _, err := s.PlanStatus(context.Background(), sharedRef(i)); err != nil {
				t.Errorf("plan read %d: %v", i, err)
			}
			answered.Add(1)
		})
	}
	waitFor(func() bool { return answered.Load() == n || timers.count() > 0 })
	if timers.count() > 0 {
		t.Error("the plan reads wait for a batch")
		last, _ := timers.last()
		timers.fire(last)
	}
	wg.Wait()
	if l, d, single := api.count("List"), api.count("Directions"), api.count("Describe"); l != 0 || d != 0 || single != n {
		t.Errorf("calls: List %d, Directions %d, Describe %d; want 0, 0, %d", l, d, single, n)
	}
}
