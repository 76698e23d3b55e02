package main

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// callsRun is the apply and refresh of N pauses with the provider's default
// api (auto), as a user would run them.
type callsRun struct {
	n                  int
	apply, refresh     map[string]int
	applyWall          time.Duration
	batched, unbatched []float64 // refresh wall times, interleaved
	failures           int
}

func (b *bench) calls(ctx context.Context, n, runs int) (callsRun, error) {
	r := callsRun{n: n}
	dir, err := b.workdir(fmt.Sprintf("calls-%d", n), n, false)
	if err != nil {
		return r, err
	}
	removeState(dir)
	if err := b.resetJobs(n, b.opt.transitionMain); err != nil {
		return r, err
	}
	b.progress(fmt.Sprintf("calls: apply N=%d (api auto)", n))
	a, err := b.tf(ctx, dir, b.dtsRC, append(slices.Clone(applyArgs), autoAPI)...)
	if err != nil {
		return r, err
	}
	r.apply, r.applyWall = tally(b.fake.Calls()).byAction, a.wall
	if a.code != 0 {
		r.failures = max(1, countErrors(a.output))
		b.progress("apply failed:\n" + tail(a.output, 30))
	}
	if got := b.suspendedCount(n); n-got > r.failures {
		r.failures = n - got
	}
	for i := range runs {
		b.fake.ResetCalls()
		p, err := b.tf(ctx, dir, b.dtsRC, append(slices.Clone(planArgs), autoAPI)...)
		if err != nil {
			return r, err
		}
		if i == 0 {
			r.refresh = tally(b.fake.Calls()).byAction
		}
		if p.code != 0 {
			r.failures++
		}
		u, err := b.tf(ctx, dir, b.dtsRC, append(slices.Clone(planArgs), autoAPI, "-var=batch_status_reads=false")...)
		if err != nil {
			return r, err
		}
		r.batched, r.unbatched = append(r.batched, p.wall.Seconds()), append(r.unbatched, u.wall.Seconds())
	}
	b.progress(fmt.Sprintf("  apply %.1fs, %v; refresh %v; refresh batched %.2fs, unbatched %.2fs (medians)",
		a.wall.Seconds(), r.apply, r.refresh, median(r.batched), median(r.unbatched)))
	return r, nil
}

func (b *bench) runCalls(ctx context.Context, rep *report) error {
	for _, n := range b.opt.sizes {
		c, err := b.calls(ctx, n, b.opt.runs)
		if err != nil {
			return err
		}
		rep.calls = append(rep.calls, c)
	}
	return nil
}
