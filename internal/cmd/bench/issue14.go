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

// The experiments of issue 14: pacing under low quotas, calls per job,
// lateness of the poll schedule, plan time beside two floors, peak RSS.

// logsOff is the environment of the "logs off" time_static floor.
var logsOff = []string{"TF_LOG_SDK=off", "TF_LOG_SDK_PROTO=off", "TF_LOG_SDK_FRAMEWORK=off"}

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
		a, err := b.tf(ctx, dir, b.dtsRC, applyArgs...)
		b.fake.ClearFaults()
		if err != nil {
			return nil, err
		}
		r := quotaRun{quota: q, n: n, wall: a.wall}
		for _, c := range b.fake.Calls() {
			switch {
			case c.Stage == fakedts.StageAction:
				r.accepted++
			case c.Fault == fakedts.FaultThrottling:
				r.throttled++
			}
		}
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

// lateRun is one transition of the lateness experiment.
type lateRun struct {
	transition time.Duration
	late       time.Duration // first read at or after completion, minus completion
	reads      int           // status reads from the Suspend to that read
	found      bool
}

// lateness pauses one job per transition length in one apply (so the
// longest sets the wall time), with batch_status_reads = false so that
// every poll is a single read naming its job in the fake's call log. The
// schedule is the same with batching on; batching adds its debounce
// (15 ms) to each poll.
func (b *bench) lateness(ctx context.Context, lengths []time.Duration) ([]lateRun, time.Duration, error) {
	n := len(lengths)
	dir, err := b.workdir("lateness", n, false)
	if err != nil {
		return nil, 0, err
	}
	removeState(dir)
	if err := b.resetJobs(n, 0); err != nil {
		return nil, 0, err
	}
	for i, t := range lengths {
		if err := b.fake.SetTransitionTime(jobID(i), t); err != nil {
			return nil, 0, err
		}
	}
	b.progress(fmt.Sprintf("lateness: transitions %v in one apply", lengths))
	a, err := b.tf(ctx, dir, b.dtsRC, append(slices.Clone(applyArgs), "-var=batch_status_reads=false")...)
	if err != nil {
		return nil, 0, err
	}
	if a.code != 0 {
		b.progress("apply failed:\n" + tail(a.output, 30))
	}
	calls := b.fake.Calls()
	var out []lateRun
	for i, t := range lengths {
		r := lateRun{transition: t}
		var suspendAt time.Time
		for _, c := range calls {
			if c.JobID != jobID(i) || c.Stage != fakedts.StageAction || c.HTTPStatus != 200 {
				continue
			}
			switch {
			case strings.HasPrefix(c.Action, "Suspend"):
				if suspendAt.IsZero() {
					suspendAt = c.Time
				}
			case c.Action == actDescribe || c.Action == "DescribeDtsJobDetail":
				if suspendAt.IsZero() || r.found {
					continue
				}
				r.reads++
				if !c.Time.Before(suspendAt.Add(t)) {
					r.late, r.found = c.Time.Sub(suspendAt.Add(t)), true
				}
			}
		}
		out = append(out, r)
		b.progress(fmt.Sprintf("  %s: seen %.3fs late after %d reads", t, r.late.Seconds(), r.reads))
	}
	return out, a.wall, nil
}

// floorRun is the plan (with refresh) of N resources of each kind.
type floorRun struct {
	n                                    int
	dts, timeOff, timeShipped, terraform time.Duration
	dtsCode, timeCode                    int
}

// floors applies N time_static and N terraform_data resources once, then
// times a plan of each beside the provider's plan of N paused jobs; the
// provider's plan is measured in the same loop so the ratios share the load.
func (b *bench) floors(ctx context.Context, n, runs int) (floorRun, error) {
	r := floorRun{n: n}
	timeDir := filepath.Join(b.tmp, fmt.Sprintf("time-%d", n))
	if err := os.MkdirAll(timeDir, 0o755); err != nil {
		return r, err
	}
	cfg := fmt.Sprintf("terraform {\n  required_providers {\n    time = { source = \"hashicorp/time\" }\n  }\n}\n\n"+
		"resource \"time_static\" \"job\" {\n  count    = %d\n  triggers = { id = format(%q, count.index) }\n}\n", n, jobIDFormat)
	if err := os.WriteFile(filepath.Join(timeDir, "main.tf"), []byte(cfg), 0o644); err != nil {
		return r, err
	}
	floorDir, err := b.workdir(fmt.Sprintf("floor-%d", n), n, true)
	if err != nil {
		return r, err
	}
	dtsDir, err := b.workdir(fmt.Sprintf("dts-plan-%d", n), n, false)
	if err != nil {
		return r, err
	}
	removeState(dtsDir)
	removeState(timeDir)
	removeState(floorDir)
	if err := b.resetJobs(n, 0); err != nil {
		return r, err
	}
	for _, d := range []struct {
		dir, rc string
	}{{dtsDir, b.dtsRC}, {timeDir, b.timeRC}, {floorDir, b.floorRC}} {
		a, err := b.tf(ctx, d.dir, d.rc, applyArgs...)
		if err != nil {
			return r, err
		}
		if a.code != 0 {
			return r, fmt.Errorf("apply in %s exited %d:\n%s", d.dir, a.code, tail(a.output, 20))
		}
	}
	var dts, off, shipped, core []float64
	for i := range runs {
		b.progress(fmt.Sprintf("plan floors N=%d run %d/%d", n, i+1, runs))
		p, err := b.tf(ctx, dtsDir, b.dtsRC, planArgs...)
		if err != nil {
			return r, err
		}
		r.dtsCode = p.code
		dts = append(dts, p.wall.Seconds())
		t, err := b.tfEnv(ctx, logsOff, timeDir, b.timeRC, planArgs...)
		if err != nil {
			return r, err
		}
		r.timeCode = t.code
		off = append(off, t.wall.Seconds())
		ts, err := b.tf(ctx, timeDir, b.timeRC, planArgs...)
		if err != nil {
			return r, err
		}
		shipped = append(shipped, ts.wall.Seconds())
		f, err := b.tf(ctx, floorDir, b.floorRC, planArgs...)
		if err != nil {
			return r, err
		}
		core = append(core, f.wall.Seconds())
	}
	sec := func(v []float64) time.Duration { return time.Duration(median(v) * float64(time.Second)) }
	r.dts, r.timeOff, r.timeShipped, r.terraform = sec(dts), sec(off), sec(shipped), sec(core)
	b.progress(fmt.Sprintf("  dts %.2fs, time_static logs off %.2fs, as shipped %.2fs, terraform_data %.2fs",
		r.dts.Seconds(), r.timeOff.Seconds(), r.timeShipped.Seconds(), r.terraform.Seconds()))
	return r, nil
}

// setupTime points a CLI configuration at the time provider binary.
func (b *bench) setupTime() error {
	bin := b.opt.timeProvider
	if _, err := os.Stat(bin); err != nil {
		return fmt.Errorf("time provider %s: %w (build it: GOBIN=%s go install github.com/hashicorp/terraform-provider-time@v0.14.2)",
			bin, err, filepath.Dir(bin))
	}
	b.timeRC = filepath.Join(b.tmp, "time.tfrc")
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n",
		"registry.terraform.io/hashicorp/time", filepath.Dir(bin))
	return os.WriteFile(b.timeRC, []byte(rc), 0o644)
}

// rssAt applies N pauses and plans them, and returns the provider's peak RSS
// over both (KiB) with the apply's and the refresh's calls per job.
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
	a, err := b.tf(ctx, dir, b.dtsRC, applyArgs...)
	if err != nil {
		return r, err
	}
	r.applyKiB, r.applyWall, r.applyCalls = a.rssKiB, a.wall, len(b.fake.Calls())
	if a.code != 0 {
		r.failures = max(1, countErrors(a.output))
		b.progress("apply failed:\n" + tail(a.output, 30))
	}
	b.fake.ResetCalls()
	p, err := b.tf(ctx, dir, b.dtsRC, planArgs...)
	if err != nil {
		return r, err
	}
	r.planKiB, r.planWall, r.planCalls = p.rssKiB, p.wall, len(b.fake.Calls())
	b.progress(fmt.Sprintf("  apply %.1fs %d KiB, plan %.1fs %d KiB", a.wall.Seconds(), a.rssKiB, p.wall.Seconds(), p.rssKiB))
	return r, nil
}
