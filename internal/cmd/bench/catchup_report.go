package main

import (
	"fmt"
	"slices"
	"time"
)

// catchUpHeading opens the catchup experiment's section of BENCHMARKS.md;
// -update-section replaces only that section.
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
			catchUp: median(catchUp), late: median(late), lateLo: minOf(late), lateHi: maxOf(late, func(v float64) float64 { return v }),
			reads: median(reads), load: median(loads[k]), calls: medianCalls(jobs[k])})
	}
	return out
}

// medianCalls is the calls by action of the job with the median reads (the
// lower of the two middle ones for an even count).
func medianCalls(jobs []catchUpJob) map[string]int {
	if len(jobs) == 0 {
		return nil
	}
	s := slices.Clone(jobs)
	slices.SortStableFunc(s, func(a, b catchUpJob) int { return a.reads - b.reads })
	return s[(len(s)-1)/2].calls
}

// renderCatchUp writes the catchup experiment's section, headed by
// catchUpHeading, self-contained so it can replace its copy in an older report.
func (r *report) renderCatchUp(p func(string, ...any)) {
	c := r.catchUp
	if c == nil || len(c.runs) == 0 {
		return
	}
	m := r.machine
	p("%s\n\n", catchUpHeading)
	p("Measured %s (commit %s) with `%s`; load average (1/5/15 min) %s before the experiment and %s after it, on %d cores ",
		m.date, m.commit, r.opt.commandLine, c.loadStart, c.loadEnd, m.cores)
	p("(each row gives the median 1-minute load just before its applies, marked *busy* above %.0f). ", busyLoad)
	p("The experiment took %s.\n\n", c.wall.Round(time.Second))
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
		load := f2(row.load)
		if row.load > busyLoad {
			load += " (busy)"
		}
		p("| `%s` | %s | %d | %s s | %s s | %s–%s s | %s | %.0f | %.1f | %s | %s | %d | %s |\n", row.api, row.nominal, row.runs,
			f3(row.catchUp), f3(row.late), f3(row.lateLo), f3(row.lateHi), catchUpLimit(row.nominal), row.reads,
			row.readsPerMinute(), callsByAction(row.calls), load, row.failures, yesNo(row.met()))
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
