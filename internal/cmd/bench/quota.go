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

// The quota experiment: one apply of N pauses under each of several quotas.

// quotaRun is one apply of N pauses while the fake allows quota calls/s.
type quotaRun struct {
	quota     float64
	n         int
	wall      time.Duration
	accepted  int
	throttled int
	failures  int
	tainted   bool
}

func (q quotaRun) ratio() float64 { return q.wall.Seconds() / (float64(q.accepted) / q.quota) }

func (q quotaRun) throttledShare() float64 {
	return float64(q.throttled) / float64(q.accepted+q.throttled)
}

func (b *bench) quotas(ctx context.Context, n int, quotas []float64) ([]quotaRun, error) {
	dir, err := b.workdir(fmt.Sprintf("quota-%d", n), n, false)
	if err != nil {
		return nil, err
	}
	var out []quotaRun
	for _, q := range quotas {
		b.progress(fmt.Sprintf("quota %g calls/s: N=%d", q, n))
		removeState(dir)
		if err := b.resetJobs(n, b.opt.transitionMain); err != nil {
			return nil, err
		}
		b.fake.SetFaults(fakedts.Faults{ThrottleRate: q})
		a, err := b.tf(ctx, dir, b.dtsRC, append(slices.Clone(applyArgs), autoAPI)...)
		b.fake.ClearFaults()
		if err != nil {
			return nil, err
		}
		r := quotaRun{quota: q, n: n, wall: a.wall}
		t := tally(b.fake.Calls())
		r.accepted, r.throttled = t.accepted, t.throttled
		if a.code != 0 {
			r.failures = max(1, countErrors(a.output))
			b.progress("apply failed:\n" + tail(a.output, 30))
		}
		if got := b.suspendedCount(n); n-got > r.failures {
			r.failures = n - got
		}
		if st, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate")); err == nil {
			r.tainted = strings.Contains(string(st), `"status": "tainted"`)
		}
		out = append(out, r)
		b.progress(fmt.Sprintf("  wall %.1fs, %d accepted (%.1fs at quota), %d throttled, %d failures, ratio %.2f",
			a.wall.Seconds(), r.accepted, float64(r.accepted)/q, r.throttled, r.failures, r.ratio()))
	}
	return out, nil
}

func (b *bench) runQuota(ctx context.Context, rep *report) error {
	q, err := b.quotas(ctx, b.opt.quotaN, b.opt.quotas)
	rep.quota = q
	return err
}
