package dtsclient

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// A Suspend or Start whose attempt may have reached DTS and run is not sent
// again: the call ends with an error that says so (MayHaveRun), and the
// caller reads the job to learn whether it took. DTS's answer to a repeat
// is not documented, so the client does not rely on it.
func TestMutationThatMayHaveRunIsNotSentAgain(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		first reply
		says  string // in the error
	}{
		"503":            {reply{status: 503, body: `{"RequestId":"U","Code":"ServiceUnavailable","Message":"busy"}`}, "ServiceUnavailable"},
		"500":            {reply{status: 500, body: `{"RequestId":"U","Code":"InternalError","Message":"oops"}`}, "InternalError"},
		"truncated body": {reply{status: 200, body: `{"RequestId":"T","Succ`}, "not valid JSON"},
		"empty body":     {reply{status: 200, body: ``}, "empty response body"},
		"null body":      {reply{status: 200, body: `null`}, "body of null"},
		"no Success":     {reply{status: 200, body: `{"RequestId":"R"}`}, "without Success"},
	}
	calls := map[string]func(*Client, context.Context, JobRef) (string, error){
		"SuspendSynchronizationJob": (*Client).SuspendSynchronizationJob,
		"StartDtsJob":               (*Client).StartDtsJob,
	}
	for name, tc := range cases {
		for action, call := range calls {
			t.Run(name+"/"+action, func(t *testing.T) {
				t.Parallel()
				f := newFakeDTS(t, func(n int, _ *http.Request) reply {
					if n == 0 {
						return tc.first
					}
					return reply{body: `{"RequestId":"R2","Success":"true"}`}
				})
				c := newTestClient(t, testConfig(t, f))
				_, err := call(c, testContext(t), JobRef{JobID: "dtsx", DtsJobID: "x"})
				if !MayHaveRun(err) {
					t.Fatalf("err = %v, want one that says the call may have run", err)
				}
				for _, want := range []string{tc.says, "may have carried out the call"} {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("error %q does not say %q", err, want)
					}
				}
				if got := f.count(); got != 1 {
					t.Errorf("%d requests, want 1: the call was sent again", got)
				}
			})
		}
	}
}

// A Suspend whose attempt timed out after sending, or whose connection was
// reset after the request went out, may have run.
func TestMutationLostAfterSendingIsNotSentAgain(t *testing.T) {
	t.Parallel()
	t.Run("attempt timeout", func(t *testing.T) {
		t.Parallel()
		f := newFakeDTS(t, blockingHandler(nil))
		cfg := testConfig(t, f)
		cfg.RequestTimeout = 50 * time.Millisecond
		rec := &logRecorder{}
		cfg.Logger = rec.log
		c := newTestClient(t, cfg)
		_, err := c.SuspendDtsJob(testContext(t), JobRef{DtsJobID: "x"})
		if !MayHaveRun(err) || !strings.Contains(err.Error(), "timed out after 50ms") {
			t.Fatalf("err = %v, want an attempt timeout that may have run", err)
		}
		if diff := cmp.Diff([]string{"error"}, rec.outcomes()); diff != "" {
			t.Errorf("attempt outcomes (-want +got):\n%s", diff)
		}
	})
	t.Run("connection reset", func(t *testing.T) {
		t.Parallel()
		var mu sync.Mutex
		n := 0
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			n++
			mu.Unlock()
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					_ = conn.Close()
				}
			}
		}))
		t.Cleanup(srv.Close)
		c := newTestClient(t, Config{Endpoint: srv.URL, Credential: akCredential(t),
			MaxRetries: 3, RetryBaseDelay: time.Millisecond, RetryMaxDelay: time.Millisecond})
		_, err := c.StartSynchronizationJob(testContext(t), JobRef{JobID: "dtsx"})
		if !MayHaveRun(err) {
			t.Fatalf("err = %v, want one that says the call may have run", err)
		}
		mu.Lock()
		defer mu.Unlock()
		if n != 1 {
			t.Errorf("%d requests, want 1", n)
		}
	})
}

// A failure before anything was sent cannot have run: the client retries it
// as before, and the error does not say it may have run.
func TestMutationNotSentIsRetried(t *testing.T) {
	t.Parallel()
	t.Run("connection refused", func(t *testing.T) {
		t.Parallel()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		_ = ln.Close()
		rec := &logRecorder{}
		c := newTestClient(t, Config{Endpoint: addr, Protocol: "http", Credential: akCredential(t), Logger: rec.log,
			MaxRetries: 2, RetryBaseDelay: time.Millisecond, RetryMaxDelay: time.Millisecond})
		_, err = c.SuspendSynchronizationJob(testContext(t), JobRef{JobID: "dtsx"})
		if err == nil || MayHaveRun(err) {
			t.Fatalf("err = %v, want a connection failure that did not run", err)
		}
		if diff := cmp.Diff([]string{"retry", "retry", "error"}, rec.outcomes()); diff != "" {
			t.Errorf("attempt outcomes (-want +got):\n%s", diff)
		}
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		f := newFakeDTS(t, func(n int, _ *http.Request) reply {
			if n == 0 {
				return reply{status: 400, body: throttledBody}
			}
			return reply{body: `{"RequestId":"R2","Success":"true"}`}
		})
		c := newTestClient(t, testConfig(t, f))
		if _, err := c.SuspendDtsJob(testContext(t), JobRef{DtsJobID: "x"}); err != nil {
			t.Fatalf("SuspendDtsJob: %v", err)
		}
		if got := f.count(); got != 2 {
			t.Errorf("%d requests, want 2", got)
		}
	})
}

// A read answered with a 2xx body that lacks the status is retried and, when
// every attempt lacks it, fails saying so: it never reads as a status of "".
func TestReadWithoutStatusIsAnError(t *testing.T) {
	t.Parallel()
	bodies := map[string]string{"null": `null`, "object without Status": `{"RequestId":"R"}`}
	reads := map[string]func(*Client, context.Context, JobRef) (*JobStatus, error){
		"DescribeSynchronizationJobStatus": (*Client).DescribeSynchronizationJobStatus,
		"DescribeDtsJobDetail":             (*Client).DescribeDtsJobDetail,
	}
	for name, body := range bodies {
		for action, read := range reads {
			t.Run(name+"/"+action, func(t *testing.T) {
				t.Parallel()
				f := newFakeDTS(t, always(200, body))
				cfg := testConfig(t, f)
				cfg.MaxRetries = 1
				c := newTestClient(t, cfg)
				st, err := read(c, testContext(t), JobRef{JobID: "dtsx", DtsJobID: "x"})
				if err == nil {
					t.Fatalf("read = %+v, want an error", st)
				}
				want := "without Status"
				if body == "null" {
					want = "body of null"
				}
				if !strings.Contains(err.Error(), want) || MayHaveRun(err) {
					t.Errorf("error %q, want one saying %q (and not that a change may have run)", err, want)
				}
				if got := f.count(); got != 2 {
					t.Errorf("%d requests, want 2 (a read is retried)", got)
				}
			})
		}
	}
	// A listing of null is no listing.
	f := newFakeDTS(t, always(200, `null`))
	cfg := testConfig(t, f)
	cfg.MaxRetries = 0
	c := newTestClient(t, cfg)
	if _, err := c.DescribeSynchronizationJobs(testContext(t), ListJobsInput{RegionID: "cn-hangzhou"}); err == nil ||
		!strings.Contains(err.Error(), "body of null") {
		t.Errorf("listing of null: %v, want an error saying so", err)
	}
}
