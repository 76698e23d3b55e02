package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// The statechange experiment: the calls and wall time of changing the state
// of N existing resources (resume N paused jobs), beside the create that
// paused them and the refresh after it. A create's apply is where a plan
// read can be reused by the apply that follows it in the same provider
// process; a change of state is where apply re-plans existing resources.

// stateChangeSteps are the commands of one run, in order.
var stateChangeSteps = []string{"create apply", "refresh", "change plan", "change apply"}

// stateChangeStep is one Terraform command of a run.
type stateChangeStep struct {
	calls map[string]int
	wall  time.Duration
	load  float64 // 1-minute load just before the command
	code  int
}

// stateChangeRun is one run at one N: the steps of stateChangeSteps, and
// what went wrong (failed commands, plans not as expected, jobs not moved).
type stateChangeRun struct {
	steps    []stateChangeStep
	failures int
}

// stateChangeAt is the runs at one N and batching.
type stateChangeAt struct {
	n        int
	batching bool
	runs     []stateChangeRun
}

// stateChangeConfig turns a workdir configuration into one whose state is
// the variable state.
func stateChangeConfig(cfg string) string {
	cfg = strings.Replace(cfg, `state                  = "Suspended"`, `state                  = var.state`, 1)
	return cfg + "\nvariable \"state\" {\n  type = string\n}\n"
}

func (b *bench) stateChange(ctx context.Context, n int, batching bool, runs int) (stateChangeAt, error) {
	res := stateChangeAt{n: n, batching: batching}
	dir, err := b.workdir(fmt.Sprintf("statechange-%d", n), n, false)
	if err != nil {
		return res, err
	}
	path := filepath.Join(dir, "main.tf")
	cfg, err := os.ReadFile(path)
	if err != nil {
		return res, err
	}
	if err := os.WriteFile(path, []byte(stateChangeConfig(string(cfg))), 0o644); err != nil {
		return res, err
	}
	vars := []string{autoAPI, fmt.Sprintf("-var=batch_status_reads=%t", batching)}
	planFile := "change.tfplan"
	for r := range runs {
		b.progress(fmt.Sprintf("statechange: N=%d batching %t run %d/%d", n, batching, r+1, runs))
		removeState(dir)
		_ = os.Remove(filepath.Join(dir, planFile))
		if err := b.resetJobs(n, b.opt.transitionMain); err != nil {
			return res, err
		}
		var run stateChangeRun
		commands := [][]string{
			append(slices.Concat(applyArgs, vars), "-var=state=Suspended"),
			append(slices.Concat(planArgs, vars), "-var=state=Suspended"),
			append(slices.Concat(planArgs, vars), "-var=state=Synchronizing", "-out="+planFile),
			append(slices.Clone(applyArgs), planFile),
		}
		wantCodes := []int{0, 0, 2, 0}
		for i, args := range commands {
			b.fake.ResetCalls()
			load, _ := load1()
			t, err := b.tf(ctx, dir, b.dtsRC, args...)
			if err != nil {
				return res, err
			}
			run.steps = append(run.steps, stateChangeStep{calls: tally(b.fake.Calls()).byAction, wall: t.wall, load: load, code: t.code})
			if t.code != wantCodes[i] {
				run.failures++
				b.progress(fmt.Sprintf("%s exited %d (want %d):\n%s", stateChangeSteps[i], t.code, wantCodes[i], tail(t.output, 30)))
			}
		}
		if got := b.statusCount(n, fakedts.StatusSynchronizing); got != n {
			run.failures += n - got
		}
		res.runs = append(res.runs, run)
		parts := make([]string, 0, len(run.steps))
		for i, s := range run.steps {
			parts = append(parts, fmt.Sprintf("%s %.2fs %.3f calls/job %v", stateChangeSteps[i], s.wall.Seconds(),
				float64(sumCalls(s.calls))/float64(n), s.calls))
		}
		b.progress("  " + strings.Join(parts, "; "))
	}
	return res, nil
}

// statusCount counts the first n jobs whose Forward direction the fake
// reports in status s.
func (b *bench) statusCount(n int, s string) int {
	c := 0
	for i := range n {
		if j, ok := b.fake.Job(jobID(i)); ok && j.Forward.Status == s {
			c++
		}
	}
	return c
}

// stepCallsPerJob is the median over the runs of step i's calls, per job.
func (r stateChangeAt) stepCallsPerJob(i int) float64 {
	return medianOf(r.runs, func(x stateChangeRun) float64 { return float64(sumCalls(x.steps[i].calls)) / float64(r.n) })
}

// stepMedianCalls is step i's calls by action in the run with the median
// total (the lower of the two middle ones for an even count).
func (r stateChangeAt) stepMedianCalls(i int) map[string]int {
	if len(r.runs) == 0 {
		return nil
	}
	s := slices.Clone(r.runs)
	sort.SliceStable(s, func(a, c int) bool { return sumCalls(s[a].steps[i].calls) < sumCalls(s[c].steps[i].calls) })
	return s[(len(s)-1)/2].steps[i].calls
}

// stepWall and stepLoad are the medians over the runs of step i's wall
// time and of the 1-minute load before it.
func (r stateChangeAt) stepWall(i int) float64 {
	return medianOf(r.runs, func(x stateChangeRun) float64 { return x.steps[i].wall.Seconds() })
}

func (r stateChangeAt) stepLoad(i int) float64 {
	return medianOf(r.runs, func(x stateChangeRun) float64 { return x.steps[i].load })
}

func (r stateChangeAt) failures() int {
	f := 0
	for _, x := range r.runs {
		f += x.failures
	}
	return f
}

func (b *bench) runStateChange(ctx context.Context, rep *report) error {
	batchings := []bool{true}
	if b.opt.stateChangeUnbatched {
		batchings = append(batchings, false)
	}
	res := &stateChangeResult{loadStart: loadAvg()}
	start := time.Now()
	for _, n := range b.opt.stateChangeSizes {
		for _, batching := range batchings {
			r, err := b.stateChange(ctx, n, batching, b.opt.stateChangeRuns)
			if err != nil {
				return err
			}
			res.sizes = append(res.sizes, r)
		}
	}
	res.wall, res.loadEnd = time.Since(start), loadAvg()
	rep.stateChange = res
	return nil
}

// stateChangeResult is the whole experiment, with the machine's load
// around it.
type stateChangeResult struct {
	sizes              []stateChangeAt
	loadStart, loadEnd string
	wall               time.Duration
}
