package dtsclient

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// classedFlow is a provider process whose callers use two action classes
// of one account and region: pauses ("other") and status reads with a
// published quota. action says which a caller's next call is.
func classedFlow(seed uint64, callers int, action func(caller, accepted int, at time.Duration) string) simFlow {
	p := newPacer(time.Now)
	rng := rand.New(rand.NewPCG(seed, 2))
	for _, a := range []string{"SuspendDtsJob", "DescribeDtsJobDetail"} {
		p.limiter("acct", "cn-hangzhou", a).jitter = rng.Float64
	}
	return simFlow{callers: callers, pick: func(caller, accepted int, at time.Duration) *limiter {
		return p.limiter("acct", "cn-hangzhou", action(caller, accepted, at))
	}}
}

// TestPacerLoneRunAfterAnotherClass: a run alone pauses jobs and reads
// their status at once, so both classes are busy when DTS first throttles;
// then the pauses are done and status reads carry all the work. They go on
// at about the quota, not at the part of it they had while the pauses
// shared it.
func TestPacerLoneRunAfterAnotherClass(t *testing.T) {
	t.Parallel()
	const quota = 5.0
	for seed := range uint64(3) {
		flow := classedFlow(seed, 10, func(caller, accepted int, at time.Duration) string {
			if at < 8*time.Second && (caller+accepted)%2 == 0 {
				return "SuspendDtsJob"
			}
			return "DescribeDtsJobDetail"
		})
		stats := simulateShared([]simFlow{flow}, &simServer{quota: quota}, 30*time.Millisecond, 30, nil)[0]
		got, share := window(stats, 9, 19)
		t.Logf("seed %d: status reads alone accepted %.2f calls/s (%.1f%% throttled) in the 10 s after the pauses", seed, got, 100*share)
		if got < 0.8*quota {
			t.Errorf("seed %d: status reads alone accepted %.2f calls/s after the pauses, want at least 80%% of the quota %v", seed, got, quota)
		}
	}
}

// pauseAndPoll is a caller of a pausing run: one pause, then two status
// reads, job after job.
func pauseAndPoll(caller, accepted int, _ time.Duration) string {
	if accepted%3 == 0 {
		return "SuspendDtsJob"
	}
	return "DescribeDtsJobDetail"
}

// TestPacerSharedRunsWithClasses: four processes, each pausing jobs and
// reading their status on one account quota, settle on about a quarter of
// it each and none starves for a minute; runs of 20 jobs per process at
// once throttle few calls and finish close to the quota's pace. Where each
// class judged by its own calls (and so each process sent as two), 12.4%
// were throttled at K=4 and the last run finished at up to 1.31× the pace.
func TestPacerSharedRunsWithClasses(t *testing.T) {
	t.Parallel()
	const quota, k, seconds = 5.0, 4, 300
	for seed := range uint64(3) {
		flows := make([]simFlow, k)
		for i := range flows {
			flows[i] = classedFlow(seed*100+uint64(i), 10, pauseAndPoll)
		}
		stats := simulateShared(flows, &simServer{quota: quota}, 30*time.Millisecond, seconds, nil)
		r := sharedRun{flows: flows, stats: stats}
		fair := quota / k
		var rates []string
		for f := range flows {
			got := r.rate(f, 120, seconds)
			rates = append(rates, fmt.Sprintf("%.2f", got))
			if got < 0.6*fair || got > 1.5*fair {
				t.Errorf("seed %d: process %d accepted %.2f calls/s, want between 0.6 and 1.5 of its fair share %.2f", seed, f, got, fair)
			}
			for from := 60; from+60 <= seconds; from += 60 {
				if got := r.rate(f, from, from+60); got < 0.3*fair {
					t.Errorf("seed %d: process %d accepted only %.2f calls/s in [%d s, %d s)", seed, f, got, from, from+60)
				}
			}
		}
		acc, _ := r.totals(30, seconds)
		all := float64(acc) / float64(seconds-30)
		t.Logf("seed %d: %.2f calls/s accepted in all, by process %v", seed, all, rates)
		if all < 0.85*quota {
			t.Errorf("seed %d: %.2f calls/s accepted in all, want at least 85%% of the quota", seed, all)
		}
	}
	for _, tc := range []struct {
		k                  int
		maxShare, maxRatio float64
	}{{1, 0.06, 1.05}, {4, 0.10, 1.25}} {
		var shares []float64
		worst := 0.0
		for seed := range uint64(8) {
			flows := make([]simFlow, tc.k)
			for i := range flows {
				flows[i] = classedFlow(seed*100+uint64(i), 10, pauseAndPoll)
				flows[i].callsEach = 6
			}
			r := sharedRun{flows: flows, stats: simulateShared(flows, &simServer{quota: quota}, 30*time.Millisecond, 600, nil)}
			acc, thr := r.totals(0, 600)
			var last time.Duration
			for _, f := range flows {
				last = max(last, f.done)
			}
			if acc != tc.k*60 {
				t.Fatalf("K=%d, seed %d: %d calls accepted, want %d", tc.k, seed, acc, tc.k*60)
			}
			shares = append(shares, float64(thr)/float64(acc+thr))
			worst = max(worst, last.Seconds()/(float64(acc)/quota))
		}
		share := mean(shares)
		t.Logf("K=%d: throttled share %.1f%%, last done at up to %.2f× the quota's pace (%d runs)", tc.k, 100*share, worst, len(shares))
		if share > tc.maxShare || worst > tc.maxRatio {
			t.Errorf("K=%d: throttled share %.1f%% and up to %.2f× the quota's pace, want at most %.0f%% and %.2f×", tc.k, 100*share, worst, 100*tc.maxShare, tc.maxRatio)
		}
	}
}
