package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The quota experiment: one apply of N pauses under each of several quotas.

type quotaRun struct {
	quota                         float64
	n                             int
	wall                          time.Duration
	accepted, throttled, failures int
	tainted                       bool
}

func (q quotaRun) ratio() float64 { return q.wall.Seconds() / (float64(q.accepted) / q.quota) }

func (q quotaRun) throttledShare() float64 {
	return float64(q.throttled) / float64(q.accepted+q.throttled)
}

func (b *bench) runQuota(ctx context.Context, rep *report) error {
	n := b.opt.quotaN
	dir, err := b.workdir(fmt.Sprintf("quota-%d", n), n, tfConfig{})
	if err != nil {
		return err
	}
	for _, q := range b.opt.quotas {
		b.progress("quota %g calls/s: N=%d", q, n)
		a, c, failures, err := b.applyPauses(ctx, dir, n, b.opt.transitionMain, q, autoAPI)
		if err != nil {
			return err
		}
		r := quotaRun{quota: q, n: n, wall: a.wall, accepted: c.accepted, throttled: c.throttled, failures: failures}
		if st, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate")); err == nil {
			r.tainted = strings.Contains(string(st), `"status": "tainted"`)
		}
		rep.quota = append(rep.quota, r)
		b.progress("  wall %.1fs, %d accepted, %d throttled, %d failures, ratio %.2f", a.wall.Seconds(), r.accepted, r.throttled, r.failures, r.ratio())
	}
	return nil
}

func (r *report) renderQuota(p printer) {
	if len(r.quota) == 0 {
		return
	}
	p("### N pauses under a low quota\n\n")
	p("One `terraform apply` of N=%d pauses from an empty state (its own plan included, `-parallelism=%d`) while the fake ", r.quota[0].n, parallelism)
	p("throttles every action above the quota (one token bucket for all actions, `Faults.ThrottleRate`). ")
	p("*Accepted* counts the calls the fake answered, *throttled* its throttling answers; the ideal wall time is ")
	p("accepted ÷ quota. Targets: 0 failures, wall ÷ ideal ≤ 1.2, throttled ≤ 5%% of calls.\n\n")
	p("| Quota | Wall | Accepted calls | Ideal (accepted ÷ quota) | Wall ÷ ideal | Throttled | Throttled share | Failures | Tainted | Verdict |\n")
	p("|---|---|---|---|---|---|---|---|---|---|\n")
	for _, q := range r.quota {
		clean, paced, share := q.failures == 0 && !q.tainted, q.ratio() <= 1.2, q.throttledShare() <= 0.05
		p("| %g/s | %.1f s | %d | %.1f s | %s | %d | %.1f%% | %d | %v | %s (failures %s, ratio %s, share %s) |\n",
			q.quota, q.wall.Seconds(), q.accepted, float64(q.accepted)/q.quota, f2(q.ratio()), q.throttled, 100*q.throttledShare(),
			q.failures, q.tainted, yesNo(clean && paced && share), yesNo(clean), yesNo(paced), yesNo(share))
	}
	p("\n")
}
