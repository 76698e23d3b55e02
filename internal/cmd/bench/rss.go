package main

import (
	"context"
	"fmt"
	"time"
)

// The RSS experiment: the provider's peak RSS over the apply of N pauses
// and the plan after it. Its jobs live in a region of their own, so that the
// other experiments' region holds only as many jobs as they manage (a
// region listing's cost grows with the region's jobs).

type rssRun struct {
	n                     int
	applyKiB, planKiB     int64
	applyCalls, planCalls int
	applyWall, planWall   time.Duration
	failures              int
}

const (
	rssRegion      = "cn-shanghai"
	rssJobIDFormat = "dtsrss%06d"
)

func (b *bench) runRSS(ctx context.Context, rep *report) error {
	for _, n := range b.opt.rssSizes {
		r := rssRun{n: n}
		dir, err := b.workdir(fmt.Sprintf("rss-%d", n), n, tfConfig{region: rssRegion, idFormat: rssJobIDFormat})
		if err != nil {
			return err
		}
		b.fake.ClearFaults()
		if err := b.addJobs(rssJobIDFormat, rssRegion, n); err != nil {
			return err
		}
		b.progress("RSS: apply N=%d (region %s of %d jobs)", n, rssRegion, n)
		a, ac, err := b.tfCalls(ctx, dir, apply(autoAPI)...)
		if err != nil {
			return err
		}
		r.failures = b.failures(a, 0, "")
		pl, pc, err := b.tfCalls(ctx, dir, plan(autoAPI)...)
		if err != nil {
			return err
		}
		r.applyKiB, r.applyWall, r.applyCalls = a.rssKiB, a.wall, sumCalls(ac.byAction)
		r.planKiB, r.planWall, r.planCalls = pl.rssKiB, pl.wall, sumCalls(pc.byAction)
		b.progress("  apply %.1fs %d KiB, plan %.1fs %d KiB", a.wall.Seconds(), a.rssKiB, pl.wall.Seconds(), pl.rssKiB)
		rep.rss = append(rep.rss, r)
	}
	return nil
}

func (r *report) renderRSS(p printer) {
	if len(r.rss) == 0 {
		return
	}
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
