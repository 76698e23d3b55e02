package dtsclient

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// sharedRun is K provider processes, each with its own limiter and
// Terraform's default 10 callers, against one quota.
type sharedRun struct {
	flows []simFlow
	stats [][]simStats
}

// seededLimiter is a new limiter whose jitter is deterministic.
func seededLimiter(seed uint64) *limiter {
	l := newLimiter(pacerKey{class: sharedActionClass}, 0, pacerMinRate)
	l.jitter = rand.New(rand.NewPCG(seed, 1)).Float64
	return l
}

func runSharedSeed(seed uint64, k, callsEach int, quota float64, seconds int, starts func(i int) time.Duration) sharedRun {
	flows := make([]simFlow, k)
	for i := range flows {
		flows[i] = simFlow{l: seededLimiter(seed*100 + uint64(i)), callers: 10, callsEach: callsEach}
		if starts != nil {
			flows[i].start = starts(i)
		}
	}
	stats := simulateShared(flows, &simServer{quota: quota}, 30*time.Millisecond, seconds, nil)
	return sharedRun{flows: flows, stats: stats}
}

// totals sums every flow's stats over [from, to) seconds.
func (r sharedRun) totals(from, to int) (accepted, throttled int) {
	for _, st := range r.stats {
		for _, s := range st[from:to] {
			accepted += s.accepted
			throttled += s.throttled
		}
	}
	return accepted, throttled
}

// rate is one flow's accepted calls per second over [from, to).
func (r sharedRun) rate(flow, from, to int) float64 {
	n := 0
	for _, s := range r.stats[flow][from:to] {
		n += s.accepted
	}
	return float64(n) / float64(to-from)
}

// The tests below run provider processes that do not know each other, each
// with its own limiter and 10 callers, against one simulated account quota.

// TestPacerSharesConverge: four processes with endless work settle on about
// a quarter of the quota each, and together use most of it.
func TestPacerSharesConverge(t *testing.T) {
	t.Parallel()
	for _, quota := range []float64{5, 20} {
		for seed := range uint64(3) {
			r := runSharedSeed(seed, 4, 0, quota, 300, nil)
			acc, thr := r.totals(120, 300)
			fair := quota / 4
			var rates []string
			for f := range r.flows {
				got := r.rate(f, 120, 300)
				rates = append(rates, fmt.Sprintf("%.2f", got))
				if got < 0.6*fair || got > 1.5*fair {
					t.Errorf("quota %v/s, seed %d: process %d accepted %.2f calls/s, want between 0.6 and 1.5 of its fair share %.2f", quota, seed, f, got, fair)
				}
			}
			t.Logf("quota %v/s, seed %d: %.2f calls/s accepted in all (%.1f%% throttled), by process %v", quota, seed, float64(acc)/180, 100*float64(thr)/float64(acc+thr), rates)
			if all := float64(acc) / 180; all < 0.85*quota {
				t.Errorf("quota %v/s, seed %d: %.2f calls/s accepted in all, want at least 85%% of the quota", quota, seed, all)
			}
		}
	}
}

// TestPacerLatecomerNotStarved: a process that starts while three others
// already share the quota gets its share within a minute, and processes
// seldom fall far below their share for 30 s. Judged over 40 seeds: CUBIC's
// shares even out only on average, and in about one run of seven a process
// dips below 30% of its share for 30 s, or the latecomer is still below
// half of it a minute in, before it recovers.
func TestPacerLatecomerNotStarved(t *testing.T) {
	t.Parallel()
	const quota, runs = 8.0, 40
	starved := 0
	for seed := range uint64(runs) {
		r := runSharedSeed(seed, 4, 0, quota, 240, func(i int) time.Duration {
			if i == 3 {
				return 60 * time.Second
			}
			return 0
		})
		var dips []string
		if got, fair := r.rate(3, 120, 180), quota/4; got < 0.5*fair {
			dips = append(dips, fmt.Sprintf("the latecomer at %.2f calls/s a minute after it started", got))
		}
		for from := 30; from+30 <= 240; from += 30 {
			k := 3.0
			if from >= 60 {
				k = 4
			}
			for f := range r.flows {
				if f == 3 && from < 90 {
					continue
				}
				if got := r.rate(f, from, from+30); got < 0.3*quota/k {
					dips = append(dips, fmt.Sprintf("process %d at %.2f calls/s in [%d s, %d s)", f, got, from, from+30))
				}
			}
		}
		if len(dips) > 0 {
			starved++
			t.Logf("seed %d: %v", seed, dips)
		}
	}
	if starved > runs/5 {
		t.Errorf("in %d of %d runs a process fell far below its share (logged above), want at most %d", starved, runs, runs/5)
	}
}

// TestPacerSharedThrottledShare: K processes start at once, each with the
// calls of 15 pauses (about 40), on a quota of 5 calls/s: few calls are
// throttled, and the last finishes close to the quota's pace (accepted
// calls ÷ quota). Most throttles come as they start together; where each
// left slow start at half the rate it sent, K=2 throttled 7.5% and K=4
// 11.7%.
func TestPacerSharedThrottledShare(t *testing.T) {
	t.Parallel()
	const quota = 5.0
	for _, tc := range []struct {
		k                  int
		maxShare, maxRatio float64
	}{{1, 0.06, 1.1}, {2, 0.06, 1.3}, {4, 0.10, 1.3}, {8, 1, 10}} {
		var shares, ratios []float64
		for seed := range uint64(6) {
			r := runSharedSeed(seed, tc.k, 4, quota, 600, nil)
			acc, thr := r.totals(0, 600)
			var last time.Duration
			for _, f := range r.flows {
				last = max(last, f.done)
			}
			if acc != tc.k*40 {
				t.Fatalf("K=%d, seed %d: %d calls accepted, want %d", tc.k, seed, acc, tc.k*40)
			}
			shares = append(shares, float64(thr)/float64(acc+thr))
			ratios = append(ratios, last.Seconds()/(float64(acc)/quota))
		}
		share, ratio := mean(shares), mean(ratios)
		t.Logf("K=%d: throttled share %.1f%%, last done at %.2f× the quota's pace (means of %d runs)", tc.k, 100*share, ratio, len(shares))
		if share > tc.maxShare || ratio > tc.maxRatio {
			t.Errorf("K=%d: throttled share %.1f%% and %.2f× the quota's pace, want at most %.0f%% and %.1f×", tc.k, 100*share, ratio, 100*tc.maxShare, tc.maxRatio)
		}
	}
}

func mean(v []float64) float64 {
	sum := 0.0
	for _, x := range v {
		sum += x
	}
	return sum / float64(len(v))
}
