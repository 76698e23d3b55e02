package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The scale experiment (issue 11, legacy family): N pauses and their plan
// beside the same N resources as terraform_data.

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
	dtsDir, err := b.workdir(fmt.Sprintf("dts-%d", n), n, tfConfig{})
	if err != nil {
		return res, err
	}
	floorDir, err := b.floorWorkdir(fmt.Sprintf("floor-%d", n), n)
	if err != nil {
		return res, err
	}
	for r := range runs {
		b.progress("N=%d run %d/%d", n, r+1, runs)
		var sr scaleRun
		a, ac, failures, err := b.applyPauses(ctx, dtsDir, n, b.opt.transitionMain, 0)
		if err != nil {
			return res, err
		}
		p, pc, err := b.tfCalls(ctx, dtsDir, planArgs...)
		if err != nil {
			return res, err
		}
		pn, err := b.tf(ctx, dtsDir, b.dtsRC, plan("-refresh=false")...)
		if err != nil {
			return res, err
		}
		pu, puc, err := b.tfCalls(ctx, dtsDir, plan("-var=batch_status_reads=false")...)
		if err != nil {
			return res, err
		}
		sr.failures = failures + b.failures(p, 0, "") + b.failures(pu, 0, "")
		sr.dtsApply, sr.applyRSS, sr.applyCalls = a.wall, a.rssKiB, ac.byAction
		sr.dtsPlan, sr.planRSS, sr.planCalls = p.wall, p.rssKiB, pc.byAction
		sr.dtsPlanNoRefresh, sr.dtsPlanUnbatched, sr.planUnbatchedCalls = pn.wall, pu.wall, puc.byAction

		removeState(floorDir)
		var floor []time.Duration
		for _, args := range [][]string{applyArgs, planArgs} {
			f, err := b.tf(ctx, floorDir, b.floorRC, args...)
			if err != nil {
				return res, err
			}
			if f.code != 0 {
				return res, fmt.Errorf("terraform_data %s exited %d:\n%s", args[0], f.code, tail(f.output, 30))
			}
			floor = append(floor, f.wall)
		}
		sr.floorApply, sr.floorPlan = floor[0], floor[1]
		res.runs = append(res.runs, sr)
		b.progress("  apply %.2fs (floor %.2fs), plan %.2fs (floor %.2fs), plan -refresh=false %.2fs, plan without batching %.2fs",
			sr.dtsApply.Seconds(), sr.floorApply.Seconds(), sr.dtsPlan.Seconds(), sr.floorPlan.Seconds(), sr.dtsPlanNoRefresh.Seconds(),
			sr.dtsPlanUnbatched.Seconds())
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

// med is the median over the runs of a figure.
func (s scaleResult) med(f func(scaleRun) float64) float64 { return medianOf(s.runs, f) }

// perJob is the median over the runs of calls per resource.
func (s scaleResult) perJob(get func(scaleRun) map[string]int, action string) float64 {
	return s.med(func(x scaleRun) float64 {
		if action == "" {
			return perJob(get(x), s.n)
		}
		return float64(get(x)[action]) / float64(s.n)
	})
}

func (r *report) scaleAt(n int) (scaleResult, bool) {
	for _, s := range r.scale {
		if s.n == n {
			return s, true
		}
	}
	return scaleResult{}, false
}

var (
	dtsPlan    = func(x scaleRun) float64 { return secs(x.dtsPlan) }
	floorPlan  = func(x scaleRun) float64 { return secs(x.floorPlan) }
	unbatched  = func(x scaleRun) float64 { return secs(x.dtsPlanUnbatched) }
	applyCalls = func(x scaleRun) map[string]int { return x.applyCalls }
	planCalls  = func(x scaleRun) map[string]int { return x.planCalls }
)

// scaleTargets judge the plan overhead, the batched refresh and the
// refresh calls.
func (r *report) scaleTargets() []target {
	overhead := target{name: "Plan overhead", goal: "plan at N=500 ≤ 1.3 × `terraform_data` ×500"}
	if s, ok := r.scaleAt(500); ok {
		plan, floor := s.med(dtsPlan), s.med(floorPlan)
		overhead.known, overhead.met = true, plan/floor <= 1.3
		overhead.measured = fmt.Sprintf("%s s vs %s s: %s×", f2(plan), f2(floor), f2(plan/floor))
	}
	batched := target{name: "Batched refresh", goal: "≤ 0.15 calls per refreshed resource at N=100 and N=500; plan no slower than with batching off (5% noise allowance)", met: true}
	var parts []string
	for _, n := range []int{100, 500} {
		if s, ok := r.scaleAt(n); ok {
			calls, plan, off := s.perJob(planCalls, ""), s.med(dtsPlan), s.med(unbatched)
			batched.known, batched.met = true, batched.met && calls <= 0.15 && plan <= 1.05*off
			parts = append(parts, fmt.Sprintf("N=%d: %s calls/resource, plan %s s vs %s s with batching off", n, f2(calls), f2(plan), f2(off)))
		}
	}
	batched.measured = strings.Join(parts, "; ")
	refresh := target{name: "Refresh calls", goal: "≤ 1 API call per resource on refresh"}
	if len(r.scale) > 0 {
		worst := slices.Max(values(r.scale, func(s scaleResult) float64 { return s.perJob(planCalls, "") }))
		refresh.known, refresh.met = true, worst <= 1.0
		refresh.measured = fmt.Sprintf("%s calls per resource (largest over N)", f2(worst))
	}
	return []target{overhead, batched, refresh}
}

func (r *report) renderScale(p printer) {
	if len(r.scale) == 0 {
		return
	}
	p("## Plan and apply wall time\n\n")
	p("Seconds, median of the runs; ratio = provider ÷ `terraform_data`.\n\n")
	p("| N | runs | plan | `terraform_data` plan | plan ratio | plan -refresh=false | plan, batching off | apply | `terraform_data` apply | apply ratio | failures |\n")
	p("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, s := range r.scale {
		plan, fplan := s.med(dtsPlan), s.med(floorPlan)
		apply, fapply := s.med(func(x scaleRun) float64 { return secs(x.dtsApply) }), s.med(func(x scaleRun) float64 { return secs(x.floorApply) })
		fails := 0
		for _, x := range s.runs {
			fails += x.failures
		}
		p("| %d | %d | %s | %s | %s× | %s | %s | %s | %s | %s× | %d |\n", s.n, len(s.runs), f2(plan), f2(fplan), f2(plan/fplan),
			f2(s.med(func(x scaleRun) float64 { return secs(x.dtsPlanNoRefresh) })), f2(s.med(unbatched)), f2(apply), f2(fapply), f2(apply/fapply), fails)
	}
	p("\n## API calls per resource\n\n")
	p("Calls the fake received, per action, divided by N (median of the runs).\n\n")
	p("| N | apply: Describe…Status | apply: Suspend | apply: Start | apply: Describe…StatusList | apply: all | plan (refresh): Describe…Status | plan: Describe…StatusList | plan: all | plan, batching off: all |\n")
	p("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, s := range r.scale {
		pu := func(x scaleRun) map[string]int { return x.planUnbatchedCalls }
		p("| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", s.n, f2(s.perJob(applyCalls, actDescribe)), f2(s.perJob(applyCalls, actSuspend)),
			f2(s.perJob(applyCalls, "StartSynchronizationJob")), f2(s.perJob(applyCalls, actDescribe+"List")), f2(s.perJob(applyCalls, "")),
			f2(s.perJob(planCalls, actDescribe)), f2(s.perJob(planCalls, actDescribe+"List")), f2(s.perJob(planCalls, "")), f2(s.perJob(pu, "")))
	}
	p("\nHow an apply of one pause spends its status reads: the resource's `ModifyPlan` reads the job when it plans a ")
	p("create, and Terraform plans each resource twice in `terraform apply` (once to show the plan, once more before ")
	p("applying it); the converge loop then reads once before `SuspendSynchronizationJob` and polls until the job is ")
	p("paused. The refresh of the plan reads each job once, or less when reads are batched through ")
	p("`DescribeSynchronizationJobStatusList` (the provider's default); \"batching off\" is the same plan with ")
	p("`batch_status_reads = false`.\n")
	p("\n## Provider peak memory\n\n")
	p("Largest resident set of any provider process during the command (MiB, median of the runs).\n\n")
	p("| N | apply | plan |\n|---:|---:|---:|\n")
	for _, s := range r.scale {
		p("| %d | %s | %s |\n", s.n, f2(s.med(func(x scaleRun) float64 { return float64(x.applyRSS) / 1024 })),
			f2(s.med(func(x scaleRun) float64 { return float64(x.planRSS) / 1024 })))
	}
	p("\n")
}
