package main

import (
	"context"
	"fmt"
)

// The calls experiment: the apply and refresh of N pauses with the
// provider's default api (auto), as a user would run them, and the refresh
// with batching on and off.

type callsRun struct {
	n                  int
	apply, refresh     map[string]int
	batched, unbatched []float64 // refresh wall times, interleaved
}

func (b *bench) runCalls(ctx context.Context, rep *report) error {
	for _, n := range b.opt.sizes {
		r := callsRun{n: n}
		dir, err := b.workdir(fmt.Sprintf("calls-%d", n), n, tfConfig{})
		if err != nil {
			return err
		}
		b.progress("calls: apply N=%d (api auto)", n)
		_, a, _, err := b.applyPauses(ctx, dir, n, b.opt.transitionMain, 0, autoAPI)
		if err != nil {
			return err
		}
		r.apply = a.byAction
		for i := range b.opt.runs {
			p, c, err := b.tfCalls(ctx, dir, plan(autoAPI)...)
			if err != nil {
				return err
			}
			if i == 0 {
				r.refresh = c.byAction
			}
			u, err := b.tf(ctx, dir, b.dtsRC, plan(autoAPI, "-var=batch_status_reads=false")...)
			if err != nil {
				return err
			}
			r.batched, r.unbatched = append(r.batched, p.wall.Seconds()), append(r.unbatched, u.wall.Seconds())
		}
		b.progress("  apply %v; refresh %v; refresh batched %.2fs, unbatched %.2fs (medians)",
			r.apply, r.refresh, median(r.batched), median(r.unbatched))
		rep.calls = append(rep.calls, r)
	}
	return nil
}

func (r *report) renderCalls(p printer) {
	if len(r.calls) == 0 && len(r.rss) == 0 {
		return
	}
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
		row(c.n, r.maxJobs, perJob(c.apply, c.n), perJob(c.refresh, c.n), callsByAction(c.apply))
	}
	for _, x := range r.rss {
		row(x.n, x.n, float64(x.applyCalls)/float64(x.n), float64(x.planCalls)/float64(x.n), "(RSS run)")
	}
	p("\n")
	if len(r.calls) == 0 {
		return
	}
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
