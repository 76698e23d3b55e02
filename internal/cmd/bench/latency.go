package main

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// The latency experiment (issue 11, legacy family): how soon after a
// transition completes the apply sees it, from the fake's call log.

// jobLatency is what the call log says about one job's pause.
type jobLatency struct {
	afterDone   time.Duration // first read at or after the transition completed, minus its completion
	readsAfter  int           // status reads after the Suspend call, up to that read
	readsTotal  int           // status reads of the job during the apply (the plan's read included)
	extraReads  int           // reads after the one that saw the job paused
	applyReturn time.Duration // apply's return minus the transition's completion
}

type latencyRun struct {
	jobs     []jobLatency
	wall     time.Duration
	failures int
}

type latencyResult struct {
	transition time.Duration
	n          int
	runs       []latencyRun
}

func (b *bench) latency(ctx context.Context, t time.Duration, n, runs int) (latencyResult, error) {
	res := latencyResult{transition: t, n: n}
	dir, err := b.workdir(fmt.Sprintf("latency-%d", n), n, tfConfig{})
	if err != nil {
		return res, err
	}
	for r := range runs {
		b.progress("latency: transition %s, N=%d, run %d/%d", t, n, r+1, runs)
		a, c, failures, err := b.applyPauses(ctx, dir, n, t, 0)
		if err != nil {
			return res, err
		}
		lr := latencyRun{wall: a.wall, failures: failures}
		for i := range n {
			if jl, ok := jobLatencyFrom(c.log, jobID(i), t, a.end); ok {
				lr.jobs = append(lr.jobs, jl)
			} else {
				lr.failures++
			}
		}
		res.runs = append(res.runs, lr)
		b.progress("  wall %.2fs, latency after completion median %.3fs", a.wall.Seconds(),
			medianOf(lr.jobs, func(j jobLatency) float64 { return j.afterDone.Seconds() }))
	}
	return res, nil
}

// jobLatencyFrom reads one job's pause from the call log: the accepted
// Suspend call, the transition's completion (that call's time plus t), and
// the first status read at or after the completion.
func jobLatencyFrom(calls []fakedts.Call, id string, t time.Duration, applyEnd time.Time) (jobLatency, bool) {
	var jl jobLatency
	var suspendAt, seenAt time.Time
	for _, c := range calls {
		if c.JobID != id || c.Stage != fakedts.StageAction || c.HTTPStatus != 200 {
			continue
		}
		switch {
		case c.Action == actSuspend && suspendAt.IsZero():
			suspendAt = c.Time
		case c.Action != actDescribe:
		case suspendAt.IsZero():
			jl.readsTotal++
		case seenAt.IsZero():
			jl.readsTotal++
			jl.readsAfter++
			if !c.Time.Before(suspendAt.Add(t)) {
				seenAt = c.Time
			}
		default:
			jl.readsTotal++
			jl.extraReads++
		}
	}
	if suspendAt.IsZero() || seenAt.IsZero() {
		return jl, false
	}
	done := suspendAt.Add(t)
	jl.afterDone, jl.applyReturn = seenAt.Sub(done), applyEnd.Sub(done)
	return jl, true
}

// runLatency measures the short transitions at each -short-sizes, the
// -extra-transitions at N=1, and the long transition at N=1.
func (b *bench) runLatency(ctx context.Context, rep *report) error {
	type point struct {
		t       time.Duration
		n, runs int
	}
	var points []point
	for _, n := range b.opt.shortNs {
		points = append(points, point{b.opt.shortT, n, b.opt.runs})
	}
	for _, t := range b.opt.extraT {
		points = append(points, point{t, 1, b.opt.runs})
	}
	if b.opt.longRuns > 0 {
		points = append(points, point{b.opt.longT, 1, b.opt.longRuns})
	}
	for _, pt := range points {
		l, err := b.latency(ctx, pt.t, pt.n, pt.runs)
		if err != nil {
			return err
		}
		rep.latency = append(rep.latency, l)
	}
	return nil
}

// latencyStats are the per-run medians and p95s of one latency experiment,
// then the median (or largest) over the runs.
type latencyStats struct {
	readMedian, readP95, applyMedian                      float64
	readsAfterMedian, readsAfterMax, readsTotal, extraMax float64
	wall                                                  float64
	failures                                              int
}

func (l latencyResult) stats() latencyStats {
	s := latencyStats{wall: medianOf(l.runs, func(x latencyRun) float64 { return secs(x.wall) })}
	of := func(x latencyRun, f func(jobLatency) float64) []float64 { return values(x.jobs, f) }
	after := func(j jobLatency) float64 { return secs(j.afterDone) }
	reads := func(j jobLatency) float64 { return float64(j.readsAfter) }
	s.readMedian = medianOf(l.runs, func(x latencyRun) float64 { return median(of(x, after)) })
	s.readP95 = medianOf(l.runs, func(x latencyRun) float64 { return quantile(of(x, after), 0.95) })
	s.applyMedian = medianOf(l.runs, func(x latencyRun) float64 {
		return median(of(x, func(j jobLatency) float64 { return secs(j.applyReturn) }))
	})
	s.readsAfterMedian = medianOf(l.runs, func(x latencyRun) float64 { return median(of(x, reads)) })
	s.readsAfterMax = maxOf(values(l.runs, func(x latencyRun) float64 { return maxOf(of(x, reads)) }))
	s.readsTotal = medianOf(l.runs, func(x latencyRun) float64 {
		return median(of(x, func(j jobLatency) float64 { return float64(j.readsTotal) }))
	})
	s.extraMax = maxOf(values(l.runs, func(x latencyRun) float64 {
		return maxOf(of(x, func(j jobLatency) float64 { return float64(j.extraReads) }))
	}))
	for _, r := range l.runs {
		s.failures += r.failures
	}
	return s
}

// latencyTargets judge the short and the long transition: the apply
// latency at N=1 (or the read latency of the largest N without N=1) and
// the most reads per transition.
func (r *report) latencyTargets() []target {
	out := []target{r.latencyTarget(r.opt.shortT, time.Second, "Apply latency, short transition",
		fmt.Sprintf("apply returns ≤ 1 s (median) after a %s transition completes; ≤ 10 status reads", r.opt.shortT))}
	if r.opt.longRuns > 0 {
		limit := time.Duration(float64(r.opt.longT) * 0.2)
		out = append(out, r.latencyTarget(r.opt.longT, limit, "Apply latency, long transition",
			fmt.Sprintf("apply returns within 20%% of a %s transition (≤ %s); ≤ 10 status reads", r.opt.longT, limit)))
	}
	return out
}

func (r *report) latencyTarget(tr, limit time.Duration, name, goal string) target {
	t := target{name: name, goal: goal}
	var chosen *latencyResult
	reads := 0.0
	for i, l := range r.latency {
		if l.transition == tr {
			if chosen == nil || l.n == 1 {
				chosen = &r.latency[i]
			}
			if m := l.stats().readsAfterMax; !math.IsNaN(m) {
				reads = max(reads, m)
			}
		}
	}
	if chosen == nil {
		return t
	}
	s := chosen.stats()
	lat, what := s.applyMedian, "apply latency (N=1)"
	if chosen.n != 1 {
		lat, what = s.readMedian, fmt.Sprintf("read latency (N=%d)", chosen.n)
	}
	t.known, t.met = true, lat <= limit.Seconds() && reads <= 10 && s.failures == 0
	t.measured = fmt.Sprintf("%s s %s; %.0f reads", f3(lat), what, reads)
	return t
}

func (r *report) renderLatency(p printer) {
	if len(r.latency) == 0 {
		return
	}
	p("## Latency after the job reaches its target status\n\n")
	p("Seconds after the fake completed the pause (see Method). Median and p95 are over the N jobs of a run, then the ")
	p("median over runs. Reads: status reads after the Suspend call (median / largest), and all status reads of the job ")
	p("during the apply.\n\n")
	p("| transition | N | runs | read latency median | read latency p95 | apply latency (N=1) | reads per transition (median / max) | reads in all | reads after seeing it paused | apply wall | failures |\n")
	p("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, l := range r.latency {
		s := l.stats()
		apply := "—"
		if l.n == 1 {
			apply = f3(s.applyMedian)
		}
		p("| %s | %d | %d | %s | %s | %s | %.0f / %.0f | %.0f | %.0f | %s | %d |\n", l.transition, l.n, len(l.runs), f3(s.readMedian),
			f3(s.readP95), apply, s.readsAfterMedian, s.readsAfterMax, s.readsTotal, s.extraMax, f2(s.wall), s.failures)
	}
	p("\n")
}
