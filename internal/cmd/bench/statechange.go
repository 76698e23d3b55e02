package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// The statechange experiment: the calls and wall time of changing the state
// of N existing resources (resume N paused jobs), beside the create that
// paused them and the refresh after it. A create's apply is where a plan
// read can be reused by the apply that follows it in the same provider
// process; a change of state is where apply re-plans existing resources.

// stateChangeSteps are the commands of one run, in order.
var stateChangeSteps = []string{"create apply", "refresh", "change plan", "change apply"}

// stateChangeRun is the tfResults and calls of the steps of one run, and
// what went wrong (failed commands, plans not as expected, jobs not moved).
type stateChangeRun struct {
	steps    []tfResult
	calls    []map[string]int
	failures int
}

// stateChangeAt is the runs at one N and batching.
type stateChangeAt struct {
	n        int
	batching bool
	runs     []stateChangeRun
}

type stateChangeResult struct {
	span
	sizes []stateChangeAt
}

func (b *bench) stateChange(ctx context.Context, n int, batching bool, runs int) (stateChangeAt, error) {
	res := stateChangeAt{n: n, batching: batching}
	dir, err := b.workdir(fmt.Sprintf("statechange-%d", n), n, tfConfig{state: "var.state"})
	if err != nil {
		return res, err
	}
	vars := []string{autoAPI, fmt.Sprintf("-var=batch_status_reads=%t", batching)}
	planFile := "change.tfplan"
	commands := [][]string{
		apply(append(vars, "-var=state=Suspended")...),
		plan(append(vars, "-var=state=Suspended")...),
		plan(append(vars, "-var=state=Synchronizing", "-out="+planFile)...),
		apply(planFile),
	}
	wantCodes := []int{0, 0, 2, 0}
	for i := range runs {
		b.progress("statechange: N=%d batching %t run %d/%d", n, batching, i+1, runs)
		removeState(dir)
		_ = os.Remove(filepath.Join(dir, planFile))
		if err := b.resetJobs(n, b.opt.transitionMain); err != nil {
			return res, err
		}
		var run stateChangeRun
		parts := []string{}
		for j, args := range commands {
			t, c, err := b.tfCalls(ctx, dir, args...)
			if err != nil {
				return res, err
			}
			run.steps, run.calls = append(run.steps, t), append(run.calls, c.byAction)
			if t.code != wantCodes[j] {
				run.failures++
				b.progress("%s exited %d (want %d):\n%s", stateChangeSteps[j], t.code, wantCodes[j], tail(t.output, 30))
			}
			parts = append(parts, fmt.Sprintf("%s %.2fs %.3f calls/job %v", stateChangeSteps[j], t.wall.Seconds(), perJob(c.byAction, n), c.byAction))
		}
		run.failures += n - b.statusCount(n, fakedts.StatusSynchronizing)
		res.runs = append(res.runs, run)
		b.progress("  %s", strings.Join(parts, "; "))
	}
	return res, nil
}

// stepCallsPerJob is the median over the runs of step i's calls, per job.
func (r stateChangeAt) stepCallsPerJob(i int) float64 {
	return medianOf(r.runs, func(x stateChangeRun) float64 { return perJob(x.calls[i], r.n) })
}

// stepMedianCalls is step i's calls by action in the run with the median total.
func (r stateChangeAt) stepMedianCalls(i int) map[string]int {
	return medianBy(r.runs, func(x stateChangeRun) float64 { return float64(sumCalls(x.calls[i])) }).calls[i]
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

// stateChanges measures every -statechange-sizes with batching on and, if
// unbatched, off.
func (b *bench) stateChanges(ctx context.Context, unbatched bool) (*stateChangeResult, error) {
	res := &stateChangeResult{span: begin()}
	for _, n := range b.opt.stateChangeSizes {
		for _, batching := range []bool{true, false} {
			if !batching && !unbatched {
				continue
			}
			r, err := b.stateChange(ctx, n, batching, b.opt.stateChangeRuns)
			if err != nil {
				return res, err
			}
			res.sizes = append(res.sizes, r)
		}
	}
	res.end()
	return res, nil
}

func (b *bench) runStateChange(ctx context.Context, rep *report) (err error) {
	rep.stateChange, err = b.stateChanges(ctx, b.opt.stateChangeUnbatched)
	return err
}

const stateChangeHeading = "## Calls per job of a change of state"

func (r *report) renderStateChange(p printer) {
	s := r.stateChange
	if s == nil || len(s.sizes) == 0 {
		return
	}
	p("%s\n\n", stateChangeHeading)
	r.measured(p, s.span, fmt.Sprintf(" (each row gives the median 1-minute load just before its command, marked *busy* above %.0f)", busyLoad))
	p("Each run, from an empty state with `api = \"auto\"` and `-parallelism=%d`: *create apply* is `terraform apply` of N ", parallelism)
	p("resources with `state = \"Suspended\"` (N pauses, its own plan included); *refresh* is `terraform plan` of the same ")
	p("configuration (no change); *change plan* is `terraform plan -out` with `state = \"Synchronizing\"` for all N (refresh ")
	p("and the plan a user reviews); *change apply* is `terraform apply` of that saved plan (apply's re-plan of each ")
	p("resource, then N resumes). *Calls/job* is every call the fake logged during the command divided by N, median over ")
	p("%d runs; *calls by action* are those of the run with the median total; *wall* is the median wall time. ", r.opt.stateChangeRuns)
	p("The region holds %d jobs (a listing costs one call per 100). Reported, not judged.\n\n", r.maxJobs)
	p("| N | `batch_status_reads` | Command | Calls/job | Calls by action (median run) | Wall (median) | Load (1 min) | Failures (all runs) |\n")
	p("|---|---|---|---|---|---|---|---|\n")
	for _, x := range s.sizes {
		for i, step := range stateChangeSteps {
			failures := ""
			if i == 0 {
				failures = strconv.Itoa(x.failures())
			}
			p("| %d | %t | %s | %s | %s | %s s | %s | %s |\n", x.n, x.batching, step, f3(x.stepCallsPerJob(i)),
				callsByAction(x.stepMedianCalls(i)), f2(x.stepWall(i)), loadCell(x.stepLoad(i)), failures)
		}
	}
	p("\n")
}
