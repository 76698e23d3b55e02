package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// The floors experiment: a plan of N existing resources of the provider
// beside N time_static (a small plugin, SDK logs off and as shipped) and N
// terraform_data (no plugin), measured in one loop so the ratios share the
// machine's load.

type floorRun struct {
	n                                    int
	dts, timeOff, timeShipped, terraform time.Duration
	dtsCode, timeCode                    int
}

// logsOff is the environment of the "logs off" time_static floor.
var logsOff = []string{"TF_LOG_SDK=off", "TF_LOG_SDK_PROTO=off", "TF_LOG_SDK_FRAMEWORK=off"}

func (b *bench) floors(ctx context.Context, n, runs int) (floorRun, error) {
	r := floorRun{n: n}
	timeDir, err := writeDir(filepath.Join(b.tmp, fmt.Sprintf("time-%d", n)), fmt.Sprintf("terraform {\n  required_providers {\n    "+
		"time = { source = \"hashicorp/time\" }\n  }\n}\n\nresource \"time_static\" \"job\" {\n  count    = %d\n  triggers = { id = format(%q, count.index) }\n}\n", n, jobIDFormat))
	if err != nil {
		return r, err
	}
	floorDir, err := b.floorWorkdir(fmt.Sprintf("floor-%d", n), n)
	if err != nil {
		return r, err
	}
	dtsDir, err := b.workdir(fmt.Sprintf("dts-plan-%d", n), n, tfConfig{})
	if err != nil {
		return r, err
	}
	if err := b.resetJobs(n, 0); err != nil {
		return r, err
	}
	kinds := []struct {
		dir, rc string
		env     []string
		args    []string
		walls   []float64
	}{{dir: dtsDir, rc: b.dtsRC, args: []string{autoAPI}}, {dir: timeDir, rc: b.timeRC, env: logsOff}, {dir: timeDir, rc: b.timeRC}, {dir: floorDir, rc: b.floorRC}}
	for _, k := range []int{0, 1, 3} {
		a, err := b.tf(ctx, kinds[k].dir, kinds[k].rc, apply(kinds[k].args...)...)
		if err != nil {
			return r, err
		}
		if a.code != 0 {
			return r, fmt.Errorf("apply in %s exited %d:\n%s", kinds[k].dir, a.code, tail(a.output, 20))
		}
	}
	for i := range runs {
		b.progress("plan floors N=%d run %d/%d", n, i+1, runs)
		for j := range kinds {
			k := &kinds[j]
			t, err := b.tfEnv(ctx, k.env, k.dir, k.rc, plan(k.args...)...)
			if err != nil {
				return r, err
			}
			k.walls = append(k.walls, t.wall.Seconds())
			switch j {
			case 0:
				r.dtsCode = t.code
			case 1:
				r.timeCode = t.code
			}
		}
	}
	r.dts, r.timeOff, r.timeShipped, r.terraform = fromSecs(median(kinds[0].walls)), fromSecs(median(kinds[1].walls)),
		fromSecs(median(kinds[2].walls)), fromSecs(median(kinds[3].walls))
	b.progress("  dts %.2fs, time_static logs off %.2fs, as shipped %.2fs, terraform_data %.2fs",
		r.dts.Seconds(), r.timeOff.Seconds(), r.timeShipped.Seconds(), r.terraform.Seconds())
	return r, nil
}

// timeProviderModule is the floor provider, built from the module proxy.
const timeProviderModule = "github.com/hashicorp/terraform-provider-time@v0.14.2"

// ensureTimeProvider builds the floor provider into -time-provider's folder
// when it is not there yet, before any experiment runs: a fresh machine's
// full run would otherwise stop at the floors after a quarter of an hour.
func (b *bench) ensureTimeProvider(ctx context.Context) error {
	bin := b.opt.timeProvider
	if _, err := os.Stat(bin); err == nil {
		return nil
	}
	if filepath.Base(bin) != "terraform-provider-time" {
		return fmt.Errorf("time provider %s: no such file (go install names it terraform-provider-time)", bin)
	}
	b.progress("building %s into %s", timeProviderModule, filepath.Dir(bin))
	cmd := exec.CommandContext(ctx, "go", "install", timeProviderModule)
	cmd.Env = append(os.Environ(), "GOBIN="+filepath.Dir(bin))
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go install %s: %w\n%s", timeProviderModule, err, out)
	}
	return nil
}

func (b *bench) runFloors(ctx context.Context, rep *report) error {
	bin := b.opt.timeProvider
	var err error
	if b.timeRC, err = b.cliConfig("time", "registry.terraform.io/hashicorp/time", filepath.Dir(bin)); err != nil {
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

func (r *report) renderFloors(p printer) {
	if len(r.floors) == 0 {
		return
	}
	p("### Plan time beside two floors\n\n")
	p("`terraform plan` (with refresh) of N existing resources, median of %d, measured in one loop so the ratios share ", r.opt.floorRuns)
	p("the machine's load: the provider's N paused jobs; `time_static` of hashicorp/terraform-provider-time v0.14.2 ")
	p("(built with `go install` from the module proxy) with `TF_LOG_SDK=off TF_LOG_SDK_PROTO=off TF_LOG_SDK_FRAMEWORK=off` ")
	p("and as shipped; `terraform_data` (in Terraform's core, no plugin). Target: the provider at N=500 ≤ 1.05× the ")
	p("logs-off `time_static`.\n\n")
	p("| N | dts | time_static, logs off | time_static, as shipped | terraform_data | dts ÷ time_static (logs off) | dts ÷ time_static (shipped) | Verdict |\n")
	p("|---|---|---|---|---|---|---|---|\n")
	for _, f := range r.floors {
		ratio := f.dts.Seconds() / f.timeOff.Seconds()
		v := "(target at N=500)"
		if f.n == 500 {
			v = yesNo(ratio <= 1.05)
		}
		if f.dtsCode != 0 || f.timeCode != 0 {
			v += fmt.Sprintf(" (exit codes: dts %d, time %d; want 0)", f.dtsCode, f.timeCode)
		}
		p("| %d | %.2f s | %.2f s | %.2f s | %.2f s | %s | %s | %s |\n", f.n, f.dts.Seconds(), f.timeOff.Seconds(), f.timeShipped.Seconds(),
			f.terraform.Seconds(), f2(ratio), f2(f.dts.Seconds()/f.timeShipped.Seconds()), v)
	}
	p("\n")
}
