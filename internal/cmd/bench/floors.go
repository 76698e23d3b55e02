package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"
)

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
		args := applyArgs
		if d.rc == b.dtsRC {
			args = append(slices.Clone(applyArgs), autoAPI)
		}
		a, err := b.tf(ctx, d.dir, d.rc, args...)
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
		p, err := b.tf(ctx, dtsDir, b.dtsRC, append(slices.Clone(planArgs), autoAPI)...)
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

func (b *bench) runFloors(ctx context.Context, rep *report) error {
	if err := b.setupTime(); err != nil {
		return err
	}
	for _, n := range b.opt.floorSizes {
		f, err := b.floors(ctx, n, b.opt.floorRuns)
		if err != nil {
			return err
		}
		rep.floors = append(rep.floors, f)
	}
	return nil
}
