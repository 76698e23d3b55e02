package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// lateRun is one transition of the lateness experiment.
type lateRun struct {
	transition time.Duration
	late       time.Duration // first read at or after completion, minus completion
	reads      int           // status reads from the Suspend to that read
	found      bool
}

// lateness pauses one job per transition length in one apply (so the
// longest sets the wall time), with batch_status_reads = false so that
// every poll is a single read naming its job in the fake's call log. The
// schedule is the same with batching on; batching adds its debounce
// (15 ms) to each poll.
func (b *bench) lateness(ctx context.Context, lengths []time.Duration) ([]lateRun, time.Duration, error) {
	n := len(lengths)
	dir, err := b.workdir("lateness", n, false)
	if err != nil {
		return nil, 0, err
	}
	removeState(dir)
	if err := b.resetJobs(n, 0); err != nil {
		return nil, 0, err
	}
	for i, t := range lengths {
		if err := b.fake.SetTransitionTime(jobID(i), t); err != nil {
			return nil, 0, err
		}
	}
	b.progress(fmt.Sprintf("lateness: transitions %v in one apply", lengths))
	a, err := b.tf(ctx, dir, b.dtsRC, append(slices.Clone(applyArgs), autoAPI, "-var=batch_status_reads=false")...)
	if err != nil {
		return nil, 0, err
	}
	if a.code != 0 {
		b.progress("apply failed:\n" + tail(a.output, 30))
	}
	calls := b.fake.Calls()
	var out []lateRun
	for i, t := range lengths {
		r := lateRun{transition: t}
		var suspendAt time.Time
		for _, c := range calls {
			if c.JobID != jobID(i) || c.Stage != fakedts.StageAction || c.HTTPStatus != 200 {
				continue
			}
			switch {
			case strings.HasPrefix(c.Action, "Suspend"):
				if suspendAt.IsZero() {
					suspendAt = c.Time
				}
			case c.Action == actDescribe || c.Action == "DescribeDtsJobDetail":
				if suspendAt.IsZero() || r.found {
					continue
				}
				r.reads++
				if !c.Time.Before(suspendAt.Add(t)) {
					r.late, r.found = c.Time.Sub(suspendAt.Add(t)), true
				}
			}
		}
		out = append(out, r)
		b.progress(fmt.Sprintf("  %s: seen %.3fs late after %d reads", t, r.late.Seconds(), r.reads))
	}
	return out, a.wall, nil
}

func (b *bench) runLateness(ctx context.Context, rep *report) error {
	l, wall, err := b.lateness(ctx, b.opt.lateLengths)
	rep.late, rep.lateWall = l, wall
	return err
}
