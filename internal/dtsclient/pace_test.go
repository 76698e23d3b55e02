package dtsclient

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// throttleFor answers Throttling.User with TimeLeft retryMs to the first n
// requests (all of them when n < 0), then okBody.
func throttleFor(n int, retryMs string) func(int, *http.Request) reply {
	return func(i int, _ *http.Request) reply {
		if n < 0 || i < n {
			return reply{status: 400, body: throttledBody, header: map[string]string{"x-ratelimit-user-api": "Limit:5,Remain:0,TimeLeft:" + retryMs}}
		}
		return reply{body: okBody}
	}
}

// fastPacer keeps real-time tests short: its rate never drops below 200/s,
// so only the server's retry-after makes calls wait.
func fastPacer() *Pacer {
	p := NewPacer()
	p.minRate = 200
	return p
}

// TestThrottlingIsNotBoundByMaxRetries: with max_retries = 0, a call that
// DTS throttles six times still succeeds; max_retries is for 5xx and network
// errors.
func TestThrottlingIsNotBoundByMaxRetries(t *testing.T) {
	t.Parallel()
	f := newFakeDTS(t, throttleFor(6, "1"))
	cfg := testConfig(t, f)
	cfg.MaxRetries = 0
	cfg.Pacer = fastPacer()
	c := newTestClient(t, cfg)
	if _, err := c.SuspendDtsJob(testContext(t), JobRef{RegionID: "cn-hangzhou", DtsJobID: "mr1q4mc2152xxxx"}); err != nil {
		t.Fatalf("SuspendDtsJob: %v", err)
	}
	if got := f.count(); got != 7 {
		t.Errorf("requests = %d, want 7", got)
	}
}

// TestThrottledUntilDeadline: DTS throttles every call; the call gives up at
// its deadline with the figures, not as a retryable error.
func TestThrottledUntilDeadline(t *testing.T) {
	t.Parallel()
	f := newFakeDTS(t, throttleFor(-1, "100"))
	cfg := testConfig(t, f)
	cfg.Pacer = fastPacer()
	c := newTestClient(t, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := c.DescribeDtsJobDetail(ctx, JobRef{RegionID: "cn-hangzhou", DtsJobID: "mr1q4mc2152xxxx"})
	rep := ThrottleReportOf(err)
	if rep == nil {
		t.Fatalf("err = %v, want a ThrottleReport", err)
	}
	t.Log(err)
	n := f.count()
	// Every answer was a throttle; the deadline may cut one last request short.
	if rep.Throttled < 2 || rep.Throttled > n || n > rep.Calls || rep.Calls > rep.Throttled+1 || rep.Budget || rep.Action != "DescribeDtsJobDetail" {
		t.Errorf("report %+v after %d requests: want every answered request counted as throttled, against the deadline", rep, n)
	}
	if rep.Pacer.Region != "cn-hangzhou" || rep.Pacer.ActionClass != "DescribeDtsJobDetail" || rep.Pacer.Throttled != int64(rep.Throttled) || rep.Pacer.ThrottledAt <= 0 {
		t.Errorf("pacer state %+v", rep.Pacer)
	}
	if !errors.Is(err, context.DeadlineExceeded) || !IsThrottled(err) || IsRetryable(err) {
		t.Errorf("err = %v: want DeadlineExceeded, throttled, not retryable", err)
	}
	for _, want := range []string{"DescribeDtsJobDetail", "Throttling.User", "within the deadline of", "DTS throttled", "calls since the provider started", "accepted none"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Error() = %q, want %q", err, want)
		}
	}
}

// TestThrottleBudgetWithoutDeadline: a call without a deadline is bounded by
// the read budget.
func TestThrottleBudgetWithoutDeadline(t *testing.T) {
	t.Parallel()
	f := newFakeDTS(t, throttleFor(-1, "50"))
	cfg := testConfig(t, f)
	cfg.Pacer = fastPacer()
	cfg.ThrottleBudget = 400 * time.Millisecond
	c := newTestClient(t, cfg)
	_, err := c.DescribeSynchronizationJobStatus(context.Background(), JobRef{JobID: "dtsx"})
	rep := ThrottleReportOf(err)
	if rep == nil || !rep.Budget || rep.Limit != 400*time.Millisecond || !errors.Is(err, errThrottleBudget) {
		t.Fatalf("err = %v, report %+v: want the read budget's report", err, rep)
	}
	if !strings.Contains(err.Error(), "read budget") {
		t.Errorf("Error() = %q, want it to name the read budget", err)
	}
}

// TestCallWaitingOnPacer: while the pacer holds calls back (a long
// retry-after), a call whose deadline falls before its slot fails at once
// without a request, and a waiting call that is cancelled returns promptly.
// Both clients share one Pacer, as the provider's clients do.
func TestCallWaitingOnPacer(t *testing.T) {
	t.Parallel()
	f := newFakeDTS(t, throttleFor(1, "60000"))
	pacer := fastPacer()
	cfg := testConfig(t, f)
	cfg.Pacer = pacer
	waiter := newTestClient(t, cfg)
	other := newTestClient(t, cfg) // Another host's client of the same provider.

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := waiter.SuspendSynchronizationJob(ctx, JobRef{RegionID: "cn-hangzhou", JobID: "dtsx"})
		done <- err
	}()
	for f.count() == 0 {
		time.Sleep(time.Millisecond)
	}
	// The first answer set a 60 s retry-after for the account and region.
	lim := pacer.limiter(waiter.account, "cn-hangzhou", "SuspendSynchronizationJob")
	for lim.holdFor(time.Now()) == 0 {
		time.Sleep(time.Millisecond)
	}

	short, cancelShort := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancelShort()
	_, err := other.StartSynchronizationJob(short, JobRef{RegionID: "cn-hangzhou", JobID: "dtsy"})
	t.Log(err)
	if rep := ThrottleReportOf(err); rep == nil || rep.Calls != 0 || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("short call: err = %v, report %+v; want a report with no request sent", err, rep)
	}
	if short.Err() != nil {
		t.Error("the short call waited for its deadline instead of failing at once")
	}
	if got := f.count(); got != 1 {
		t.Errorf("requests = %d, want 1 (only the waiter's first)", got)
	}

	// Another region is not held back.
	if _, err := other.StartSynchronizationJob(testContext(t), JobRef{RegionID: "cn-shanghai", JobID: "dtsz"}); err != nil {
		t.Errorf("other region: %v", err)
	}

	cancelledAt := time.Now()
	cancel()
	select {
	case err := <-done:
		t.Log(err)
		if !errors.Is(err, context.Canceled) || ThrottleReportOf(err) != nil || IsRetryable(err) {
			t.Errorf("cancelled waiter: err = %v; want context.Canceled without a report", err)
		}
		if !strings.Contains(err.Error(), "rate limiter") && !strings.Contains(err.Error(), "waiting to retry") {
			t.Errorf("Error() = %q, want it to say the call was waiting", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the cancelled call did not return")
	}
	if d := time.Since(cancelledAt); d > time.Second {
		t.Errorf("returned %v after cancel, want < 1s", d)
	}
}

// TestPacerStateLogged: a throttle puts the limiter's state in the debug log.
func TestPacerStateLogged(t *testing.T) {
	t.Parallel()
	f := newFakeDTS(t, throttleFor(1, "1"))
	rec := &logRecorder{}
	cfg := testConfig(t, f)
	cfg.Logger = rec.log
	cfg.Pacer = fastPacer()
	c := newTestClient(t, cfg)
	if _, err := c.DescribeDtsJobs(testContext(t), ListDtsJobsInput{RegionID: "cn-hangzhou"}); err != nil {
		t.Fatal(err)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.pacer) == 0 {
		t.Fatal("no pacer entry logged")
	}
	e := rec.pacer[0]
	if e.level != "debug" || e.fields["pacer_action_class"] != "DescribeDtsJobs" || e.fields["pacer_region"] != "cn-hangzhou" ||
		e.fields["pacer_throttled"] != int64(1) || e.fields["pacer_rate_per_s"].(float64) <= 0 {
		t.Errorf("pacer entry = %+v", e)
	}
	if _, ok := rec.entries[1]["pacer_wait_ms"].(int64); !ok {
		t.Errorf("attempt entry lacks pacer_wait_ms: %v", rec.entries[1])
	}
}

// TestConcurrentCallsSharePacer: many concurrent calls against a throttling
// server all succeed (-race covers the shared limiter).
func TestConcurrentCallsSharePacer(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	tokens, last := 5.0, time.Now()
	f := newFakeDTS(t, func(int, *http.Request) reply {
		mu.Lock()
		defer mu.Unlock()
		now := time.Now()
		tokens = min(5, tokens+now.Sub(last).Seconds()*200)
		last = now
		if tokens < 1 {
			return reply{status: 400, body: throttledBody, header: map[string]string{"x-ratelimit-user-api": "Limit:200,Remain:0,TimeLeft:5"}}
		}
		tokens--
		return reply{body: okBody}
	})
	cfg := testConfig(t, f)
	cfg.MaxRetries = 0
	cfg.Pacer = fastPacer()
	c := newTestClient(t, cfg)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.DescribeSynchronizationJobStatus(testContext(t), JobRef{RegionID: "cn-hangzhou", JobID: "dts" + string(rune('a'+i%26))})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("call failed: %v", err)
		}
	}
}

func TestThrottleReportWords(t *testing.T) {
	t.Parallel()
	r := &ThrottleReport{
		Action: "SuspendDtsJob", Calls: 12, Throttled: 9, Waited: 9*time.Minute + 58*time.Second, Limit: 10 * time.Minute,
		Pacer: PacerState{Region: "cn-hangzhou", ActionClass: sharedActionClass, Rate: 2.1, ThrottledAt: 4.4, Accepted: 1.9, Calls: 800, Throttled: 31},
	}
	for got, want := range map[string][]string{
		r.String(): {"deadline of 10m0s", "throttled 9 of this call's 12 requests", "waited 9m58s", "actions without a published quota in cn-hangzhou",
			"31 of 800 calls", "accepted 1.9 calls/s", "throttled at 4.4 calls/s"},
		r.Advice():                      {"deadline of 10m0s", "9 of this call's 12 requests", "31 of the provider's 800 calls in cn-hangzhou", "about 1.9 calls/s", "Raise the resource's timeouts"},
		(*ThrottleReport)(nil).Advice(): {"DTS throttled the calls"},
	} {
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%q lacks %q", got, w)
			}
		}
	}
	r.Budget, r.Limit, r.Pacer.ActionClass = true, 300*time.Millisecond, "DescribeDtsJobs"
	if a := r.Advice(); !strings.Contains(a, "read budget of 300ms") || !strings.Contains(a, "calls to DescribeDtsJobs") {
		t.Errorf("Advice() = %q", a)
	}
}

// TestExpiredDeadlineIsNotBlamedOnThrottling: a call whose deadline has
// passed fails as a plain deadline, not with throttling figures.
func TestExpiredDeadlineIsNotBlamedOnThrottling(t *testing.T) {
	t.Parallel()
	f := newFakeDTS(t, always(200, okBody))
	c := newTestClient(t, testConfig(t, f))
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	_, err := c.DescribeSynchronizationJobStatus(ctx, JobRef{JobID: "dtsx"})
	if !errors.Is(err, context.DeadlineExceeded) || ThrottleReportOf(err) != nil || IsThrottled(err) {
		t.Errorf("err = %v, want a plain deadline error", err)
	}
}
