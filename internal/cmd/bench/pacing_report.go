package main

import (
	"fmt"
	"time"
)

// known leaves out the targets the run did not measure.
func (r *report) known(ts []target) []target {
	var out []target
	for _, t := range ts {
		if t.known {
			out = append(out, t)
		}
	}
	return out
}

func yesNo(ok bool) string {
	if ok {
		return "**met**"
	}
	return "**missed**"
}

// renderPacing writes the quota, calls-per-job, lateness, floors and RSS
// figures, each with its verdict.
func (r *report) renderPacing(p func(string, ...any)) {
	p("## Pacing, shared polls, poll schedule\n\n")

	if len(r.quota) > 0 {
		p("### N pauses under a low quota\n\n")
		p("One `terraform apply` of N=%d pauses from an empty state (its own plan included, `-parallelism=%d`) while the fake ", r.quota[0].n, parallelism)
		p("throttles every action above the quota (one token bucket for all actions, `Faults.ThrottleRate`). ")
		p("*Accepted* counts the calls the fake answered, *throttled* its throttling answers; the ideal wall time is ")
		p("accepted ÷ quota. Targets: 0 failures, wall ÷ ideal ≤ 1.2, throttled ≤ 5%% of calls.\n\n")
		p("| Quota | Wall | Accepted calls | Ideal (accepted ÷ quota) | Wall ÷ ideal | Throttled | Throttled share | Failures | Tainted | Verdict |\n")
		p("|---|---|---|---|---|---|---|---|---|---|\n")
		for _, q := range r.quota {
			ok := q.failures == 0 && !q.tainted && q.ratio() <= 1.2 && q.throttledShare() <= 0.05
			p("| %g/s | %.1f s | %d | %.1f s | %s | %d | %.1f%% | %d | %v | %s (failures %s, ratio %s, share %s) |\n",
				q.quota, q.wall.Seconds(), q.accepted, float64(q.accepted)/q.quota, f2(q.ratio()), q.throttled, 100*q.throttledShare(),
				q.failures, q.tainted, yesNo(ok), yesNo(q.failures == 0 && !q.tainted), yesNo(q.ratio() <= 1.2), yesNo(q.throttledShare() <= 0.05))
		}
		p("\n")
	}

	if len(r.calls) > 0 || len(r.rss) > 0 {
		p("### API calls per job\n\n")
		p("Every call the fake logged (any action, throttled or not), divided by N, with the provider's default ")
		p("`api = \"auto\"`. *Apply* is `terraform apply` of N pauses from an empty state: its plan (the plan-time reads ")
		p("of the creates), the re-plan of each create, the Suspend and the polls. *Refresh* is the first `terraform plan` ")
		p("after it (every job unchanged). The region holds %d jobs (the largest N of the run; the RSS runs use a region ", r.maxJobs)
		p("of their own), and a region listing costs one call per 100 of them. Targets: apply ≤ 1.5 at N ≥ 10; refresh ")
		p("≤ 0.15 at N ≥ 100.\n\n")
		p("| N | Region's jobs | Apply calls/job | Refresh calls/job | Apply calls by action | Verdict |\n|---|---|---|---|---|---|\n")
		row := func(n, region int, apply, refresh float64, by string) {
			v := "(no target at N=1)"
			if n >= 10 {
				v = yesNo(apply <= 1.5 && (n < 100 || refresh <= 0.15))
			}
			p("| %d | %d | %s | %s | %s | %s |\n", n, region, f3(apply), f3(refresh), by, v)
		}
		for _, c := range r.calls {
			row(c.n, r.maxJobs, float64(sumCalls(c.apply))/float64(c.n), float64(sumCalls(c.refresh))/float64(c.n), callsByAction(c.apply))
		}
		for _, x := range r.rss {
			row(x.n, x.n, float64(x.applyCalls)/float64(x.n), float64(x.planCalls)/float64(x.n), "(RSS run)")
		}
		p("\n")

		p("### Batched refresh beside unbatched\n\n")
		p("`terraform plan` of the N unchanged paused jobs above with `batch_status_reads` on (default) and off, ")
		p("alternating, median of %d each. Target: batched no slower than unbatched at any N (5%% allowance).\n\n", r.opt.runs)
		p("| N | Batched | Unbatched | Batched ÷ unbatched | Verdict |\n|---|---|---|---|---|\n")
		for _, c := range r.calls {
			bt, ub := median(c.batched), median(c.unbatched)
			p("| %d | %.2f s | %.2f s | %s | %s |\n", c.n, bt, ub, f2(bt/ub), yesNo(bt <= 1.05*ub))
		}
		p("\n")
	}

	if len(r.late) > 0 {
		p("### Lateness of the poll schedule\n\n")
		p("One apply pauses one job per transition length at once (wall %.0f s, set by the longest), with ", r.lateWall.Seconds())
		p("`batch_status_reads = false` so that each poll is a single read that names its job in the fake's call log ")
		p("(with batching on the schedule is the same, plus the 15 ms debounce of each batch; shared polls cannot be ")
		p("attributed to one job). The transitions run on the fake's real clock: the fake can move its clock, but the ")
		p("provider waits on real time, so a 300 s transition takes 300 s. *Late* is the first read at or after the ")
		p("transition completed minus the completion (the accepted Suspend plus the transition time); *reads* are the ")
		p("status reads from the Suspend to that read. Target: late ≤ max(1 s, 15%% of the length).\n\n")
		p("| Transition | Late | Limit | Reads | Reads per minute of waiting | Verdict |\n|---|---|---|---|---|---|\n")
		for _, l := range r.late {
			limit := max(time.Second, time.Duration(0.15*float64(l.transition)))
			if !l.found {
				p("| %s | not seen | %s | %d | | **missed** (no read after completion in the log) |\n", l.transition, limit, l.reads)
				continue
			}
			perMin := float64(l.reads) / (l.transition.Seconds() + l.late.Seconds()) * 60
			p("| %s | %.3f s | %s | %d | %.1f | %s |\n", l.transition, l.late.Seconds(), limit, l.reads, perMin, yesNo(l.late <= limit))
		}
		p("\nThe schedule (internal/provider/job_wait.go) waits max(750 ms, 12%% of the time waited so far), moved earlier ")
		p("onto a grid shared by every wait (250 ms × 2^k, at most half the interval) so that jobs waiting together poll ")
		p("at the same instants and one batched call serves them. Its reads per minute are bounded by 120 (two a second, ")
		p("the first 6 s) and fall as the wait grows; with polls shared, a region's calls per tick are one per 50 jobs ")
		p("(legacy list) or one listing (DescribeDtsJobs), whatever the number of waiting jobs.\n\n")
	}

	if len(r.floors) > 0 {
		p("### Plan time beside two floors\n\n")
		p("`terraform plan` (with refresh) of N existing resources, median of %d, measured in one loop so the ratios share ", r.opt.floorRuns)
		p("the machine's load: the provider's N paused jobs; `time_static` of hashicorp/terraform-provider-time v0.14.2 ")
		p("(built with `go install` from the module proxy) with `TF_LOG_SDK=off TF_LOG_SDK_PROTO=off TF_LOG_SDK_FRAMEWORK=off` ")
		p("and as shipped; `terraform_data` (in Terraform's core, no plugin). Target: the provider at N=500 ≤ 1.05× the ")
		p("logs-off `time_static`.\n\n")
		p("| N | dts | time_static, logs off | time_static, as shipped | terraform_data | dts ÷ time_static (logs off) | dts ÷ time_static (shipped) | Verdict |\n")
		p("|---|---|---|---|---|---|---|---|\n")
		for _, f := range r.floors {
			ratio := f.dts.Seconds() / f.timeOff.Seconds()
			v := "(target at N=500)"
			if f.n == 500 {
				v = yesNo(ratio <= 1.05)
			}
			if f.dtsCode != 0 || f.timeCode != 0 {
				v += fmt.Sprintf(" (exit codes: dts %d, time %d; want 0)", f.dtsCode, f.timeCode)
			}
			p("| %d | %.2f s | %.2f s | %.2f s | %.2f s | %s | %s | %s |\n", f.n, f.dts.Seconds(), f.timeOff.Seconds(), f.timeShipped.Seconds(),
				f.terraform.Seconds(), f2(ratio), f2(f.dts.Seconds()/f.timeShipped.Seconds()), v)
		}
		p("\n")
	}

	if len(r.rss) > 0 {
		p("### Peak provider RSS\n\n")
		p("Peak resident memory of the provider process (wait4 `ru_maxrss`) over `terraform apply` of N pauses and the ")
		p("`terraform plan` after it.\n\n")
		p("| N | Apply | Apply peak RSS | Plan | Plan peak RSS | Failures |\n|---|---|---|---|---|---|\n")
		for _, x := range r.rss {
			p("| %d | %.1f s | %.1f MiB | %.1f s | %.1f MiB | %d |\n", x.n, x.applyWall.Seconds(), float64(x.applyKiB)/1024,
				x.planWall.Seconds(), float64(x.planKiB)/1024, x.failures)
		}
		p("\n")
	}
}
