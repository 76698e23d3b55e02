package main

import (
	"context"
	"fmt"
	"strings"
)

// The families experiment (issue 16): refresh calls per job with each value
// of the provider's api, each family refreshing the state its own apply wrote.

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
	n          int
	applyCalls map[string]int
	refresh    []map[string]int // the calls of each plan, by action
	planCodes  []int            // each plan's exit code; 0 is no change
	failures   int              // apply errors and jobs left unpaused
}

type familiesResult struct {
	span
	runs []familyRun
}

func (b *bench) runFamilies(ctx context.Context, rep *report) error {
	res := &familiesResult{span: begin()}
	rep.families = res
	for _, n := range b.opt.familySizes {
		dir, err := b.workdir(fmt.Sprintf("families-%d", n), n, tfConfig{})
		if err != nil {
			return err
		}
		for _, api := range familyAPIs {
			r := familyRun{api: api, n: n}
			b.progress("families: apply N=%d (api %s)", n, api)
			_, a, failures, err := b.applyPauses(ctx, dir, n, b.opt.transitionMain, 0, "-var=api="+api)
			if err != nil {
				return err
			}
			r.applyCalls, r.failures = a.byAction, failures
			for range b.opt.familyRuns {
				p, c, err := b.tfCalls(ctx, dir, plan("-var=api="+api)...)
				if err != nil {
					return err
				}
				r.refresh, r.planCodes = append(r.refresh, c.byAction), append(r.planCodes, p.code)
				if p.code != 0 {
					b.progress("plan exited %d (want 0, no changes):\n%s", p.code, tail(p.output, 30))
				}
			}
			med, lo, hi := r.refreshPerJob()
			b.progress("  refresh calls/job %.3f (%.3f-%.3f), median plan's calls %v", med, lo, hi, r.medianRefresh())
			res.runs = append(res.runs, r)
		}
	}
	res.end()
	return nil
}

// refreshPerJob is the median, lowest and highest over the plans of all
// calls the fake logged during a plan, divided by N.
func (r familyRun) refreshPerJob() (med, lo, hi float64) {
	v := values(r.refresh, func(m map[string]int) float64 { return perJob(m, r.n) })
	return median(v), minOf(v), maxOf(v)
}

// medianRefresh is the calls by action of the plan with the median total.
func (r familyRun) medianRefresh() map[string]int {
	return medianBy(r.refresh, func(m map[string]int) float64 { return float64(sumCalls(m)) })
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

func (r *report) familiesTarget() target {
	t := target{name: "Batched refresh by family", goal: fmt.Sprintf("≤ %.2f calls per refreshed resource at every N ≥ %d, with `api` = %s",
		familyRefreshLimit, familyTargetFromN, strings.Join(familyAPIs, ", ")), met: true}
	var parts []string
	if r.families != nil {
		for _, x := range r.families.runs {
			if applies, ok := x.familyJudged(); applies {
				med, _, _ := x.refreshPerJob()
				t.known, t.met = true, t.met && ok
				parts = append(parts, fmt.Sprintf("N=%d %s %s", x.n, x.api, f3(med)))
			}
		}
	}
	t.measured = strings.Join(parts, "; ") + " calls/resource (median)"
	return t
}

const familiesHeading = "## Refresh calls per job, by API family"

func (r *report) renderFamilies(p printer) {
	f := r.families
	if f == nil || len(f.runs) == 0 {
		return
	}
	p("%s\n\n", familiesHeading)
	r.measured(p, f.span, " (the only timing here; the call counts do not depend on load)")
	p("For each N and each value of the provider's `api`, one `terraform apply` of N pauses from an empty state with that ")
	p("`api`, then %d × `terraform plan -detailed-exitcode` with the same `api` (the refresh of the N unchanged jobs, ", r.opt.familyRuns)
	p("`batch_status_reads` on, `-parallelism=%d`). *Refresh calls/job* is every call the fake logged during a plan ", parallelism)
	p("(any action, throttled or not) divided by N: median over the plans, lowest–highest in brackets. ")
	p("`synchronization_job` batches reads through `DescribeSynchronizationJobStatusList` (up to 50 IDs a call); ")
	p("`dts_job` and `auto` answer reads from a `DescribeDtsJobs` listing of the region (100 jobs a page). The region ")
	p("holds %d jobs, so a full listing costs %d pages whatever N is; a wave of reads that one ", r.maxJobs, (r.maxJobs+99)/100)
	p("`DescribeSynchronizationJobStatusList` call answers for less is read that way in `auto` (by design: `job_api.go`, ")
	p("`directionsDtsJob`), which is why `auto` mixes the two calls. ")
	p("Target (issue 16): ≤ %.2f refresh calls per job at N ≥ %d in every family, on the median, with every plan ", familyRefreshLimit, familyTargetFromN)
	p("showing no change and no failed apply.\n\n")
	p("| N | `api` | Plans | Refresh calls/job | Refresh calls by action (median plan) | Plans with changes | Apply calls/job | Apply failures | Verdict |\n")
	p("|---|---|---|---|---|---|---|---|---|\n")
	for _, x := range f.runs {
		med, lo, hi := x.refreshPerJob()
		v := fmt.Sprintf("(no target at N < %d)", familyTargetFromN)
		if applies, met := x.familyJudged(); applies {
			v = yesNo(met)
		}
		p("| %d | `%s` | %d | %s (%s–%s) | %s | %d | %s | %d | %s |\n", x.n, x.api, len(x.refresh), f3(med), f3(lo), f3(hi),
			callsByAction(x.medianRefresh()), x.changedPlans(), f3(perJob(x.applyCalls, x.n)), x.failures, v)
	}
	p("\n")
}
