package main

import (
	"context"
	"fmt"
	"time"

	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// The throttling experiment (issue 11, legacy family): N pauses while the
// fake allows throttleRate calls/s.

type throttleRun struct {
	wall      time.Duration
	accepted  int
	throttled int
	failures  int
	code      int
}

type throttleResult struct {
	n    int
	runs []throttleRun
}

func (b *bench) throttle(ctx context.Context, n, runs int) (throttleResult, error) {
	res := throttleResult{n: n}
	dir, err := b.workdir(fmt.Sprintf("throttle-%d", n), n, false)
	if err != nil {
		return res, err
	}
	for r := range runs {
		b.progress(fmt.Sprintf("throttling %.0f calls/s: N=%d, run %d/%d", throttleRate, n, r+1, runs))
		removeState(dir)
		if err := b.resetJobs(n, b.opt.transitionMain); err != nil {
			return res, err
		}
		b.fake.SetFaults(fakedts.Faults{ThrottleRate: throttleRate})
		a, err := b.tf(ctx, dir, b.dtsRC, applyArgs...)
		b.fake.ClearFaults()
		if err != nil {
			return res, err
		}
		tr := throttleRun{wall: a.wall, code: a.code}
		t := tally(b.fake.Calls())
		tr.accepted, tr.throttled = t.accepted, t.throttled
		if a.code != 0 {
			tr.failures = max(1, countErrors(a.output))
			b.progress("apply failed:\n" + tail(a.output, 40))
		}
		if got := b.suspendedCount(n); n-got > tr.failures {
			tr.failures = n - got
		}
		res.runs = append(res.runs, tr)
		b.progress(fmt.Sprintf("  wall %.2fs, %d accepted calls (%.2fs at 40/s), %d throttled answers, %d failures",
			a.wall.Seconds(), tr.accepted, float64(tr.accepted)/throttleRate, tr.throttled, tr.failures))
	}
	return res, nil
}

func (b *bench) runThrottle(ctx context.Context, rep *report) error {
	if b.opt.throttleRuns == 0 {
		return nil
	}
	t, err := b.throttle(ctx, b.opt.throttleN, b.opt.throttleRuns)
	rep.throttle = &t
	return err
}
