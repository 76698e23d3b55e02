package provider

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

// fallingDelay is a delay that starts at from and falls by rate seconds per
// second from start, down to floor.
func fallingDelay(start time.Time, from time.Duration, rate float64, floor time.Duration) func(time.Time) time.Duration {
	return func(now time.Time) time.Duration {
		return max(floor, from-time.Duration(rate*float64(now.Sub(start))))
	}
}

// The wait returns on the first read at or below the bound, no later than
// the poll schedule's bound of max(1 s, 15%) after the delay got there.
func TestAwaitCatchUp_returnsSoonAfterTheDelayFalls(t *testing.T) {
	for _, catchUp := range []time.Duration{5 * time.Second, 30 * time.Second, 120 * time.Second} {
		t.Run(catchUp.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				job := newScriptedJob(dtsclient.StatusSynchronizing)
				start := time.Now()
				bound := 30 * time.Second
				// From bound+catchUp×10 at 10 s/s: at the bound after catchUp.
				job.delayAt = fallingDelay(start, bound+10*catchUp, 10, 2*time.Second)
				st, err := awaitCatchUp(t.Context(), job, waitRef, bound, time.Hour, nil)
				if err != nil {
					t.Fatal(err)
				}
				if st.Delay > bound {
					t.Errorf("returned with delay %s, above the bound %s", st.Delay, bound)
				}
				late := time.Since(start) - catchUp
				if limit := max(time.Second, catchUp*15/100); late < 0 || late > limit {
					t.Errorf("returned %s after the delay reached the bound, want within %s", late, limit)
				}
				if n := job.count("Describe"); n != 0 {
					t.Errorf("%d single reads, want none: the polls carried the delay", n)
				}
			})
		})
	}
}

// Where the shared poll has no delay (the legacy status list), each read
// asks the direction on its own.
func TestAwaitCatchUp_pollWithoutDelayReadsTheDirection(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		job := newScriptedJob(dtsclient.StatusSynchronizing)
		job.delayAt = fallingDelay(time.Now(), 90*time.Second, 10, time.Second)
		job.pollNoDelay = true
		if _, err := awaitCatchUp(t.Context(), job, waitRef, 30*time.Second, time.Hour, nil); err != nil {
			t.Fatal(err)
		}
		if polls, singles := job.count("Read"), job.count("Describe"); singles != polls || singles < 2 {
			t.Errorf("%d polls and %d single reads, want one single read per poll", polls, singles)
		}
	})
}

func TestAwaitCatchUp_timeoutSaysHowFastItFellAndHowLongItNeeds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		job := newScriptedJob(dtsclient.StatusSynchronizing)
		job.delayAt = fallingDelay(time.Now(), 10*time.Minute, 2, time.Second)
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		st, err := awaitCatchUp(ctx, job, waitRef, 30*time.Second, time.Minute, nil)
		var cu *catchUpError
		if !errors.As(err, &cu) || cu.Interrupted {
			t.Fatalf("err = %v, want a catch-up timeout", err)
		}
		if st == nil || st.Status != dtsclient.StatusSynchronizing {
			t.Fatalf("last status %v, want the running direction", st)
		}
		// 10m at 2 s/s: about 8m after a minute, 7m30s short of 30s at 2 s/s.
		if r := cu.rate(); r < 1.9 || r > 2.1 {
			t.Errorf("rate %.2f, want about 2", r)
		}
		msg := cu.progress()
		for _, want := range []string{"It fell from 10m to 8m", "(2.0 s per second)", "reaches 30s in about 3m4"} {
			if !strings.Contains(msg, want) {
				t.Errorf("progress %q lacks %q", msg, want)
			}
		}
	})
}

func TestAwaitCatchUp_delayThatDoesNotFallIsSaid(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		job := newScriptedJob(dtsclient.StatusSynchronizing)
		start := time.Now()
		job.delayAt = func(now time.Time) time.Duration { return 5*time.Minute + now.Sub(start) }
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
		defer cancel()
		_, err := awaitCatchUp(ctx, job, waitRef, 30*time.Second, 20*time.Second, nil)
		var cu *catchUpError
		if !errors.As(err, &cu) {
			t.Fatalf("err = %v, want a catch-up timeout", err)
		}
		if msg := cu.progress(); !strings.Contains(msg, "The delay did not fall: 5m when the wait began") {
			t.Errorf("progress %q does not say the delay did not fall", msg)
		}
	})
}

func TestAwaitCatchUp_noDelayReported(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		job := newScriptedJob(dtsclient.StatusSynchronizing)
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		_, err := awaitCatchUp(ctx, job, waitRef, 30*time.Second, 10*time.Second, nil)
		var cu *catchUpError
		if !errors.As(err, &cu) || cu.Reported {
			t.Fatalf("err = %v, want a catch-up timeout with no delay reported", err)
		}
		if !strings.Contains(cu.progress(), "reported no replication delay") {
			t.Errorf("progress %q", cu.progress())
		}
	})
}

// A direction paused (or failed) during the wait ends it with its status.
func TestAwaitCatchUp_directionThatStopsRunningEndsTheWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		job := newScriptedJob(dtsclient.StatusSynchronizing)
		job.delayAt = fallingDelay(time.Now(), time.Hour, 1, time.Second)
		reads := 0
		job.onRead = func(j *scriptedJob) {
			if reads++; reads == 3 {
				j.status = dtsclient.StatusSuspending
			}
		}
		_, err := awaitCatchUp(t.Context(), job, waitRef, 30*time.Second, time.Hour, nil)
		var se *statusError
		if !errors.As(err, &se) || se.Status != dtsclient.StatusSuspending {
			t.Fatalf("err = %v, want the Suspending status", err)
		}
	})
}

func TestAwaitCatchUp_interruptionIsNotATimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		job := newScriptedJob(dtsclient.StatusSynchronizing)
		job.delayAt = fallingDelay(time.Now(), time.Hour, 1, time.Second)
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(10*time.Second, cancel)
		_, err := awaitCatchUp(ctx, job, waitRef, 30*time.Second, time.Hour, nil)
		var cu *catchUpError
		if !errors.As(err, &cu) || !cu.Interrupted {
			t.Fatalf("err = %v, want an interrupted catch-up", err)
		}
	})
}
