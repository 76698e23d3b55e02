package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"slices"
	"sync"
	"time"

	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// The workspaces experiment: K Terraform runs at once, each with its own
// provider process and so its own rate limiter, each pausing N jobs of its
// own, all against one fake whose one quota (Faults.ThrottleRate) is the
// account's. It measures how well limiters that do not know each other share
// the quota.

// workspacesRun is one quota and one K.
type workspacesRun struct {
	quota     float64
	k, n      int
	load      float64         // 1-minute load just before the runs started
	wall      time.Duration   // first start to last exit
	walls     []time.Duration // each run's own wall time
	accepted  int
	throttled int
	failures  int // resources in error plus jobs left running
}

// ideal is the fastest the quota allows: accepted calls ÷ quota.
func (w workspacesRun) ideal() time.Duration {
	return time.Duration(float64(w.accepted) / w.quota * float64(time.Second))
}

func (w workspacesRun) ratio() float64 { return w.wall.Seconds() / w.ideal().Seconds() }

func (w workspacesRun) throttledShare() float64 {
	return float64(w.throttled) / float64(max(1, w.accepted+w.throttled))
}

// spread is the slowest run's wall time ÷ the fastest's: a run starved by
// the others finishes far behind them.
func (w workspacesRun) spread() float64 {
	if len(w.walls) == 0 {
		return 0
	}
	return slices.Max(w.walls).Seconds() / slices.Min(w.walls).Seconds()
}

func (b *bench) workspaces(ctx context.Context, quotas []float64, ks []int, n int) ([]workspacesRun, error) {
	var out []workspacesRun
	for _, q := range quotas {
		for _, k := range ks {
			r, err := b.workspacesAt(ctx, q, k, n)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
	}
	return out, nil
}

// workspacesAt starts k applies of n pauses each at once; run i manages
// jobs i·n to i·n+n-1.
func (b *bench) workspacesAt(ctx context.Context, q float64, k, n int) (workspacesRun, error) {
	r := workspacesRun{quota: q, k: k, n: n, walls: make([]time.Duration, k)}
	dirs := make([]string, k)
	for i := range k {
		dir, err := b.workdirFrom(fmt.Sprintf("workspace-%d", i), n, i*n)
		if err != nil {
			return r, err
		}
		dirs[i] = dir
		removeState(dir)
	}
	if err := b.resetJobs(k*n, b.opt.transitionMain); err != nil {
		return r, err
	}
	b.progress(fmt.Sprintf("workspaces: %d runs × %d pauses at %g calls/s", k, n, q))
	r.load, _ = load1()
	b.loads = append(b.loads, r.load)
	b.fake.SetFaults(fakedts.Faults{ThrottleRate: q})
	defer b.fake.ClearFaults()

	outputs := make([]string, k)
	codes := make([]int, k)
	errs := make([]error, k)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range k {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := b.cmd(ctx, dirs[i], b.dtsRC, append(slices.Clone(applyArgs), autoAPI)...)
			var buf bytes.Buffer
			c.Stdout, c.Stderr = &buf, &buf
			begin := time.Now()
			err := c.Run()
			r.walls[i], outputs[i] = time.Since(begin), buf.String()
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				codes[i] = ee.ExitCode()
			} else {
				errs[i] = err
			}
		}()
	}
	wg.Wait()
	r.wall = time.Since(start)
	if err := errors.Join(errs...); err != nil {
		return r, fmt.Errorf("terraform apply: %w", err)
	}
	t := tally(b.fake.Calls())
	r.accepted, r.throttled = t.accepted, t.throttled
	for i, code := range codes {
		if code != 0 {
			r.failures += max(1, countErrors(outputs[i]))
			b.progress(fmt.Sprintf("run %d failed:\n%s", i, tail(outputs[i], 30)))
		}
	}
	if got := b.suspendedCount(k * n); k*n-got > r.failures {
		r.failures = k*n - got
	}
	b.progress(fmt.Sprintf("  wall %.1fs (ideal %.1fs, %.2f×), %d accepted, %d throttled (%.1f%%), %d failures, slowest ÷ fastest run %.2f",
		r.wall.Seconds(), r.ideal().Seconds(), r.ratio(), r.accepted, r.throttled, 100*r.throttledShare(), r.failures, r.spread()))
	return r, nil
}

func (b *bench) runWorkspaces(ctx context.Context, rep *report) error {
	w, err := b.workspaces(ctx, b.opt.workspaceQuotas, b.opt.workspaceKs, b.opt.workspaceN)
	rep.workspaces = w
	return err
}
