package provider

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aliyun/credentials-go/credentials"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

// answer is a scripted answer to a Suspend or Start: err is what the call
// returns, takes whether DTS made the change (whatever err says).
type answer struct {
	err   error
	takes bool
}

var accepted = answer{takes: true}

// scriptedJob is one direction of a job whose answers the test scripts. A
// call without a scripted answer is accepted and takes at once. Reads cost
// readCost each (fake time under synctest) and are counted with their times.
type scriptedJob struct {
	mu         sync.Mutex
	status     dtsclient.Status
	checkpoint int64
	readCost   time.Duration
	answers    map[string][]answer // by "Suspend" or "Start"
	calls      map[string]int
	seq        []string // every call, in order
	readTimes  []time.Time
	// onRead, when set, runs before each read answers.
	onRead func(j *scriptedJob)
	// delayAt, when set, is the replication delay reads report at a time;
	// pollNoDelay leaves it out of polls, as the legacy status list does.
	delayAt     func(time.Time) time.Duration
	pollNoDelay bool
}

func newScriptedJob(status dtsclient.Status) *scriptedJob {
	return &scriptedJob{status: status, checkpoint: time.Now().Add(-time.Minute).Unix(), answers: map[string][]answer{}, calls: map[string]int{}}
}

func (j *scriptedJob) script(call string, as ...answer) *scriptedJob {
	j.answers[call] = append(j.answers[call], as...)
	return j
}

func (j *scriptedJob) count(call string) int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.calls[call]
}

func (j *scriptedJob) PollStatus(ctx context.Context, ref dtsclient.JobRef) (*dtsclient.JobStatus, error) {
	if j.readCost > 0 {
		select {
		case <-time.After(j.readCost):
		case <-ctx.Done():
			return nil, &dtsclient.APIError{Err: ctx.Err()}
		}
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.calls["Read"]++
	j.seq = append(j.seq, "Read")
	j.readTimes = append(j.readTimes, time.Now())
	if j.onRead != nil {
		j.onRead(j)
	}
	st := &dtsclient.JobStatus{JobID: ref.JobID, Direction: ref.Direction, Status: j.status, Checkpoint: j.checkpoint}
	if j.delayAt != nil && !j.pollNoDelay {
		st.Delay, st.DelayReported = j.delayAt(time.Now()), true
	}
	return st, nil
}

// Describe is the direction's own read: it always carries the delay.
func (j *scriptedJob) Describe(ctx context.Context, ref dtsclient.JobRef) (*dtsclient.JobStatus, error) {
	if err := ctx.Err(); err != nil {
		return nil, &dtsclient.APIError{Err: err}
	}
	j.mu.Lock()
	j.calls["Describe"]++
	j.seq = append(j.seq, "Describe")
	j.mu.Unlock()
	st := &dtsclient.JobStatus{JobID: ref.JobID, Direction: ref.Direction, Status: j.status, Checkpoint: j.checkpoint}
	if j.delayAt != nil {
		st.Delay, st.DelayReported = j.delayAt(time.Now()), true
	}
	return st, nil
}

func (j *scriptedJob) Suspend(_ context.Context, _ dtsclient.JobRef) error {
	return j.mutate("Suspend", dtsclient.StatusSuspending)
}

func (j *scriptedJob) Start(_ context.Context, _ dtsclient.JobRef) error {
	return j.mutate("Start", dtsclient.StatusSynchronizing)
}

func (j *scriptedJob) mutate(call string, target dtsclient.Status) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.calls[call]++
	j.seq = append(j.seq, call)
	a := accepted
	if q := j.answers[call]; len(q) > 0 {
		a, j.answers[call] = q[0], q[1:]
	}
	if a.takes {
		j.status = target
	}
	return a.err
}

var waitRef = dtsclient.JobRef{RegionID: "cn-hangzhou", JobID: "dtswait000001", Direction: dtsclient.DirectionForward}

// mayHaveRunError is the error the client ends a Suspend with when DTS
// answered 503: the call may have run. It comes from the real client, so the
// tests rely on what dtsclient returns, not on a copy of it.
func mayHaveRunError(t *testing.T) error {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, `{"RequestId":"U-503","Code":"ServiceUnavailable","Message":"The request has failed due to a temporary failure of the server."}`)
	}))
	defer srv.Close()
	typ, id, secret := "access_key", "testid", "testsecret"
	cred, err := credentials.NewCredential(&credentials.Config{Type: &typ, AccessKeyId: &id, AccessKeySecret: &secret})
	if err != nil {
		t.Fatal(err)
	}
	c, err := dtsclient.New(dtsclient.Config{Endpoint: srv.URL, Credential: cred, MaxRetries: 3,
		RetryBaseDelay: time.Millisecond, RetryMaxDelay: time.Millisecond, RequestTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.SuspendDtsJob(t.Context(), dtsclient.JobRef{DtsJobID: "x"})
	if !dtsclient.MayHaveRun(err) {
		t.Fatalf("the client's 503 answer to a Suspend: %v, want one that may have run", err)
	}
	return err
}

// conflict is DTS refusing a call for the job's status.
var conflict = &dtsclient.APIError{Action: "SuspendDtsJob", HTTPStatus: 200, Code: "InvalidJobStatus",
	Message: "The operation is not allowed in the job's current status."}

// A Suspend whose answer was lost is sent again when the next read shows the
// job still running, and not when it shows the pause.
func TestConverge_uncertainCallIsSentAgainOnlyIfItDidNotTake(t *testing.T) {
	lost := mayHaveRunError(t)
	cases := map[string]struct {
		first        answer
		wantSuspends int
	}{
		"did not take": {answer{err: lost}, 2},
		"took":         {answer{err: lost, takes: true}, 1},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				job := newScriptedJob(dtsclient.StatusSynchronizing).script("Suspend", tc.first)
				res, err := converge(t.Context(), job, waitRef, stateSuspended, time.Minute, dtsclient.StatusSynchronizing)
				if err != nil {
					t.Fatalf("converge: %v", err)
				}
				if got := job.count("Suspend"); got != tc.wantSuspends {
					t.Errorf("%d Suspends, want %d", got, tc.wantSuspends)
				}
				if !res.Mutated || !res.Uncertain || res.Last.Status != dtsclient.StatusSuspending {
					t.Errorf("result %+v, want a pause this run may have made", res)
				}
			})
		})
	}
}

// After a Suspend whose answer was lost, DTS refuses the next one for the
// job's status (it was briefly Modifying): every read still shows it
// running, so the Suspend is sent again, and the pause is reached instead of
// a wait until the timeout.
func TestConverge_refusalAfterUncertainCallDoesNotStopSending(t *testing.T) {
	lost := mayHaveRunError(t)
	synctest.Test(t, func(t *testing.T) {
		job := newScriptedJob(dtsclient.StatusSynchronizing).script("Suspend", answer{err: lost}, answer{err: conflict}, answer{err: conflict})
		res, err := converge(t.Context(), job, waitRef, stateSuspended, 30*time.Minute, dtsclient.StatusSynchronizing)
		if err != nil {
			t.Fatalf("converge: %v", err)
		}
		if got := job.count("Suspend"); got != 4 {
			t.Errorf("%d Suspends, want 4 (lost, refused twice, accepted): %v", got, job.seq)
		}
		for i := 1; i < len(job.seq); i++ {
			if job.seq[i] == "Suspend" && job.seq[i-1] == "Suspend" {
				t.Errorf("a Suspend followed a Suspend with no read between: %v", job.seq)
			}
		}
		if res.Last.Status != dtsclient.StatusSuspending {
			t.Errorf("last status %s, want Suspending", res.Last.Status)
		}
	})
}

// A Start that DTS refuses is past the resume limit only when a read after
// the refusal shows the direction still stopped for more than 7 days: a
// Start refused because the job was resumed meanwhile (by a lost earlier
// attempt, or by someone else) is a success.
func TestConverge_resumeLimitIsDecidedByARead(t *testing.T) {
	lost := mayHaveRunError(t)
	cases := map[string]struct {
		first     answer
		wantLimit bool
	}{
		"resumed by someone else": {answer{err: conflict, takes: true}, false},
		"lost answer, resumed":    {answer{err: lost, takes: true}, false},
		"refused, still paused":   {answer{err: conflict}, true},
	}
	for name, tc := range cases {
		for _, believed := range []bool{false, true} {
			name := name
			if believed {
				name += ", acting on the plan's status"
			}
			t.Run(name, func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					job := newScriptedJob(dtsclient.StatusSuspending).script("Start", tc.first)
					job.checkpoint = time.Now().Add(-8 * 24 * time.Hour).Unix() // the bubble's clock
					known := dtsclient.Status("")
					if believed {
						known = dtsclient.StatusSuspending
					}
					res, err := converge(t.Context(), job, waitRef, stateSynchronizing, time.Minute, known)
					var limitErr *resumeLimitError
					if got := errors.As(err, &limitErr); got != tc.wantLimit {
						t.Fatalf("converge: %v; resume limit %v, want %v", err, got, tc.wantLimit)
					}
					if !tc.wantLimit && (err != nil || res.Last.Status != dtsclient.StatusSynchronizing) {
						t.Errorf("converge: %+v, %v; want Synchronizing", res, err)
					}
					if got := job.count("Start"); got != 1 {
						t.Errorf("%d Starts, want 1", got)
					}
				})
			})
		}
	}
}

// Before a wait's deadline the last poll is one read, not a burst of reads
// as fast as the endpoint answers.
func TestConverge_lastPollIsOneRead(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		job := newScriptedJob(dtsclient.StatusSynchronizing).script("Suspend", answer{}) // accepted, never takes
		job.readCost = 500 * time.Microsecond
		const timeout = 10 * time.Second
		start := time.Now()
		_, err := converge(t.Context(), job, waitRef, stateSuspended, timeout, "")
		var te *timeoutError
		if !errors.As(err, &te) {
			t.Fatalf("converge: %v, want a timeout", err)
		}
		deadline := start.Add(timeout)
		last := 0
		for _, at := range job.readTimes {
			if deadline.Sub(at) <= 100*time.Millisecond {
				last++
			}
		}
		if last != 1 {
			t.Errorf("%d reads in the last 100 ms before the deadline, want 1 (%d reads in all)", last, len(job.readTimes))
		}
		if elapsed := time.Since(start); elapsed != timeout {
			t.Errorf("converge returned after %s, want %s", elapsed, timeout)
		}
	})
}

// An operation's deadline on the context (set before the reads that come
// before the wait) is a timeout, not an interruption: the error says where
// the job was.
func TestConverge_operationDeadlineIsATimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		job := newScriptedJob(dtsclient.StatusSynchronizing).script("Suspend", answer{})
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		time.Sleep(10 * time.Second) // the operation's first read
		_, err := converge(ctx, job, waitRef, stateSuspended, time.Minute, dtsclient.StatusSynchronizing)
		var te *timeoutError
		if !errors.As(err, &te) || te.LastStatus != "Synchronizing" {
			t.Fatalf("converge: %v, want a timeout with the last status", err)
		}
	})
}

// A Start whose answer was lost, after which the job reads Failed: it is
// not sent again to restart the job, which may have failed after it.
func TestConverge_failedAfterUncertainStartIsNotRestarted(t *testing.T) {
	lost := mayHaveRunError(t)
	synctest.Test(t, func(t *testing.T) {
		job := newScriptedJob(dtsclient.StatusSuspending).script("Start", answer{err: lost})
		job.onRead = func(j *scriptedJob) { j.status = dtsclient.StatusFailed }
		_, err := converge(t.Context(), job, waitRef, stateSynchronizing, time.Minute, dtsclient.StatusSuspending)
		var se *statusError
		if !errors.As(err, &se) || se.Status != dtsclient.StatusFailed {
			t.Fatalf("converge: %v, want the job's failure", err)
		}
		if got := job.count("Start"); got != 1 {
			t.Errorf("%d Starts, want 1", got)
		}
	})
}
