package main

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"time"
)

// The families experiment (issue 16): refresh calls per job with each value
// of the provider's api, each family refreshing the state its own apply wrote.

// familyAPIs are the api values the families experiment measures.
var familyAPIs = []string{"synchronization_job", "dts_job", "auto"}

// Issue 16's goal for a batched refresh in every family.
const (
	familyRefreshLimit = 0.15 // calls per job, at most
	familyTargetFromN  = 100  // the goal holds from this N on
)

// familyRun is one api value at one N: the apply of N pauses from an empty
// state, then plans (refresh of the N unchanged jobs, batching on).
type familyRun struct {
	api        string
	n, region  int
	applyCalls map[string]int
	refresh    []map[string]int // the calls of each plan, by action
	planCodes  []int            // each plan's exit code; 0 is no change
	failures   int              // apply errors and jobs left unpaused
}

// familiesResult is the whole experiment, with the machine's load around it.
type familiesResult struct {
	runs               []familyRun
	loadStart, loadEnd string
	wall               time.Duration
}

func (b *bench) families(ctx context.Context, sizes []int, plans int) (familiesResult, error) {
	res := familiesResult{loadStart: loadAvg()}
	start := time.Now()
	for _, n := range sizes {
		dir, err := b.workdir(fmt.Sprintf("families-%d", n), n, false)
		if err != nil {
			return res, err
		}
		for _, api := range familyAPIs {
			r, err := b.familyAt(ctx, dir, api, n, plans)
			if err != nil {
				return res, err
			}
			res.runs = append(res.runs, r)
		}
	}
	res.wall, res.loadEnd = time.Since(start), loadAvg()
	return res, nil
}

func (b *bench) familyAt(ctx context.Context, dir, api string, n, plans int) (familyRun, error) {
	r := familyRun{api: api, n: n, region: b.maxJobs}
	apiVar := "-var=api=" + api
	removeState(dir)
	if err := b.resetJobs(n, b.opt.transitionMain); err != nil {
		return r, err
	}
	b.progress(fmt.Sprintf("families: apply N=%d (api %s)", n, api))
	a, err := b.tf(ctx, dir, b.dtsRC, append(slices.Clone(applyArgs), apiVar)...)
	if err != nil {
		return r, err
	}
	r.applyCalls = tally(b.fake.Calls()).byAction
	if a.code != 0 {
		r.failures = max(1, countErrors(a.output))
		b.progress("apply failed:\n" + tail(a.output, 30))
	}
	if got := b.suspendedCount(n); n-got > r.failures {
		r.failures = n - got
	}
	for range plans {
		b.fake.ResetCalls()
		p, err := b.tf(ctx, dir, b.dtsRC, append(slices.Clone(planArgs), apiVar)...)
		if err != nil {
			return r, err
		}
		r.refresh = append(r.refresh, tally(b.fake.Calls()).byAction)
		r.planCodes = append(r.planCodes, p.code)
		if p.code != 0 {
			b.progress(fmt.Sprintf("plan with api = %s exited %d (want 0, no changes):\n%s", api, p.code, tail(p.output, 30)))
		}
	}
	perJob, lo, hi := r.refreshPerJob()
	b.progress(fmt.Sprintf("  refresh calls/job %.3f (%.3f-%.3f), median plan's calls %v", perJob, lo, hi, r.medianRefresh()))
	return r, nil
}

// refreshPerJob is the median, lowest and highest over the plans of all
// calls the fake logged during a plan, divided by N.
func (r familyRun) refreshPerJob() (med, lo, hi float64) {
	v := make([]float64, 0, len(r.refresh))
	for _, m := range r.refresh {
		v = append(v, float64(sumCalls(m))/float64(r.n))
	}
	return median(v), minOf(v), maxOf(v, func(x float64) float64 { return x })
}

// medianRefresh is the calls by action of the plan with the median total
// (the lower of the two middle ones for an even count).
func (r familyRun) medianRefresh() map[string]int {
	if len(r.refresh) == 0 {
		return nil
	}
	s := slices.Clone(r.refresh)
	sort.SliceStable(s, func(i, j int) bool { return sumCalls(s[i]) < sumCalls(s[j]) })
	return s[(len(s)-1)/2]
}

// changedPlans counts the plans that did not exit 0 (a change or an error).
func (r familyRun) changedPlans() int {
	c := 0
	for _, code := range r.planCodes {
		if code != 0 {
			c++
		}
	}
	return c
}

// familyJudged says whether issue 16's goal applies at N, and whether the
// run met it: the median within the limit, every plan without change, no
// failure.
func (r familyRun) familyJudged() (applies, met bool) {
	if r.n < familyTargetFromN {
		return false, false
	}
	med, _, _ := r.refreshPerJob()
	return true, med <= familyRefreshLimit && r.changedPlans() == 0 && r.failures == 0 && len(r.refresh) > 0
}

func (b *bench) runFamilies(ctx context.Context, rep *report) error {
	f, err := b.families(ctx, b.opt.familySizes, b.opt.familyRuns)
	rep.families = &f
	return err
}
