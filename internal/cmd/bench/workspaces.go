package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// The workspaces experiment: K Terraform runs at once, each with its own
// provider process and so its own rate limiter, each pausing N jobs of its
// own, all against one fake whose one quota (Faults.ThrottleRate) is the
// account's: how well limiters that do not know each other share it.

type workspacesRun struct {
	quota                         float64
	k, n                          int
	load                          float64         // 1-minute load just before the runs started
	wall                          time.Duration   // first start to last exit
	walls                         []time.Duration // each run's own wall time
	accepted, throttled, failures int
}

type workspacesResult struct {
	span
	runs []workspacesRun
}

// The goals for K runs sharing the quota (issue 23), judged at one K and quota.
const (
	workspacesJudgedK     = 4
	workspacesJudgedQuota = 5.0
	workspacesMaxShare    = 0.15
	workspacesMaxRatio    = 1.3
)

// ideal is the fastest the quota allows: accepted calls ÷ quota.
func (w workspacesRun) ideal() time.Duration {
	return time.Duration(float64(w.accepted) / w.quota * float64(time.Second))
}

func (w workspacesRun) ratio() float64 { return w.wall.Seconds() / w.ideal().Seconds() }

func (w workspacesRun) throttledShare() float64 {
	return float64(w.throttled) / float64(max(1, w.accepted+w.throttled))
}

// spread is the slowest run's wall time ÷ the fastest's.
func (w workspacesRun) spread() float64 {
	if len(w.walls) == 0 {
		return 0
	}
	return slices.Max(w.walls).Seconds() / slices.Min(w.walls).Seconds()
}

func (w workspacesRun) judged() (applies, met bool) {
	if w.k != workspacesJudgedK || w.quota != workspacesJudgedQuota {
		return false, false
	}
	return true, w.failures == 0 && w.throttledShare() <= workspacesMaxShare && w.ratio() <= workspacesMaxRatio
}

func (b *bench) runWorkspaces(ctx context.Context, rep *report) error {
	res := &workspacesResult{span: begin()}
	rep.workspaces = res
	for _, q := range b.opt.workspaceQuotas {
		for _, k := range b.opt.workspaceKs {
			r, err := b.workspacesAt(ctx, q, k, b.opt.workspaceN)
			if err != nil {
				return err
			}
			res.runs = append(res.runs, r)
		}
	}
	res.end()
	return nil
}

// workspacesAt starts k applies of n pauses each at once; run i manages
// jobs i·n to i·n+n-1.
func (b *bench) workspacesAt(ctx context.Context, q float64, k, n int) (workspacesRun, error) {
	r := workspacesRun{quota: q, k: k, n: n, walls: make([]time.Duration, k)}
	dirs := make([]string, k)
	for i := range k {
		var err error
		if dirs[i], err = b.workdir(fmt.Sprintf("workspace-%d", i), n, tfConfig{from: i * n}); err != nil {
			return r, err
		}
	}
	if err := b.resetJobs(k*n, b.opt.transitionMain); err != nil {
		return r, err
	}
	b.progress("workspaces: %d runs × %d pauses at %g calls/s", k, n, q)
	b.fake.SetFaults(fakedts.Faults{ThrottleRate: q})
	defer b.fake.ClearFaults()
	results := make([]tfResult, k)
	errs := make([]error, k)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range k {
		wg.Go(func() { results[i], errs[i] = b.tf(ctx, dirs[i], b.dtsRC, apply(autoAPI)...) })
	}
	wg.Wait()
	r.wall = time.Since(start)
	if err := errors.Join(errs...); err != nil {
		return r, err
	}
	t := tally(b.fake.Calls())
	r.accepted, r.throttled = t.accepted, t.throttled
	for i, res := range results {
		r.walls[i], r.load = res.wall, max(r.load, res.load)
		r.failures += b.failures(res, 0, "")
	}
	r.failures = max(r.failures, k*n-b.statusCount(k*n, fakedts.StatusSuspending))
	b.progress("  wall %.1fs (ideal %.1fs, %.2f×), %d accepted, %d throttled (%.1f%%), %d failures, slowest ÷ fastest run %.2f",
		r.wall.Seconds(), r.ideal().Seconds(), r.ratio(), r.accepted, r.throttled, 100*r.throttledShare(), r.failures, r.spread())
	return r, nil
}

const workspacesHeading = "## Several runs on one account quota"

func (r *report) renderWorkspaces(p printer) {
	w := r.workspaces
	if w == nil || len(w.runs) == 0 {
		return
	}
	p("%s\n\n", workspacesHeading)
	r.measured(p, w.span, fmt.Sprintf(" shared with other work; each row gives the 1-minute load just before its runs started, marked *busy* above %.0f", busyLoad))
	p("K `terraform apply` runs start at once (`-parallelism=%d`, `api = \"auto\"`), each in its own folder with its own ", parallelism)
	p("provider process and so its own rate limiter; each pauses N=%d jobs of its own from an empty state (its plan ", w.runs[0].n)
	p("included). One fake serves them all and throttles every action above one quota for all of them (one token bucket, ")
	p("`Faults.ThrottleRate`), as DTS's per-account quota does. *Accepted* counts the calls that ran, *throttled* the ")
	p("throttling answers; the ideal wall time is accepted ÷ quota, from the first start to the last exit. *Slowest ÷ ")
	p("fastest* compares the runs' own wall times: a run the others starve finishes far behind them. Targets at K=%d, ", workspacesJudgedK)
	p("%g calls/s: 0 failures, throttled share ≤ %.0f%%, wall ≤ %.1f× ideal.\n\n", workspacesJudgedQuota, 100*workspacesMaxShare, workspacesMaxRatio)
	p("| Quota | K | Load (1 min) | Wall | Ideal | Wall ÷ ideal | Accepted | Throttled | Throttled share | Failures | Slowest ÷ fastest | Verdict |\n")
	p("|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	busy := false
	for _, x := range w.runs {
		v := "(reported)"
		if applies, met := x.judged(); applies {
			v = yesNo(met)
		}
		busy = busy || x.load > busyLoad
		p("| %g/s | %d | %s | %.1f s | %.1f s | %s | %d | %d | %.1f%% | %d | %s | %s |\n", x.quota, x.k, loadCell(x.load), x.wall.Seconds(),
			x.ideal().Seconds(), f2(x.ratio()), x.accepted, x.throttled, 100*x.throttledShare(), x.failures, f2(x.spread()), v)
	}
	p("\n")
	if busy {
		p("Rows marked *busy* ran while other work kept the machine's load above its %d cores: Terraform's own CPU time ", r.machine.cores)
		p("then stretches every run, so *wall ÷ ideal* says more about the machine than about the limiter, while the ")
		p("throttled share and the failures depend on the limiter. Rerun on a quiet machine to judge the wall time.\n\n")
	}
}
