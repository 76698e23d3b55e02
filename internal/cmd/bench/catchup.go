package main

import (
	"context"
	"errors"
	"fmt"
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

type catchUpResult struct {
	span
	runs []catchUpRun
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

func (b *bench) runCatchUp(ctx context.Context, rep *report) error {
	res := &catchUpResult{span: begin()}
	rep.catchUp = res
	times := b.opt.catchUpTimes
	dir, err := b.workdir("catchup", len(times), tfConfig{state: `"Synchronizing"`,
		extra: fmt.Sprintf("  max_delay_after_resume = %q\n", catchUpBound)})
	if err != nil {
		return err
	}
	for i := range b.opt.catchUpRuns {
		for _, api := range b.opt.catchUpAPIs {
			b.progress("catchup: run %d of %d, api %s, catch-up times %v in one apply", i+1, b.opt.catchUpRuns, api, times)
			r, err := b.catchUpAt(ctx, dir, api, times)
			if err != nil {
				return err
			}
			res.runs = append(res.runs, r)
		}
	}
	res.end()
	return nil
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
		if err := errors.Join(b.fake.SetStatus(id, fakedts.DirectionForward, fakedts.StatusSuspending), b.fake.SetCatchUpRate(id, catchUpRate),
			b.fake.SetDelay(id, fakedts.DirectionForward, catchUpDelay(c))); err != nil {
			return r, err
		}
		setAt[i] = b.fake.Now()
	}
	a, calls, err := b.tfCalls(ctx, dir, apply("-var=api="+api, "-var=batch_status_reads=false")...)
	if err != nil {
		return r, err
	}
	r.load, r.wall, r.code = a.load, a.wall, a.code
	b.failures(a, 0, "")
	for i, c := range times {
		j := measureCatchUp(calls.log, jobID(i), c, setAt[i], catchUpDelay(c))
		r.jobs = append(r.jobs, j)
		b.progress("  %s (measured %.3fs): seen %.3fs late after %d reads (found %v), calls %s", c, j.catchUp.Seconds(),
			j.late.Seconds(), j.reads, j.found, callsByAction(j.calls))
	}
	return r, nil
}

const catchUpHeading = "## Lateness of the wait for the replication delay after a resume"

// catchUpLimit is the goal for one catch-up time: the wait sees the delay at
// or below the bound within max(1 s, 15% of the catch-up time).
func catchUpLimit(c time.Duration) time.Duration {
	return max(time.Second, time.Duration(0.15*float64(c)))
}

// catchUpRow is one api and catch-up time over the runs.
type catchUpRow struct {
	api                  string
	nominal              time.Duration
	runs, failures       int            // failures: a failed apply, or no read that saw the bound
	catchUp              float64        // seconds, median
	late, lateLo, lateHi float64        // seconds: median, lowest, highest
	reads                float64        // median
	calls                map[string]int // the calls by action of the job with the median reads
	load                 float64        // median of the runs' 1-minute loads
}

// met says whether the row meets its goal: the median within the limit and
// no run failed.
func (c catchUpRow) met() bool {
	return c.failures == 0 && c.runs > 0 && c.late <= catchUpLimit(c.nominal).Seconds()
}

// readsPerMinute is the reads from the Start to the read that saw the
// bound, per minute of that time.
func (c catchUpRow) readsPerMinute() float64 {
	return c.reads / (c.catchUp + c.late) * 60
}

// catchUpRows gathers the runs by api and catch-up time, in the order they
// first appear.
func catchUpRows(runs []catchUpRun) []catchUpRow {
	type key struct {
		api     string
		nominal time.Duration
	}
	var order []key
	jobs := map[key][]catchUpJob{}
	loads := map[key][]float64{}
	failures := map[key]int{}
	for _, r := range runs {
		for _, j := range r.jobs {
			k := key{r.api, j.nominal}
			if _, ok := loads[k]; !ok {
				order = append(order, k)
			}
			loads[k] = append(loads[k], r.load)
			if r.code != 0 || !j.found {
				failures[k]++
				continue
			}
			jobs[k] = append(jobs[k], j)
		}
	}
	out := make([]catchUpRow, 0, len(order))
	for _, k := range order {
		var catchUp, late, reads []float64
		for _, j := range jobs[k] {
			catchUp, late, reads = append(catchUp, j.catchUp.Seconds()), append(late, j.late.Seconds()), append(reads, float64(j.reads))
		}
		out = append(out, catchUpRow{api: k.api, nominal: k.nominal, runs: len(loads[k]), failures: failures[k],
			catchUp: median(catchUp), late: median(late), lateLo: minOf(late), lateHi: maxOf(late),
			reads: median(reads), load: median(loads[k]), calls: medianBy(jobs[k], func(j catchUpJob) float64 { return float64(j.reads) }).calls})
	}
	return out
}

func (r *report) renderCatchUp(p func(string, ...any)) {
	c := r.catchUp
	if c == nil || len(c.runs) == 0 {
		return
	}
	p("%s\n\n", catchUpHeading)
	r.measured(p, c.span, fmt.Sprintf(" (each row gives the median 1-minute load just before its applies, marked *busy* above %.0f)", busyLoad))
	p("Each run is one `terraform apply` from an empty state of one `dts_synchronization_job_state` per catch-up time, ")
	p("`state = \"Synchronizing\"` with `max_delay_after_resume = %q`, against jobs the fake holds paused ", catchUpBound)
	p("(transition time 0) with a catch-up rate of %g s of delay per second and a delay of %s + %g × the catch-up time, ", catchUpRate, catchUpBound, catchUpRate)
	p("so that apply resumes each one and waits. `batch_status_reads = false`, so that each poll is a single read naming ")
	p("its job in the fake's call log, as in the lateness experiment; %d runs per `api`, and the ", r.opt.catchUpRuns)
	p("figures are medians over them. The waits run on real time. From the call log: *t_s* is the accepted Start; the ")
	p("delay grows with the clock from the moment it was set until *t_s* and then falls at the rate, so it reaches the ")
	p("bound at the *crossing*; *catch-up, measured* is the crossing minus *t_s* (the nominal time plus the time the ")
	p("delay grew before the Start, ÷ the rate). *Late* is the job's last status read (the one whose answer ended the ")
	p("wait) minus the crossing; it can be up to 1/%g s negative where DTS reports the delay in whole seconds. ", catchUpRate)
	p("*Reads* are the job's status reads from the Start to that read; *calls by action* are all the calls naming the job ")
	p("from the Start to that read (the Start included) in the run with the median reads. Target: late ≤ max(1 s, 15%% of the catch-up time), ")
	p("on the median, with no failed apply.\n\n")
	p("| `api` | Catch-up time | Runs | Catch-up, measured | Late (median) | Late (lowest–highest) | Limit | Status reads per job | Reads per minute of waiting | Calls by action | Load (1 min) | Failures | Verdict |\n")
	p("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, row := range catchUpRows(c.runs) {
		p("| `%s` | %s | %d | %s s | %s s | %s–%s s | %s | %.0f | %.1f | %s | %s | %d | %s |\n", row.api, row.nominal, row.runs,
			f3(row.catchUp), f3(row.late), f3(row.lateLo), f3(row.lateHi), catchUpLimit(row.nominal), row.reads,
			row.readsPerMinute(), callsByAction(row.calls), loadCell(row.load), row.failures, yesNo(row.met()))
	}
	p("\nThe wait polls on the schedule of a transition (`pollDelay`, internal/provider/wait.go), counted from the moment ")
	p("it begins (the read that sees the job running again): the next read is due max(750 ms, 12%% of the time waited so ")
	p("far) later and is moved earlier, never later, onto the shared grid; so a crossing is seen within that interval plus ")
	p("the read's own time: the lateness grows with the catch-up time, up to about 12%% of it (at least 750 ms), ")
	p("under the limit while the machine keeps to the schedule.\n\n")
	if fails := failedCatchUpRuns(c.runs); fails != "" {
		p("Failed runs: %s.\n\n", fails)
	}
}

// failedCatchUpRuns lists the runs whose apply failed, with their exit codes.
func failedCatchUpRuns(runs []catchUpRun) string {
	s := ""
	for i, r := range runs {
		if r.code != 0 {
			if s != "" {
				s += "; "
			}
			s += fmt.Sprintf("run %d (`api = %s`) exited %d", i+1, r.api, r.code)
		}
	}
	return s
}
