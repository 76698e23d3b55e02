package main

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// The throttling experiment (issue 11, legacy family): N pauses while the
// fake allows throttleRate calls/s.

type throttleRun struct {
	wall                                time.Duration
	accepted, throttled, failures, code int
}

type throttleResult struct {
	n    int
	runs []throttleRun
}

func (b *bench) runThrottle(ctx context.Context, rep *report) error {
	if b.opt.throttleRuns == 0 {
		return nil
	}
	n := b.opt.throttleN
	res := &throttleResult{n: n}
	rep.throttle = res
	dir, err := b.workdir(fmt.Sprintf("throttle-%d", n), n, tfConfig{})
	if err != nil {
		return err
	}
	for r := range b.opt.throttleRuns {
		b.progress("throttling %.0f calls/s: N=%d, run %d/%d", throttleRate, n, r+1, b.opt.throttleRuns)
		a, c, failures, err := b.applyPauses(ctx, dir, n, b.opt.transitionMain, throttleRate)
		if err != nil {
			return err
		}
		tr := throttleRun{wall: a.wall, code: a.code, accepted: c.accepted, throttled: c.throttled, failures: failures}
		res.runs = append(res.runs, tr)
		b.progress("  wall %.2fs, %d accepted calls, %d throttled answers, %d failures", a.wall.Seconds(), tr.accepted, tr.throttled, tr.failures)
	}
	return nil
}

func (t throttleResult) medians() (wall, accepted, throttled, ratio float64, failures int) {
	wall = medianOf(t.runs, func(x throttleRun) float64 { return secs(x.wall) })
	accepted = medianOf(t.runs, func(x throttleRun) float64 { return float64(x.accepted) })
	throttled = medianOf(t.runs, func(x throttleRun) float64 { return float64(x.throttled) })
	ratio = medianOf(t.runs, func(x throttleRun) float64 { return secs(x.wall) / (float64(x.accepted) / throttleRate) })
	for _, x := range t.runs {
		failures += x.failures
	}
	return
}

func (r *report) throttleTarget() target {
	t := target{name: "Throttling", goal: fmt.Sprintf("N=%d at %.0f calls/s: 0 failures; wall ≤ 1.2 × calls/40", r.opt.throttleN, throttleRate)}
	if r.throttle != nil {
		wall, accepted, _, ratio, failures := r.throttle.medians()
		t.known, t.met = true, failures == 0 && ratio <= 1.2
		t.measured = fmt.Sprintf("%d failures; %s s vs %s s: %s×", failures, f2(wall), f2(accepted/throttleRate), f2(ratio))
	}
	return t
}

func (r *report) renderThrottle(p printer) {
	if r.throttle == nil {
		return
	}
	t := *r.throttle
	wall, accepted, throttled, ratio, failures := t.medians()
	p("## Apply under throttling\n\n")
	p("`terraform apply` of N=%d pauses (from an empty state, transition %s) while the fake allows %.0f calls/s.\n\n", t.n, r.opt.transitionMain, throttleRate)
	p("| N | runs | failures (all runs) | wall (s) | accepted calls | calls/40 (s) | wall ÷ (calls/40) | throttled answers |\n")
	p("|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	p("| %d | %d | %d | %s | %.0f | %s | %s× | %.0f |\n\n", t.n, len(t.runs), failures, f2(wall), accepted,
		f2(accepted/throttleRate), f2(ratio), throttled)
	var parts []string
	for _, x := range t.runs {
		parts = append(parts, fmt.Sprintf("%.1f s, %d accepted, %d throttled, %d failures (exit %d)",
			secs(x.wall), x.accepted, x.throttled, x.failures, x.code))
	}
	p("Per run: %s.\n\n", strings.Join(parts, "; "))
}
