package main

// workspacesHeading opens the workspaces experiment's section of
// BENCHMARKS.md; -update-section replaces only that section.
const workspacesHeading = "## Several runs on one account quota"

// The goals for K runs sharing the quota (issue 23), judged at one K and quota.
const (
	workspacesJudgedK     = 4
	workspacesJudgedQuota = 5.0
	workspacesMaxShare    = 0.15
	workspacesMaxRatio    = 1.3
	// busyLoad is the 1-minute load above which a row says the machine was
	// busy (the machine has 2 cores).
	busyLoad = 2.0
)

// judged reports whether the goals apply to w, and whether it met them.
func (w workspacesRun) judged() (applies, met bool) {
	if w.k != workspacesJudgedK || w.quota != workspacesJudgedQuota {
		return false, false
	}
	return true, w.failures == 0 && w.throttledShare() <= workspacesMaxShare && w.ratio() <= workspacesMaxRatio
}

// renderWorkspaces writes the workspaces experiment's section, headed by
// workspacesHeading, self-contained so it can replace its copy in an older report.
func (r *report) renderWorkspaces(p func(string, ...any)) {
	if len(r.workspaces) == 0 {
		return
	}
	m := r.machine
	p("%s\n\n", workspacesHeading)
	p("Measured %s (commit %s) with `%s`, on %d cores shared with other work; each row gives the 1-minute load ", m.date, m.commit, r.opt.commandLine, m.cores)
	p("just before its runs started, marked *busy* above %.0f.\n\n", busyLoad)
	p("K `terraform apply` runs start at once (`-parallelism=%d`, `api = \"auto\"`), each in its own folder with its own ", parallelism)
	p("provider process and so its own rate limiter; each pauses N=%d jobs of its own from an empty state (its plan ", r.workspaces[0].n)
	p("included). One fake serves them all and throttles every action above one quota for all of them (one token bucket, ")
	p("`Faults.ThrottleRate`), as DTS's per-account quota does. *Accepted* counts the calls that ran, *throttled* the ")
	p("throttling answers; the ideal wall time is accepted ÷ quota, from the first start to the last exit. *Slowest ÷ ")
	p("fastest* compares the runs' own wall times: a run the others starve finishes far behind them. Targets at K=%d, ", workspacesJudgedK)
	p("%g calls/s: 0 failures, throttled share ≤ %.0f%%, wall ≤ %.1f× ideal.\n\n", workspacesJudgedQuota, 100*workspacesMaxShare, workspacesMaxRatio)
	p("| Quota | K | Load (1 min) | Wall | Ideal | Wall ÷ ideal | Accepted | Throttled | Throttled share | Failures | Slowest ÷ fastest | Verdict |\n")
	p("|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, w := range r.workspaces {
		load := f2(w.load)
		if w.load > busyLoad {
			load += " (busy)"
		}
		v := "(reported)"
		if applies, met := w.judged(); applies {
			v = yesNo(met)
		}
		p("| %g/s | %d | %s | %.1f s | %.1f s | %s | %d | %d | %.1f%% | %d | %s | %s |\n", w.quota, w.k, load, w.wall.Seconds(),
			w.ideal().Seconds(), f2(w.ratio()), w.accepted, w.throttled, 100*w.throttledShare(), w.failures, f2(w.spread()), v)
	}
	p("\n")
	for _, w := range r.workspaces {
		if w.load > busyLoad {
			p("Rows marked *busy* ran while other work kept the machine's load above its %d cores: Terraform's own CPU time ", m.cores)
			p("then stretches every run, so *wall ÷ ideal* says more about the machine than about the limiter, while the ")
			p("throttled share and the failures depend on the limiter. Rerun on a quiet machine to judge the wall time.\n\n")
			break
		}
	}
}
