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

// The catchup experiment: how late apply returns after a resume with
// max_delay_after_resume, that is how long after the fake's replication
// delay fell to the bound the provider's wait saw it.

const (
	// catchUpBound is max_delay_after_resume; it stays above the fake's live
	// lag (under 3 s), so the crossing is set by the catch-up rate alone.
	catchUpBound = 10 * time.Second
	// catchUpRate is the fake's catch-up rate (seconds of delay per second).
	catchUpRate = 20.0
)

// catchUpJob is one resumed job of one run.
type catchUpJob struct {
	nominal time.Duration  // the catch-up time asked for
	catchUp time.Duration  // from the Start to the crossing, as the fake modelled it
	late    time.Duration  // the read that ended the wait minus the crossing
	reads   int            // the job's status reads from the Start to that read
	calls   map[string]int // every call naming the job from the Start to that read, by action
	found   bool           // a Start and a read that could see the bound are in the log
}

// catchUpRun is one apply resuming one job per catch-up time.
type catchUpRun struct {
	api  string
	load float64 // 1-minute load just before the apply
	wall time.Duration
	code int
	jobs []catchUpJob
}

// catchUpResult is the whole experiment, with the machine's load around it.
type catchUpResult struct {
	runs               []catchUpRun
	loadStart, loadEnd string
	wall               time.Duration
}

// catchUpDelay is the delay to give a paused job so that, resumed at once,
// it falls to the bound after c.
func catchUpDelay(c time.Duration) time.Duration {
	return catchUpBound + time.Duration(catchUpRate*float64(c))
}

// crossing is when the fake's delay falls to catchUpBound for a direction
// paused with delay d0 at setAt and resumed by a Start received at startAt
// (the transition time is 0): the delay grows with the clock until the
// Start, then falls at catchUpRate.
func crossing(setAt time.Time, d0 time.Duration, startAt time.Time) time.Time {
	atStart := d0 + max(0, startAt.Sub(setAt))
	if atStart <= catchUpBound {
		return startAt
	}
	return startAt.Add(time.Duration(float64(atStart-catchUpBound) / catchUpRate))
}

// isStatusRead is an answered read of one job.
func isStatusRead(c fakedts.Call, job string) bool {
	return c.JobID == job && c.Stage == fakedts.StageAction && c.HTTPStatus == 200 && strings.HasPrefix(c.Action, "Describe")
}

// measureCatchUp finds in the call log the job's accepted Start and the
// read that ended its wait: the job's last status read (a create from an
// empty state reads nothing after the wait). DTS may report the delay in
// whole seconds, so that read may come up to 1 s of delay (1/rate) before
// the exact crossing; a last read earlier than that is not one that saw
// the bound.
func measureCatchUp(calls []fakedts.Call, job string, nominal time.Duration, setAt time.Time, d0 time.Duration) catchUpJob {
	r := catchUpJob{nominal: nominal}
	var startAt, endAt time.Time
	from, to := -1, -1
	for i, c := range calls {
		switch {
		case c.JobID == job && c.Stage == fakedts.StageAction && c.HTTPStatus == 200 && strings.HasPrefix(c.Action, "Start"):
			if startAt.IsZero() {
				startAt, from = c.Time, i
			}
		case !startAt.IsZero() && isStatusRead(c, job):
			r.reads++
			endAt, to = c.Time, i
		}
	}
	if startAt.IsZero() || endAt.IsZero() {
		return r
	}
	var mine []fakedts.Call
	for _, c := range calls[from : to+1] {
		if c.JobID == job {
			mine = append(mine, c)
		}
	}
	r.calls = tally(mine).byAction
	cross := crossing(setAt, d0, startAt)
	r.catchUp, r.late = cross.Sub(startAt), endAt.Sub(cross)
	r.found = r.late >= -time.Duration(float64(time.Second)/catchUpRate)
	return r
}

func (b *bench) catchUp(ctx context.Context, apis []string, times []time.Duration, runs int) (catchUpResult, error) {
	res := catchUpResult{loadStart: loadAvg()}
	start := time.Now()
	dir, err := b.catchUpWorkdir(len(times))
	if err != nil {
		return res, err
	}
	for i := range runs {
		for _, api := range apis {
			b.progress(fmt.Sprintf("catchup: run %d of %d, api %s, catch-up times %v in one apply", i+1, runs, api, times))
			r, err := b.catchUpAt(ctx, dir, api, times)
			if err != nil {
				return res, err
			}
			res.runs = append(res.runs, r)
		}
	}
	res.wall, res.loadEnd = time.Since(start), loadAvg()
	return res, nil
}

// catchUpWorkdir is workdir's configuration with every job asked to run
// and to wait for max_delay_after_resume.
func (b *bench) catchUpWorkdir(n int) (string, error) {
	dir, err := b.workdir("catchup", n, false)
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "main.tf")
	cfg, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	old := `state                  = "Suspended"`
	if !strings.Contains(string(cfg), old) {
		return "", fmt.Errorf("catchup: the bench configuration has no %s line to replace", old)
	}
	text := strings.Replace(string(cfg), old, fmt.Sprintf("state                  = \"Synchronizing\"\n  max_delay_after_resume = %q", catchUpBound), 1)
	return dir, os.WriteFile(path, []byte(text), 0o644)
}

// catchUpAt pauses job i with the delay that takes times[i] to work off,
// then applies from an empty state, which resumes every job and waits.
func (b *bench) catchUpAt(ctx context.Context, dir, api string, times []time.Duration) (catchUpRun, error) {
	r := catchUpRun{api: api}
	removeState(dir)
	if err := b.resetJobs(len(times), 0); err != nil {
		return r, err
	}
	setAt := make([]time.Time, len(times))
	for i, c := range times {
		id := jobID(i)
		if err := b.fake.SetStatus(id, fakedts.DirectionForward, fakedts.StatusSuspending); err != nil {
			return r, err
		}
		if err := b.fake.SetCatchUpRate(id, catchUpRate); err != nil {
			return r, err
		}
		if err := b.fake.SetDelay(id, fakedts.DirectionForward, catchUpDelay(c)); err != nil {
			return r, err
		}
		setAt[i] = b.fake.Now()
	}
	r.load, _ = load1()
	a, err := b.tf(ctx, dir, b.dtsRC, append(slices.Clone(applyArgs), "-var=api="+api, "-var=batch_status_reads=false")...)
	if err != nil {
		return r, err
	}
	r.wall, r.code = a.wall, a.code
	if a.code != 0 {
		b.progress("apply failed:\n" + tail(a.output, 30))
	}
	calls := b.fake.Calls()
	for i, c := range times {
		j := measureCatchUp(calls, jobID(i), c, setAt[i], catchUpDelay(c))
		r.jobs = append(r.jobs, j)
		b.progress(fmt.Sprintf("  %s (measured %.3fs): seen %.3fs late after %d reads (found %v), calls %s", c, j.catchUp.Seconds(),
			j.late.Seconds(), j.reads, j.found, callsByAction(j.calls)))
	}
	return r, nil
}

func (b *bench) runCatchUp(ctx context.Context, rep *report) error {
	c, err := b.catchUp(ctx, b.opt.catchUpAPIs, b.opt.catchUpTimes, b.opt.catchUpRuns)
	rep.catchUp = &c
	return err
}
