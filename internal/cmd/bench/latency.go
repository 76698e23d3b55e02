package main

import (
	"context"
	"fmt"
	"time"

	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// The latency experiment: how soon after a transition completes the apply
// sees it, from the fake's call log.

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
	dir, err := b.workdir(fmt.Sprintf("latency-%d", n), n, false)
	if err != nil {
		return res, err
	}
	for r := range runs {
		b.progress(fmt.Sprintf("latency: transition %s, N=%d, run %d/%d", t, n, r+1, runs))
		removeState(dir)
		if err := b.resetJobs(n, t); err != nil {
			return res, err
		}
		a, err := b.tf(ctx, dir, b.dtsRC, applyArgs...)
		if err != nil {
			return res, err
		}
		lr := latencyRun{wall: a.wall}
		if a.code != 0 {
			lr.failures += max(1, countErrors(a.output))
			b.progress("apply failed:\n" + tail(a.output, 30))
		}
		calls := b.fake.Calls()
		for i := range n {
			jl, ok := jobLatencyFrom(calls, jobID(i), t, a.end)
			if !ok {
				lr.failures++
				continue
			}
			lr.jobs = append(lr.jobs, jl)
		}
		res.runs = append(res.runs, lr)
		afters := make([]float64, 0, len(lr.jobs))
		for _, j := range lr.jobs {
			afters = append(afters, j.afterDone.Seconds())
		}
		b.progress(fmt.Sprintf("  wall %.2fs, latency after completion median %.3fs", a.wall.Seconds(), median(afters)))
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
		switch c.Action {
		case actSuspend:
			if suspendAt.IsZero() {
				suspendAt = c.Time
			}
		case actDescribe:
			jl.readsTotal++
			if suspendAt.IsZero() {
				continue
			}
			if seenAt.IsZero() {
				jl.readsAfter++
				if !c.Time.Before(suspendAt.Add(t)) {
					seenAt = c.Time
				}
			} else {
				jl.extraReads++
			}
		}
	}
	if suspendAt.IsZero() || seenAt.IsZero() {
		return jl, false
	}
	done := suspendAt.Add(t)
	jl.afterDone = seenAt.Sub(done)
	jl.applyReturn = applyEnd.Sub(done)
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
