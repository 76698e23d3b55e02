package dtsclient

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const throttledBody = `{"RequestId":"T","Code":"Throttling.User","Message":"Request was denied due to user flow control."}`

// logRecorder collects Logger entries: per-attempt entries (those with an
// outcome) in entries and levels, the pacer's state entries in pacer.
type logRecorder struct {
	mu      sync.Mutex
	entries []map[string]any
	levels  []string
	pacer   []pacerEntry
}

type pacerEntry struct {
	level, msg string
	fields     map[string]any
}

func (l *logRecorder) log(_ context.Context, level, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := fields["outcome"]; !ok {
		l.pacer = append(l.pacer, pacerEntry{level, msg, fields})
		return
	}
	l.entries = append(l.entries, fields)
	l.levels = append(l.levels, level)
}

func (l *logRecorder) outcomes() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, e := range l.entries {
		out = append(out, e["outcome"].(string))
	}
	return out
}

func TestRetryThrottledThenSuccess(t *testing.T) {
	t.Parallel()
	f := newFakeDTS(t, func(n int, _ *http.Request) reply {
		if n < 2 {
			return reply{status: 400, body: throttledBody}
		}
		return reply{body: `{"RequestId":"OK","Success":"true"}`}
	})
	rec := &logRecorder{}
	cfg := testConfig(t, f)
	cfg.MaxRetries = 5
	cfg.Logger = rec.log
	c := newTestClient(t, cfg)
	id, err := c.SuspendSynchronizationJob(testContext(t), JobRef{RegionID: "cn-hangzhou", JobID: "dtsx", Direction: DirectionForward})
	if err != nil {
		t.Fatalf("SuspendSynchronizationJob: %v", err)
	}
	if id != "OK" {
		t.Errorf("request id = %q, want OK", id)
	}
	if got := f.count(); got != 3 {
		t.Errorf("requests = %d, want 3", got)
	}
	if diff := cmp.Diff([]string{"retry", "retry", "ok"}, rec.outcomes()); diff != "" {
		t.Errorf("log outcomes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"warn", "warn", "debug"}, rec.levels); diff != "" {
		t.Errorf("log levels (-want +got):\n%s", diff)
	}
	first := rec.entries[0]
	wantFirst := map[string]any{
		"action": "SuspendSynchronizationJob", "job_id": "dtsx", "direction": "Forward", "region_id": "cn-hangzhou",
		"attempt": 1, "request_id": "T", "http_status": 400, "code": "Throttling.User", "outcome": "retry",
	}
	for k, v := range wantFirst {
		if first[k] != v {
			t.Errorf("log field %s = %v, want %v", k, first[k], v)
		}
	}
	if _, ok := first["duration_ms"].(int64); !ok {
		t.Errorf("duration_ms = %#v, want int64", first["duration_ms"])
	}
	if last := rec.entries[2]; last["http_status"] != 200 || last["request_id"] != "OK" || last["attempt"] != 3 {
		t.Errorf("last log entry = %v", last)
	}
}

func TestRetryStopsOnNonRetryable(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		status int
		body   string
		check  func(error) bool
	}{
		"400 InvalidParameter": {
			status: 400, body: `{"RequestId":"R","Code":"InvalidParameter","Message":"bad"}`,
			check: func(err error) bool { return !IsRetryable(err) && !IsNotFound(err) },
		},
		"200 Success=false not found": {
			status: 200, body: `{"RequestId":"R","Success":"false","ErrCode":"Forbidden.InstanceNotFound","ErrMessage":"The specified instance is not found."}`,
			check: IsNotFound,
		},
		"200 Success=false state conflict": {
			status: 200, body: `{"RequestId":"R","Success":false,"ErrCode":"InvalidJobStatus","ErrMessage":"job is Suspending"}`,
			check: IsJobStateConflict,
		},
		"403 signature": {status: 403, body: sampleGatewayError, check: func(err error) bool { return !IsRetryable(err) }},
		"200 not JSON":  {status: 200, body: `<html>captive portal</html>`, check: func(err error) bool { return !IsRetryable(err) }},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeDTS(t, always(tc.status, tc.body))
			c := newTestClient(t, testConfig(t, f))
			_, err := c.StartSynchronizationJob(testContext(t), JobRef{JobID: "dtsx"})
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %#v, want *APIError", err)
			}
			if !tc.check(err) {
				t.Errorf("unexpected classification of %v", err)
			}
			if ae.Action != "StartSynchronizationJob" || ae.JobID != "dtsx" || ae.HTTPStatus != tc.status {
				t.Errorf("APIError = %+v", ae)
			}
			if got := f.count(); got != 1 {
				t.Errorf("requests = %d, want 1", got)
			}
		})
	}
}

func TestRetryGivesUpAfterMaxRetries(t *testing.T) {
	t.Parallel()
	f := newFakeDTS(t, always(503, `{"RequestId":"U","Code":"ServiceUnavailable","Message":"The request has failed due to a temporary failure of the server."}`))
	cfg := testConfig(t, f)
	cfg.MaxRetries = 2
	c := newTestClient(t, cfg)
	_, err := c.DescribeSynchronizationJobStatus(testContext(t), JobRef{JobID: "dtsx"})
	var ae *APIError
	if !errors.As(err, &ae) || ae.HTTPStatus != 503 || ae.Code != "ServiceUnavailable" {
		t.Fatalf("err = %v, want HTTP 503 ServiceUnavailable", err)
	}
	if !IsRetryable(err) {
		t.Errorf("IsRetryable = false")
	}
	if got := f.count(); got != 3 {
		t.Errorf("requests = %d, want 3", got)
	}
}

func TestNoRetryWhenMaxRetriesZero(t *testing.T) {
	t.Parallel()
	f := newFakeDTS(t, always(503, ``))
	cfg := testConfig(t, f)
	cfg.MaxRetries = 0
	c := newTestClient(t, cfg)
	if _, err := c.DescribeSynchronizationJobStatus(testContext(t), JobRef{JobID: "dtsx"}); err == nil {
		t.Fatal("expected error")
	}
	if got := f.count(); got != 1 {
		t.Errorf("requests = %d, want 1", got)
	}
}

func TestRetryBusinessThrottling(t *testing.T) {
	t.Parallel()
	f := newFakeDTS(t, func(n int, _ *http.Request) reply {
		if n == 0 {
			return reply{body: `{"RequestId":"R","Success":"false","ErrCode":"Rejected.Throttling","ErrMessage":"slow down"}`}
		}
		return reply{body: `{"RequestId":"R2","Success":"true"}`}
	})
	c := newTestClient(t, testConfig(t, f))
	if _, err := c.StartSynchronizationJob(testContext(t), JobRef{JobID: "dtsx"}); err != nil {
		t.Fatalf("StartSynchronizationJob: %v", err)
	}
	if got := f.count(); got != 2 {
		t.Errorf("requests = %d, want 2", got)
	}
}

// TestRetryFreshDecode makes sure a failed attempt's fields do not leak into the result.
func TestRetryFreshDecode(t *testing.T) {
	t.Parallel()
	f := newFakeDTS(t, func(n int, _ *http.Request) reply {
		if n == 0 {
			return reply{body: `{"RequestId":"R","Success":"false","ErrCode":"Throttling","Status":"Failed","TaskId":"stale"}`}
		}
		return reply{body: `{"RequestId":"R2","Status":"Synchronizing"}`}
	})
	c := newTestClient(t, testConfig(t, f))
	st, err := c.DescribeSynchronizationJobStatus(testContext(t), JobRef{JobID: "dtsx"})
	if err != nil {
		t.Fatalf("DescribeSynchronizationJobStatus: %v", err)
	}
	if st.Status != StatusSynchronizing || st.RequestID != "R2" {
		t.Errorf("status = %+v, want only the second attempt's fields", st)
	}
}

func TestRetryHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	f := newFakeDTS(t, func(n int, _ *http.Request) reply {
		if n == 0 {
			return reply{status: 400, body: throttledBody, header: map[string]string{"x-ratelimit-user-api": "Limit:10,Remain:0,TimeLeft:300"}}
		}
		return reply{body: `{"RequestId":"OK","Success":"true"}`}
	})
	rec := &logRecorder{}
	cfg := testConfig(t, f)
	// The hint (TimeLeft 300 ms) is longer than any computed wait, so it is
	// what the client waits.
	cfg.RetryBaseDelay = time.Millisecond
	cfg.RetryMaxDelay = 20 * time.Second
	cfg.Logger = rec.log
	c := newTestClient(t, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := c.SuspendSynchronizationJob(ctx, JobRef{JobID: "dtsx"}); err != nil {
		t.Fatalf("SuspendSynchronizationJob: %v", err)
	}
	if got, _ := rec.entries[0]["retry_in_ms"].(int64); got < 300 {
		t.Errorf("retry_in_ms = %v, want at least 300 (TimeLeft)", rec.entries[0]["retry_in_ms"])
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	t.Parallel()
	firstSeen := make(chan struct{})
	var once sync.Once
	f := newFakeDTS(t, func(int, *http.Request) reply {
		once.Do(func() { close(firstSeen) })
		return reply{status: 503, body: `{"Code":"ServiceUnavailable","Message":"busy"}`}
	})
	cfg := testConfig(t, f)
	cfg.MaxRetries = 5
	cfg.RetryBaseDelay = 10 * time.Second
	cfg.RetryMaxDelay = 20 * time.Second
	c := newTestClient(t, cfg)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var cancelledAt time.Time
	go func() {
		<-firstSeen
		time.Sleep(50 * time.Millisecond) // Let the client enter its backoff.
		cancelledAt = time.Now()
		cancel()
	}()
	_, err := c.DescribeSynchronizationJobStatus(ctx, JobRef{JobID: "dtsx"})
	returned := time.Now()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	var ae *APIError
	if !errors.As(err, &ae) || ae.HTTPStatus != 503 {
		t.Errorf("err = %#v, want *APIError keeping the last HTTP status", err)
	}
	if IsRetryable(err) {
		t.Errorf("IsRetryable(cancelled) = true")
	}
	if got := f.count(); got != 1 {
		t.Errorf("requests = %d, want 1", got)
	}
	if d := returned.Sub(cancelledAt); d > time.Second {
		t.Errorf("returned %v after cancel, want < 1s", d)
	}
}

// blockingHandler blocks until the client gives up on the request.
func blockingHandler(started chan<- struct{}) func(int, *http.Request) reply {
	return func(_ int, r *http.Request) reply {
		if started != nil {
			select {
			case started <- struct{}{}:
			default:
			}
		}
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
		return reply{body: `{"Success":"true"}`}
	}
}

func TestCancelAbortsInFlightRequest(t *testing.T) {
	t.Parallel()
	started := make(chan struct{}, 1)
	f := newFakeDTS(t, blockingHandler(started))
	c := newTestClient(t, testConfig(t, f))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-started
		cancel()
	}()
	begin := time.Now()
	_, err := c.SuspendSynchronizationJob(ctx, JobRef{JobID: "dtsx"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if IsRetryable(err) {
		t.Errorf("IsRetryable(cancelled) = true")
	}
	if d := time.Since(begin); d > 5*time.Second {
		t.Errorf("took %v, the in-flight request was not aborted", d)
	}
	if got := f.count(); got != 1 {
		t.Errorf("requests = %d, want 1", got)
	}
}

func TestCallerDeadlineIsNotRetried(t *testing.T) {
	t.Parallel()
	f := newFakeDTS(t, blockingHandler(nil))
	cfg := testConfig(t, f)
	rec := &logRecorder{}
	cfg.Logger = rec.log
	c := newTestClient(t, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.SuspendSynchronizationJob(ctx, JobRef{JobID: "dtsx"})
	if !errors.Is(err, context.DeadlineExceeded) || IsRetryable(err) {
		t.Fatalf("err = %v (retryable %v), want non-retryable DeadlineExceeded", err, IsRetryable(err))
	}
	// Counted on the client: on a loaded machine the deadline may pass
	// before the server records the one request.
	if diff := cmp.Diff([]string{"error"}, rec.outcomes()); diff != "" {
		t.Errorf("attempt outcomes (-want +got):\n%s", diff)
	}
	if got := f.count(); got > 1 {
		t.Errorf("requests = %d, want at most 1", got)
	}
}

func TestAttemptTimeoutIsRetried(t *testing.T) {
	t.Parallel()
	f := newFakeDTS(t, blockingHandler(nil))
	cfg := testConfig(t, f)
	cfg.RequestTimeout = 50 * time.Millisecond
	cfg.MaxRetries = 1
	rec := &logRecorder{}
	cfg.Logger = rec.log
	c := newTestClient(t, cfg)
	_, err := c.DescribeSynchronizationJobStatus(testContext(t), JobRef{JobID: "dtsx"})
	if !IsRetryable(err) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want retryable attempt timeout", err)
	}
	if !strings.Contains(err.Error(), "timed out after 50ms") {
		t.Errorf("Error() = %q, want the attempt timeout", err)
	}
	// Counted on the client: on a loaded machine the second attempt may time
	// out before the server records it.
	if diff := cmp.Diff([]string{"retry", "error"}, rec.outcomes()); diff != "" {
		t.Errorf("attempt outcomes (-want +got):\n%s", diff)
	}
	if got := f.count(); got > 2 {
		t.Errorf("requests = %d, want at most 2", got)
	}
}

func TestTruncatedBodyIsRetried(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		n++
		first := n == 1
		mu.Unlock()
		if first {
			// Promise more than is sent, then drop the connection.
			w.Header().Set("Content-Length", "200")
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte(`{"RequestId":"R","Succ`))
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					_ = conn.Close()
				}
			}
			return
		}
		_, _ = w.Write([]byte(`{"RequestId":"R2","Status":"Synchronizing"}`))
	}))
	t.Cleanup(srv.Close)
	c := newTestClient(t, Config{
		Endpoint: srv.URL, Credential: akCredential(t),
		MaxRetries: 2, RetryBaseDelay: time.Millisecond, RetryMaxDelay: time.Millisecond,
	})
	st, err := c.DescribeSynchronizationJobStatus(testContext(t), JobRef{JobID: "dtsx"})
	if err != nil || st.RequestID != "R2" {
		t.Fatalf("DescribeSynchronizationJobStatus = %+v, %v", st, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if n != 2 {
		t.Errorf("requests = %d, want 2", n)
	}
}

func TestNetworkErrorIsRetried(t *testing.T) {
	t.Parallel()
	// A listener that accepts and immediately closes connections.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	var mu sync.Mutex
	accepted := 0
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			accepted++
			mu.Unlock()
			_ = conn.Close()
		}
	}()
	c := newTestClient(t, Config{
		Endpoint: ln.Addr().String(), Protocol: "http", Credential: akCredential(t),
		MaxRetries: 2, RetryBaseDelay: time.Millisecond, RetryMaxDelay: time.Millisecond,
	})
	_, err = c.DescribeSynchronizationJobStatus(testContext(t), JobRef{JobID: "dtsx"})
	var ae *APIError
	if !errors.As(err, &ae) || ae.HTTPStatus != 0 || !IsRetryable(err) {
		t.Fatalf("err = %v, want retryable network APIError", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if accepted != 3 {
		t.Errorf("connections = %d, want 3", accepted)
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	base, maxDelay := 100*time.Millisecond, 2*time.Second
	for n := 0; n < 12; n++ {
		ceil := base << (n + 1)
		if ceil > maxDelay || ceil <= 0 {
			ceil = maxDelay
		}
		for range 200 {
			d := backoff(n, base, maxDelay, 0)
			if d < base || d > ceil {
				t.Fatalf("backoff(%d) = %v, want in [%v, %v]", n, d, base, ceil)
			}
		}
	}
	if d := backoff(0, base, maxDelay, 5*time.Second); d != maxDelay {
		t.Errorf("retry-after above cap = %v, want %v", d, maxDelay)
	}
	// A hint is a floor under the jittered wait, never a replacement for it.
	if d := backoff(3, base, maxDelay, 30*time.Millisecond); d < 30*time.Millisecond || d < base {
		t.Errorf("retry-after = %v, want at least 30ms and the base", d)
	}
	if d := backoff(0, time.Millisecond, maxDelay, time.Second); d < time.Second {
		t.Errorf("retry-after above the jitter = %v, want at least 1s", d)
	}
	if d := backoff(3, 3*time.Second, maxDelay, 0); d != maxDelay {
		t.Errorf("base above cap = %v, want %v", d, maxDelay)
	}
	if d := backoff(200, time.Second, time.Duration(1<<62), 0); d < time.Second {
		t.Errorf("huge n overflowed: %v", d)
	}
}
