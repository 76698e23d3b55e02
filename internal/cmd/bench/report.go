package main

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"time"
)

// report is everything BENCHMARKS.md shows.
type report struct {
	opt        *options
	machine    machineInfo
	scale      []scaleResult
	latency    []latencyResult
	throttle   *throttleResult
	goBench    string
	goBenchCmd string
	elapsed    time.Duration

	// Pacing, calls per job, lateness, floors, RSS (pacing_report.go).
	calls    []callsRun
	maxJobs  int
	quota    []quotaRun
	late     []lateRun
	lateWall time.Duration
	floors   []floorRun
	rss      []rssRun

	// Issue 16 (families_report.go).
	families *familiesResult

	// Several runs on one quota (workspaces_report.go).
	workspaces []workspacesRun

	// The wait for the replication delay after a resume (catchup_report.go).
	catchUp *catchUpResult

	// Calls per job of a change of state (statechange_report.go).
	stateChange *stateChangeResult
	// Where a plan's time goes (profile_report.go).
	profile *profileResult
}

// earlierTargetsHeading opens the issue 11 targets; the families section
// goes before it.
const earlierTargetsHeading = "## Earlier targets (issue 11)"

// section renders one part of the report on its own.
func (r *report) section(render func(p func(string, ...any))) []byte {
	var w bytes.Buffer
	render(func(format string, args ...any) { fmt.Fprintf(&w, format, args...) })
	return w.Bytes()
}

// target is one goal from the issue, with its verdict.
type target struct {
	name, goal, measured string
	met, known           bool
	note                 string
}

func verdict(t target) string {
	switch {
	case !t.known:
		return "not measured"
	case t.met:
		return "**met**"
	default:
		return "**missed**"
	}
}

func f2(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", v)
}

func f3(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "n/a"
	}
	return fmt.Sprintf("%.3f", v)
}

func (r *report) render() []byte {
	var w bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&w, format, args...) }
	m := r.machine

	p("# Benchmarks\n\n")
	p("Measured figures written by `make bench` (`%s`); rerun it rather than editing this file. ", r.opt.commandLine)
	p("The benchmark reports and never fails on speed. Terraform runs the provider built from this tree, through a ")
	p("`dev_overrides` CLI configuration, against the fake DTS endpoint (`internal/fakedts`) running inside the ")
	p("benchmark process on a loopback port.\n\n")

	p("## Machine\n\n")
	p("| | |\n|---|---|\n")
	p("| Date | %s |\n", m.date)
	p("| CPU | %s |\n", m.cpu)
	p("| Cores | %d |\n", m.cores)
	p("| Memory | %.1f GiB |\n", m.memGiB)
	p("| OS | %s |\n", m.kernel)
	p("| Go | %s |\n", m.goVersion)
	p("| Terraform | %s |\n", m.tfVersion)
	dirty := ""
	if m.dirty {
		dirty = " (with uncommitted changes in tracked files)"
	}
	p("| Provider source | commit %s%s |\n", m.commit, dirty)
	p("| Load average (1/5/15 min) | %s at the start, %s at the end |\n", m.loadStart, m.loadEnd)
	if len(m.loads) > 0 {
		p("| 1-minute load during the runs | median %s, lowest %s, highest %s (sampled before each Terraform command) |\n",
			f2(median(m.loads)), f2(minOf(m.loads)), f2(maxOf(m.loads, func(v float64) float64 { return v })))
	}
	p("| Benchmark duration | %s |\n\n", r.elapsed.Round(time.Second))
	p("The machine may be shared with other work (builds, test suites); the load averages above say how busy it was. ")
	p("A 1-minute load well above the core count means other processes took much of the CPU, which stretches wall ")
	p("times (the floor's as well as the provider's) and makes single figures noisy: compare ratios from the same run, ")
	p("not absolute seconds across reports. The call counts, read counts and poll-driven latencies do not depend on load.\n\n")

	r.renderPacing(p)
	r.renderFamilies(p)
	r.renderWorkspaces(p)
	r.renderCatchUp(p)
	r.renderStateChange(p)
	r.renderProfile(p)

	targets := r.known(r.targets())
	p("%s\n\n", earlierTargetsHeading)
	p("| Target | Goal | Measured | Result |\n|---|---|---|---|\n")
	for _, t := range targets {
		p("| %s | %s | %s | %s |\n", t.name, t.goal, t.measured, verdict(t))
	}
	p("\n")
	for _, t := range targets {
		if t.note != "" {
			p("- **%s** (%s): %s\n", t.name, strings.TrimPrefix(verdict(t), ""), t.note)
		}
	}
	p("\n")

	r.renderMethod(p)
	r.renderScale(p)
	r.renderLatency(p)
	r.renderThrottle(p)

	if r.goBench != "" {
		p("## Go benchmarks of the DTS client\n\n")
		p("`%s` (one run, Go's default benchtime; the second benchmark signs and sends one ", r.goBenchCmd)
		p("`DescribeSynchronizationJobStatus` to an in-process HTTP server):\n\n")
		p("```\n%s```\n", strings.TrimRight(r.goBench, "\n")+"\n")
	}
	return w.Bytes()
}

func (r *report) renderMethod(p func(string, ...any)) {
	p("## Method\n\n")
	var sizes []string
	for _, s := range r.scale {
		sizes = append(sizes, fmt.Sprintf("N=%d: %d", s.n, len(s.runs)))
	}
	p("- **Runs.** Every figure is the median over runs (%s runs", strings.Join(sizes, ", "))
	if len(r.latency) > 0 {
		for _, l := range r.latency {
			p("; transition %s at N=%d: %d", l.transition, l.n, len(l.runs))
		}
	}
	if r.throttle != nil {
		p("; throttling at N=%d: %d", r.throttle.n, len(r.throttle.runs))
	}
	p("). Terraform runs with `-parallelism=%d` (its default) and `TF_IN_AUTOMATION=1`, `CHECKPOINT_DISABLE=1`.\n", parallelism)
	p("- **apply** is `terraform apply -auto-approve` from an empty state with every job running: its plan reads each ")
	p("job once (the resource's `ModifyPlan` checks the job on create), then apply pauses N jobs and waits for each. ")
	p("For this table the fake's transition time is %s, so the wall time is the provider's and Terraform's own; ", r.opt.transitionMain)
	p("the provider still sleeps 0.5 s (the first step of its poll schedule) between the Suspend call and the read that ")
	p("sees the job paused, so at `-parallelism=10` an apply of N pauses cannot take less than about ⌈N/10⌉ × 0.5 s.\n")
	p("- **plan** is `terraform plan -detailed-exitcode` right after that apply: it refreshes N existing resources and ")
	p("finds no change (exit code 0 is checked). **plan -refresh=false** is the same plan without the refresh, i.e. ")
	p("Terraform, the plugin protocol and the provider with no API call. **plan, SDK logs off** is the refreshing ")
	p("plan again with `TF_LOG_SDK=off TF_LOG_SDK_PROTO=off TF_LOG_SDK_FRAMEWORK=off`: without them the plugin SDK ")
	p("writes its trace logs (several per RPC) to the provider's stderr, which Terraform reads and parses even when ")
	p("`TF_LOG` is unset. Both columns are diagnostics; the targets use the plain plan.\n")
	p("- **Floor**: the same N resources as `terraform_data` (`count = N`, the same two input values), planned and ")
	p("applied the same way in the same run with an empty CLI configuration. `terraform_data` lives inside Terraform, ")
	p("so the floor has no plugin process at all.\n")
	p("- **API calls** come from the fake's call log (`Server.Calls`, the Go form of `GET /_admin/calls`), counted per ")
	p("action and divided by N. Throttled answers (if any) are counted apart.\n")
	p("- **Peak memory**: the `dev_overrides` folder holds this benchmark's own binary under the name ")
	p("`terraform-provider-dts`; it starts the real provider as its child with the same arguments and standard streams, ")
	p("waits for it and records the child's `ru_maxrss` from `wait4`. Terraform starts the provider more than once per ")
	p("command (validation, plan, apply); the figure is the largest of them. Terraform's own memory is not included.\n")
	p("- **Latency after a transition completes**: from the call log, per job, *t_s* is the time the fake received the ")
	p("accepted `SuspendSynchronizationJob` call and the job reaches `Suspending` at *t_s + T* (T = the fake's transition ")
	p("time; the fake schedules the change exactly then). *Read latency* is the time of the first ")
	p("`DescribeSynchronizationJobStatus` call for that job at or after *t_s + T* (the read that sees it paused, after ")
	p("which the resource returns) minus *t_s + T*. *Apply latency* (N=1 only, where it is one job's) is the moment ")
	p("`terraform apply` exited minus *t_s + T*, so it also holds the state write and Terraform's shutdown. *Reads per ")
	p("transition* counts that job's status reads after the Suspend call up to and including the one that saw it paused; ")
	p("the plan-time read and the read before Suspend are reported apart (\"reads in all\").\n")
	p("- **Throttling**: the fake's fault `throttle_rate = %.0f` calls/s (token bucket of %.0f, refilled by the clock; ", throttleRate, throttleRate)
	p("a call without a token gets `Throttling.User` with the wait in `x-ratelimit-user-api` and does not run). ")
	p("*Accepted calls* are the calls that ran; *calls/40* is accepted calls ÷ 40, the fastest the quota allows ")
	p("(ignoring the first full bucket). Failures are resources that ended in an error or a job that is not paused ")
	p("afterwards. The provider runs with its default `max_retries`.\n\n")
}

func (r *report) renderScale(p func(string, ...any)) {
	if len(r.scale) == 0 {
		return
	}
	p("## Plan and apply wall time\n\n")
	p("Seconds, median of the runs; ratio = provider ÷ `terraform_data`.\n\n")
	p("| N | runs | plan | `terraform_data` plan | plan ratio | plan -refresh=false | plan, batching off | apply | `terraform_data` apply | apply ratio | failures |\n")
	p("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, s := range r.scale {
		plan := medianOf(s.runs, func(x scaleRun) float64 { return secs(x.dtsPlan) })
		fplan := medianOf(s.runs, func(x scaleRun) float64 { return secs(x.floorPlan) })
		apply := medianOf(s.runs, func(x scaleRun) float64 { return secs(x.dtsApply) })
		fapply := medianOf(s.runs, func(x scaleRun) float64 { return secs(x.floorApply) })
		nr := medianOf(s.runs, func(x scaleRun) float64 { return secs(x.dtsPlanNoRefresh) })
		unbatched := medianOf(s.runs, func(x scaleRun) float64 { return secs(x.dtsPlanUnbatched) })
		fails := 0
		for _, x := range s.runs {
			fails += x.failures
		}
		p("| %d | %d | %s | %s | %s× | %s | %s | %s | %s | %s× | %d |\n", s.n, len(s.runs), f2(plan), f2(fplan), f2(plan/fplan),
			f2(nr), f2(unbatched), f2(apply), f2(fapply), f2(apply/fapply), fails)
	}
	p("\n## API calls per resource\n\n")
	p("Calls the fake received, per action, divided by N (median of the runs).\n\n")
	p("| N | apply: Describe…Status | apply: Suspend | apply: Start | apply: Describe…StatusList | apply: all | plan (refresh): Describe…Status | plan: Describe…StatusList | plan: all | plan, batching off: all |\n")
	p("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, s := range r.scale {
		n := float64(s.n)
		per := func(get func(scaleRun) map[string]int, action string) string {
			return f2(medianOf(s.runs, func(x scaleRun) float64 {
				m := get(x)
				if action == "" {
					return float64(sumCalls(m)) / n
				}
				return float64(m[action]) / n
			}))
		}
		ap := func(x scaleRun) map[string]int { return x.applyCalls }
		pl := func(x scaleRun) map[string]int { return x.planCalls }
		pu := func(x scaleRun) map[string]int { return x.planUnbatchedCalls }
		p("| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", s.n, per(ap, actDescribe), per(ap, actSuspend), per(ap, actStart),
			per(ap, actDescribeList), per(ap, ""), per(pl, actDescribe), per(pl, actDescribeList), per(pl, ""), per(pu, ""))
	}
	p("\nHow an apply of one pause spends its status reads: the resource's `ModifyPlan` reads the job when it plans a ")
	p("create, and Terraform plans each resource twice in `terraform apply` (once to show the plan, once more before ")
	p("applying it); the converge loop then reads once before `SuspendSynchronizationJob` and polls until the job is ")
	p("paused (one poll here, with a 0 s transition). The refresh of the plan reads each job once, or less when reads are ")
	p("batched through `DescribeSynchronizationJobStatusList` (the provider's default); \"batching off\" is the same plan with ")
	p("`batch_status_reads = false`.\n")
	p("\n## Provider peak memory\n\n")
	p("Largest resident set of any provider process during the command (MiB, median of the runs).\n\n")
	p("| N | apply | plan |\n|---:|---:|---:|\n")
	for _, s := range r.scale {
		a := medianOf(s.runs, func(x scaleRun) float64 { return float64(x.applyRSS) / 1024 })
		pl := medianOf(s.runs, func(x scaleRun) float64 { return float64(x.planRSS) / 1024 })
		p("| %d | %s | %s |\n", s.n, f2(a), f2(pl))
	}
	p("\n")
}

// latencyStats are the per-run medians and p95s of one latency experiment.
type latencyStats struct {
	readMedian, readP95, applyMedian                      float64
	readsAfterMedian, readsAfterMax, readsTotal, extraMax float64
	wall                                                  float64
	failures                                              int
}

func (l latencyResult) stats() latencyStats {
	var s latencyStats
	type perRun struct{ readMed, readP95, apply, readsMed, readsMax, total, extra float64 }
	var runs []perRun
	for _, r := range l.runs {
		s.failures += r.failures
		var after, apply, reads, total []float64
		extra := 0.0
		for _, j := range r.jobs {
			after = append(after, secs(j.afterDone))
			apply = append(apply, secs(j.applyReturn))
			reads = append(reads, float64(j.readsAfter))
			total = append(total, float64(j.readsTotal))
			extra = math.Max(extra, float64(j.extraReads))
		}
		runs = append(runs, perRun{median(after), p95(after), median(apply), median(reads), maxOf(reads, func(v float64) float64 { return v }), median(total), extra})
	}
	s.readMedian = medianOf(runs, func(x perRun) float64 { return x.readMed })
	s.readP95 = medianOf(runs, func(x perRun) float64 { return x.readP95 })
	s.applyMedian = medianOf(runs, func(x perRun) float64 { return x.apply })
	s.readsAfterMedian = medianOf(runs, func(x perRun) float64 { return x.readsMed })
	s.readsAfterMax = maxOf(runs, func(x perRun) float64 { return x.readsMax })
	s.readsTotal = medianOf(runs, func(x perRun) float64 { return x.total })
	s.extraMax = maxOf(runs, func(x perRun) float64 { return x.extra })
	s.wall = medianOf(l.runs, func(x latencyRun) float64 { return secs(x.wall) })
	return s
}

func (r *report) renderLatency(p func(string, ...any)) {
	if len(r.latency) == 0 {
		return
	}
	p("## Latency after the job reaches its target status\n\n")
	p("Seconds after the fake completed the pause (see Method). Median and p95 are over the N jobs of a run, then the ")
	p("median over runs. Reads: status reads after the Suspend call (median / largest), and all status reads of the job ")
	p("during the apply.\n\n")
	p("| transition | N | runs | read latency median | read latency p95 | apply latency (N=1) | reads per transition (median / max) | reads in all | reads after seeing it paused | apply wall | failures |\n")
	p("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, l := range r.latency {
		s := l.stats()
		apply := "—"
		if l.n == 1 {
			apply = f3(s.applyMedian)
		}
		p("| %s | %d | %d | %s | %s | %s | %.0f / %.0f | %.0f | %.0f | %s | %d |\n", l.transition, l.n, len(l.runs), f3(s.readMedian),
			f3(s.readP95), apply, s.readsAfterMedian, s.readsAfterMax, s.readsTotal, s.extraMax, f2(s.wall), s.failures)
	}
	p("\nThe provider's poll schedule (`internal/provider/job_wait.go`) waits 0.5, 0.5, 0.5, 1, 2, 4, 8 s and then ")
	p("15 s between reads, so after the Suspend call it reads at about %s s. ", pollTimes())
	p("The latency therefore depends on where a transition ends relative to those reads, not only on its length. ")
	p("Computed from the schedule (not measured), a transition that ends just after a read is seen at the next one:\n\n")
	p("| transition ends just after | seen at | late by | late by, share of the transition |\n|---:|---:|---:|---:|\n")
	for _, w := range worstCases() {
		p("| %s s | %s s | %s s | %.0f%% |\n", trimFloat(w[0]), trimFloat(w[1]), trimFloat(w[1]-w[0]), 100*(w[1]-w[0])/w[0])
	}
	p("\n")
}

// worstCases pairs each read time of the schedule from 2.5 s to 76.5 s
// with the next one.
func worstCases() [][2]float64 {
	var out [][2]float64
	for t := 2.5; t < 75; t = nextPollAfter(t + 0.001) {
		out = append(out, [2]float64{t, nextPollAfter(t + 0.001)})
	}
	return out
}

func trimFloat(v float64) string {
	return strings.TrimSuffix(strings.TrimSuffix(fmt.Sprintf("%.1f", v), "0"), ".")
}

// pollTimes lists the cumulative read times of the provider's poll schedule
// (copied from internal/provider/job_wait.go) up to 75 s.
func pollTimes() string {
	sched := []float64{0.5, 0.5, 0.5, 1, 2, 4, 8}
	var out []string
	t := 0.0
	for i := 0; t < 75; i++ {
		d := 15.0
		if i < len(sched) {
			d = sched[i]
		}
		t += d
		out = append(out, strings.TrimSuffix(strings.TrimSuffix(fmt.Sprintf("%.1f", t), "0"), "."))
	}
	return strings.Join(out, ", ")
}

func (t throttleResult) medians() (wall, accepted, throttled, ratio float64, failures int) {
	wall = medianOf(t.runs, func(x throttleRun) float64 { return secs(x.wall) })
	accepted = medianOf(t.runs, func(x throttleRun) float64 { return float64(x.accepted) })
	throttled = medianOf(t.runs, func(x throttleRun) float64 { return float64(x.throttled) })
	ratio = medianOf(t.runs, func(x throttleRun) float64 { return secs(x.wall) / (float64(x.accepted) / throttleRate) })
	for _, x := range t.runs {
		failures += x.failures
	}
	return
}

func (r *report) renderThrottle(p func(string, ...any)) {
	if r.throttle == nil {
		return
	}
	t := *r.throttle
	wall, accepted, throttled, ratio, failures := t.medians()
	p("## Apply under throttling\n\n")
	p("`terraform apply` of N=%d pauses (from an empty state, transition %s) while the fake allows %.0f calls/s.\n\n", t.n, r.opt.transitionMain, throttleRate)
	p("| N | runs | failures (all runs) | wall (s) | accepted calls | calls/40 (s) | wall ÷ (calls/40) | throttled answers |\n")
	p("|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	p("| %d | %d | %d | %s | %.0f | %s | %s× | %.0f |\n\n", t.n, len(t.runs), failures, f2(wall), accepted,
		f2(accepted/throttleRate), f2(ratio), throttled)
	p("Per run: ")
	var parts []string
	for _, x := range t.runs {
		parts = append(parts, fmt.Sprintf("%.1f s, %d accepted, %d throttled, %d failures (exit %d)",
			secs(x.wall), x.accepted, x.throttled, x.failures, x.code))
	}
	p("%s.\n\n", strings.Join(parts, "; "))
}
