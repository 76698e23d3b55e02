package main

import (
	"context"
	"strings"
	"time"

	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// The lateness experiment: one apply pauses one job per transition length
// (so the longest sets the wall time), with batch_status_reads = false so
// that every poll is a single read naming its job in the fake's call log.

type lateRun struct {
	transition time.Duration
	late       time.Duration // first read at or after completion, minus completion
	reads      int           // status reads from the Suspend to that read
	found      bool
}

type latenessResult struct {
	runs []lateRun
	wall time.Duration
}

func (b *bench) runLateness(ctx context.Context, rep *report) error {
	lengths := b.opt.lateLengths
	dir, err := b.workdir("lateness", len(lengths), tfConfig{})
	if err != nil {
		return err
	}
	if err := b.resetJobs(len(lengths), 0); err != nil {
		return err
	}
	for i, t := range lengths {
		if err := b.fake.SetTransitionTime(jobID(i), t); err != nil {
			return err
		}
	}
	b.progress("lateness: transitions %v in one apply", lengths)
	removeState(dir)
	a, c, err := b.tfCalls(ctx, dir, apply(autoAPI, "-var=batch_status_reads=false")...)
	if err != nil {
		return err
	}
	b.failures(a, 0, "")
	res := &latenessResult{wall: a.wall}
	for i, t := range lengths {
		r := lateRun{transition: t}
		var suspendAt time.Time
		for _, c := range c.log {
			if c.JobID != jobID(i) || c.Stage != fakedts.StageAction || c.HTTPStatus != 200 {
				continue
			}
			switch {
			case strings.HasPrefix(c.Action, "Suspend") && suspendAt.IsZero():
				suspendAt = c.Time
			case (c.Action == actDescribe || c.Action == "DescribeDtsJobDetail") && !suspendAt.IsZero() && !r.found:
				r.reads++
				if !c.Time.Before(suspendAt.Add(t)) {
					r.late, r.found = c.Time.Sub(suspendAt.Add(t)), true
				}
			}
		}
		res.runs = append(res.runs, r)
		b.progress("  %s: seen %.3fs late after %d reads", t, r.late.Seconds(), r.reads)
	}
	rep.late = res
	return nil
}

func (r *report) renderLateness(p printer) {
	if r.late == nil {
		return
	}
	p("### Lateness of the poll schedule\n\n")
	p("One apply pauses one job per transition length at once (wall %.0f s, set by the longest), with ", r.late.wall.Seconds())
	p("`batch_status_reads = false` so that each poll is a single read that names its job in the fake's call log ")
	p("(with batching on the schedule is the same, plus the 15 ms debounce of each batch; shared polls cannot be ")
	p("attributed to one job). The transitions run on the fake's real clock: the fake can move its clock, but the ")
	p("provider waits on real time, so a 300 s transition takes 300 s. *Late* is the first read at or after the ")
	p("transition completed minus the completion (the accepted Suspend plus the transition time); *reads* are the ")
	p("status reads from the Suspend to that read. Target: late ≤ max(1 s, 15%% of the length).\n\n")
	p("| Transition | Late | Limit | Reads | Reads per minute of waiting | Verdict |\n|---|---|---|---|---|---|\n")
	for _, l := range r.late.runs {
		limit := max(time.Second, time.Duration(0.15*float64(l.transition)))
		if !l.found {
			p("| %s | not seen | %s | %d | | **missed** (no read after completion in the log) |\n", l.transition, limit, l.reads)
			continue
		}
		perMin := float64(l.reads) / (l.transition.Seconds() + l.late.Seconds()) * 60
		p("| %s | %.3f s | %s | %d | %.1f | %s |\n", l.transition, l.late.Seconds(), limit, l.reads, perMin, yesNo(l.late <= limit))
	}
	p("\nThe schedule (internal/provider/wait.go) waits max(750 ms, 12%% of the time waited so far), moved earlier ")
	p("onto a grid shared by every wait (250 ms × 2^k, at most half the interval) so that jobs waiting together poll ")
	p("at the same instants and one batched call serves them. Its reads per minute are bounded by 120 (two a second, ")
	p("the first 6 s) and fall as the wait grows; with polls shared, a region's calls per tick are one per 50 jobs ")
	p("(legacy list) or one listing (DescribeDtsJobs), whatever the number of waiting jobs.\n\n")
}
