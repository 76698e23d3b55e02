package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// rssRun is the apply of N pauses and the plan after it: the provider's peak
// RSS over each (KiB), with their calls and wall times.
type rssRun struct {
	n                     int
	applyKiB, planKiB     int64
	applyCalls, planCalls int
	applyWall, planWall   time.Duration
	failures              int
}

// The RSS experiment's jobs live in a region of their own, so that the
// other experiments' region holds only as many jobs as they manage (a region
// listing's length, and so its cost, grows with the region's jobs).
const (
	rssRegion      = "cn-shanghai"
	rssJobIDFormat = "dtsrss%06d"
)

func (b *bench) rssAt(ctx context.Context, n int) (rssRun, error) {
	r := rssRun{n: n}
	dir, err := b.workdir(fmt.Sprintf("rss-%d", n), n, false)
	if err != nil {
		return r, err
	}
	cfgPath := filepath.Join(dir, "main.tf")
	cfg, err := os.ReadFile(cfgPath)
	if err != nil {
		return r, err
	}
	text := strings.Replace(strings.Replace(string(cfg), `"cn-hangzhou"`, fmt.Sprintf("%q", rssRegion), 1), jobIDFormat, rssJobIDFormat, 1)
	if err := os.WriteFile(cfgPath, []byte(text), 0o644); err != nil {
		return r, err
	}
	removeState(dir)
	b.fake.ClearFaults()
	for i := range n {
		id := fmt.Sprintf(rssJobIDFormat, i)
		if _, ok := b.fake.Job(id); !ok {
			j := fakedts.Job{ID: id, Name: fmt.Sprintf("rss-%d", i), PayType: fakedts.PayTypePostPaid,
				Region: rssRegion, Forward: fakedts.DirectionState{Status: fakedts.StatusSynchronizing}}
			if err := b.fake.AddJob(j); err != nil {
				return r, err
			}
		} else if err := b.fake.SetStatus(id, fakedts.DirectionForward, fakedts.StatusSynchronizing); err != nil {
			return r, err
		}
	}
	b.fake.ResetCalls()
	b.progress(fmt.Sprintf("RSS: apply N=%d (region %s of %d jobs)", n, rssRegion, n))
	a, err := b.tf(ctx, dir, b.dtsRC, append(slices.Clone(applyArgs), autoAPI)...)
	if err != nil {
		return r, err
	}
	r.applyKiB, r.applyWall, r.applyCalls = a.rssKiB, a.wall, sumCalls(tally(b.fake.Calls()).byAction)
	if a.code != 0 {
		r.failures = max(1, countErrors(a.output))
		b.progress("apply failed:\n" + tail(a.output, 30))
	}
	b.fake.ResetCalls()
	p, err := b.tf(ctx, dir, b.dtsRC, append(slices.Clone(planArgs), autoAPI)...)
	if err != nil {
		return r, err
	}
	r.planKiB, r.planWall, r.planCalls = p.rssKiB, p.wall, sumCalls(tally(b.fake.Calls()).byAction)
	b.progress(fmt.Sprintf("  apply %.1fs %d KiB, plan %.1fs %d KiB", a.wall.Seconds(), a.rssKiB, p.wall.Seconds(), p.rssKiB))
	return r, nil
}

func (b *bench) runRSS(ctx context.Context, rep *report) error {
	for _, n := range b.opt.rssSizes {
		r, err := b.rssAt(ctx, n)
		if err != nil {
			return err
		}
		rep.rss = append(rep.rss, r)
	}
	return nil
}
