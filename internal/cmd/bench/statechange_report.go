package main

import (
	"strconv"
	"time"
)

// stateChangeHeading opens the statechange experiment's section of
// BENCHMARKS.md; -update-section replaces only that section.
const stateChangeHeading = "## Calls per job of a change of state"

// renderStateChange writes the statechange experiment's section, headed by
// stateChangeHeading, self-contained so it can replace its copy in an older report.
func (r *report) renderStateChange(p func(string, ...any)) {
	s := r.stateChange
	if s == nil || len(s.sizes) == 0 {
		return
	}
	m := r.machine
	dirty := ""
	if m.dirty {
		dirty = ", with uncommitted changes in tracked files"
	}
	p("%s\n\n", stateChangeHeading)
	p("Measured %s (commit %s%s) with `%s`; load average (1/5/15 min) %s before the experiment and %s after it, on %d cores ",
		m.date, m.commit, dirty, r.opt.commandLine, s.loadStart, s.loadEnd, m.cores)
	p("(each row gives the median 1-minute load just before its command, marked *busy* above %.0f). The experiment took %s.\n\n",
		busyLoad, s.wall.Round(time.Second))
	p("Each run, from an empty state with `api = \"auto\"` and `-parallelism=%d`: *create apply* is `terraform apply` of N ", parallelism)
	p("resources with `state = \"Suspended\"` (N pauses, its own plan included); *refresh* is `terraform plan` of the same ")
	p("configuration (no change); *change plan* is `terraform plan -out` with `state = \"Synchronizing\"` for all N (refresh ")
	p("and the plan a user reviews); *change apply* is `terraform apply` of that saved plan (apply's re-plan of each ")
	p("resource, then N resumes). *Calls/job* is every call the fake logged during the command divided by N, median over ")
	p("%d runs; *calls by action* are those of the run with the median total; *wall* is the median wall time. ", r.opt.stateChangeRuns)
	p("The region holds %d jobs (a listing costs one call per 100). Reported, not judged.\n\n", r.maxJobs)
	p("| N | `batch_status_reads` | Command | Calls/job | Calls by action (median run) | Wall (median) | Load (1 min) | Failures (all runs) |\n")
	p("|---|---|---|---|---|---|---|---|\n")
	for _, x := range s.sizes {
		for i, step := range stateChangeSteps {
			load := f2(x.stepLoad(i))
			if x.stepLoad(i) > busyLoad {
				load += " *busy*"
			}
			failures := ""
			if i == 0 {
				failures = strconv.Itoa(x.failures())
			}
			p("| %d | %t | %s | %s | %s | %s s | %s | %s |\n", x.n, x.batching, step, f3(x.stepCallsPerJob(i)),
				callsByAction(x.stepMedianCalls(i)), f2(x.stepWall(i)), load, failures)
		}
	}
	p("\n")
}
