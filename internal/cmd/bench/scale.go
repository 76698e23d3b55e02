package main

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// The plan and apply wall time experiment (scale): N pauses and their plan
// beside the same N resources as terraform_data.

// scaleRun is one run of the plan/apply comparison at one size.
type scaleRun struct {
	dtsApply, dtsPlan, dtsPlanNoRefresh, dtsPlanUnbatched, floorApply, floorPlan time.Duration
	applyCalls, planCalls, planUnbatchedCalls                                    map[string]int
	applyRSS, planRSS                                                            int64
	failures                                                                     int
}

type scaleResult struct {
	n    int
	runs []scaleRun
}

func (b *bench) scale(ctx context.Context, n, runs int) (scaleResult, error) {
	res := scaleResult{n: n}
	dtsDir, err := b.workdir(fmt.Sprintf("dts-%d", n), n, false)
	if err != nil {
		return res, err
	}
	floorDir, err := b.workdir(fmt.Sprintf("floor-%d", n), n, true)
	if err != nil {
		return res, err
	}
	for r := range runs {
		b.progress(fmt.Sprintf("N=%d run %d/%d", n, r+1, runs))
		var sr scaleRun

		// Provider: apply N pauses from an empty state, then plan (refresh).
		removeState(dtsDir)
		if err := b.resetJobs(n, b.opt.transitionMain); err != nil {
			return res, err
		}
		a, err := b.tf(ctx, dtsDir, b.dtsRC, applyArgs...)
		if err != nil {
			return res, err
		}
		sr.dtsApply, sr.applyRSS = a.wall, a.rssKiB
		sr.applyCalls = tally(b.fake.Calls()).byAction
		b.progress(fmt.Sprintf("  apply calls by action: %v", sr.applyCalls))
		if a.code != 0 {
			sr.failures += max(1, countErrors(a.output))
			b.progress("apply failed:\n" + tail(a.output, 30))
		}
		if got := b.suspendedCount(n); got != n {
			sr.failures += n - got
		}
		b.fake.ResetCalls()
		p, err := b.tf(ctx, dtsDir, b.dtsRC, planArgs...)
		if err != nil {
			return res, err
		}
		sr.dtsPlan, sr.planRSS = p.wall, p.rssKiB
		sr.planCalls = tally(b.fake.Calls()).byAction
		if p.code != 0 {
			sr.failures++
			b.progress(fmt.Sprintf("plan exited %d (want 0, no changes):\n%s", p.code, tail(p.output, 30)))
		}
		pn, err := b.tf(ctx, dtsDir, b.dtsRC, append(slices.Clone(planArgs), "-refresh=false")...)
		if err != nil {
			return res, err
		}
		sr.dtsPlanNoRefresh = pn.wall
		// The same refresh with batching off: one single read per resource.
		b.fake.ResetCalls()
		pu, err := b.tf(ctx, dtsDir, b.dtsRC, append(slices.Clone(planArgs), "-var=batch_status_reads=false")...)
		if err != nil {
			return res, err
		}
		sr.dtsPlanUnbatched = pu.wall
		sr.planUnbatchedCalls = tally(b.fake.Calls()).byAction
		if pu.code != 0 {
			sr.failures++
			b.progress(fmt.Sprintf("plan without batching exited %d (want 0, no changes):\n%s", pu.code, tail(pu.output, 30)))
		}

		// Floor: the same N resources as terraform_data, no provider.
		removeState(floorDir)
		fa, err := b.tf(ctx, floorDir, b.floorRC, applyArgs...)
		if err != nil {
			return res, err
		}
		if fa.code != 0 {
			return res, fmt.Errorf("terraform_data apply exited %d:\n%s", fa.code, tail(fa.output, 30))
		}
		fp, err := b.tf(ctx, floorDir, b.floorRC, planArgs...)
		if err != nil {
			return res, err
		}
		if fp.code != 0 {
			return res, fmt.Errorf("terraform_data plan exited %d:\n%s", fp.code, tail(fp.output, 30))
		}
		sr.floorApply, sr.floorPlan = fa.wall, fp.wall
		res.runs = append(res.runs, sr)
		b.progress(fmt.Sprintf("  apply %.2fs (floor %.2fs), plan %.2fs (floor %.2fs), plan -refresh=false %.2fs, plan without batching %.2fs",
			sr.dtsApply.Seconds(), sr.floorApply.Seconds(), sr.dtsPlan.Seconds(), sr.floorPlan.Seconds(), sr.dtsPlanNoRefresh.Seconds(),
			sr.dtsPlanUnbatched.Seconds()))
	}
	return res, nil
}

func (b *bench) runScale(ctx context.Context, rep *report) error {
	for _, n := range b.opt.sizes {
		runs := b.opt.runs
		if n >= b.opt.largeFrom {
			runs = b.opt.largeRuns
		}
		s, err := b.scale(ctx, n, runs)
		if err != nil {
			return err
		}
		rep.scale = append(rep.scale, s)
	}
	return nil
}
