package main

import (
	"strings"
	"testing"
	"time"

	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

func TestCatchUpDelayCrossesAfterTheCatchUpTime(t *testing.T) {
	set := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []time.Duration{5 * time.Second, 30 * time.Second, 2 * time.Minute} {
		d0 := catchUpDelay(c)
		if got := crossing(set, d0, set).Sub(set); got != c {
			t.Errorf("resumed as the delay is set: crossing %v after the Start, want %v", got, c)
		}
		// The delay grows for the 2 s before the Start: 2 s more to work
		// off at the rate.
		start := set.Add(2 * time.Second)
		want := c + time.Duration(float64(2*time.Second)/catchUpRate)
		if got := crossing(set, d0, start).Sub(start); got != want {
			t.Errorf("resumed 2 s after the delay is set: crossing %v after the Start, want %v", got, want)
		}
	}
	if got := crossing(set, 5*time.Second, set.Add(time.Second)); !got.Equal(set.Add(time.Second)) {
		t.Errorf("a delay already under the bound crosses at %v, want at the Start", got)
	}
}

func TestMeasureCatchUpFromTheCallLog(t *testing.T) {
	set := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(ms int) time.Time { return set.Add(time.Duration(ms) * time.Millisecond) }
	call := func(ms int, job, action string) fakedts.Call {
		return fakedts.Call{Time: at(ms), JobID: job, Action: action, Stage: fakedts.StageAction, HTTPStatus: 200}
	}
	const job = "dtsbench000000"
	// Start 1 s after the delay of 5 s's catch-up was set: the crossing is
	// at 1 s + 5 s + 1 s ÷ 20 = 6.05 s.
	log := []fakedts.Call{
		call(500, job, "DescribeDtsJobDetail"), // plan-time read, before the Start
		call(1000, job, "StartDtsJob"),
		call(1200, "dtsbench000001", "DescribeDtsJobs"), // another job's read
		call(1500, job, "DescribeDtsJobs"),
		call(4000, job, "DescribeDtsJobs"),
		{Time: at(5000), JobID: job, Action: "DescribeDtsJobs", Stage: fakedts.StageAuth, HTTPStatus: 400}, // refused, not a read
		call(6800, job, "DescribeDtsJobs"),
	}
	got := measureCatchUp(log, job, 5*time.Second, set, catchUpDelay(5*time.Second))
	if !got.found || got.catchUp != 5050*time.Millisecond || got.late != 750*time.Millisecond || got.reads != 3 {
		t.Errorf("measured %+v; want found, catch-up 5.05 s, late 0.75 s, 3 reads", got)
	}
	if got.calls["StartDtsJob"] != 1 || got.calls["DescribeDtsJobs"] != 4 || got.calls["DescribeDtsJobDetail"] != 0 {
		t.Errorf("calls by action %v; want the Start and the 4 reads from it on (one refused), not the plan's read", got.calls)
	}
	// A wait that ended well before the delay could show the bound did not
	// see it; a read 1/rate early may have (whole seconds).
	early := append(log[:len(log)-1:len(log)-1], call(5950, job, "DescribeDtsJobs"))
	if m := measureCatchUp(early, job, 5*time.Second, set, catchUpDelay(5*time.Second)); m.found {
		t.Errorf("a last read 100 ms before the crossing counted as seeing it: %+v", m)
	}
	early[len(early)-1] = call(6010, job, "DescribeDtsJobs")
	if m := measureCatchUp(early, job, 5*time.Second, set, catchUpDelay(5*time.Second)); !m.found || m.late != -40*time.Millisecond {
		t.Errorf("a last read 40 ms before the crossing: %+v; want found, late -0.04 s", m)
	}
	if m := measureCatchUp(log[:1], job, 5*time.Second, set, catchUpDelay(5*time.Second)); m.found {
		t.Errorf("a log without the Start measured %+v", m)
	}
}

func TestCatchUpRowsJudgeTheMedian(t *testing.T) {
	if catchUpLimit(5*time.Second) != time.Second || catchUpLimit(2*time.Minute) != 18*time.Second {
		t.Errorf("limits %v, %v; want 1s, 18s", catchUpLimit(5*time.Second), catchUpLimit(2*time.Minute))
	}
	j := func(c time.Duration, late float64, reads int) catchUpJob {
		return catchUpJob{nominal: c, catchUp: c, late: time.Duration(late * float64(time.Second)), reads: reads, found: true}
	}
	runs := []catchUpRun{
		{api: "auto", load: 1, jobs: []catchUpJob{j(5*time.Second, 0.4, 9), j(30*time.Second, 3, 27)}},
		{api: "auto", load: 3, jobs: []catchUpJob{j(5*time.Second, 1.5, 10), j(30*time.Second, 5, 28)}},
		{api: "auto", load: 2, jobs: []catchUpJob{j(5*time.Second, 0.6, 11), {nominal: 30 * time.Second}}},
	}
	rows := catchUpRows(runs)
	if len(rows) != 2 {
		t.Fatalf("%d rows, want one per catch-up time", len(rows))
	}
	five, thirty := rows[0], rows[1]
	if five.runs != 3 || five.late != 0.6 || five.lateLo != 0.4 || five.lateHi != 1.5 || five.reads != 10 || five.load != 2 || !five.met() {
		t.Errorf("5 s row %+v; want 3 runs, late 0.6 (0.4–1.5), 10 reads, load 2, met", five)
	}
	if thirty.failures != 1 || thirty.late != 4 || thirty.met() {
		t.Errorf("30 s row %+v; want 1 failure (no read seen), late 4, not met", thirty)
	}
}

func TestRenderCatchUpIsASection(t *testing.T) {
	o, err := parseFlags([]string{"-update-section", "-experiments=catchup", "-catchup-times=5s"})
	if err != nil {
		t.Fatalf("-update-section -experiments=catchup: %v", err)
	}
	r := &report{opt: o, machine: machineInfo{cores: 2}, catchUp: &catchUpResult{runs: []catchUpRun{
		{api: "auto", load: 0.5, jobs: []catchUpJob{{nominal: 5 * time.Second, catchUp: 5 * time.Second, late: 300 * time.Millisecond,
			reads: 9, found: true, calls: map[string]int{"StartDtsJob": 1, "DescribeDtsJobs": 9}}}}}}}
	out := string(r.text(func(p printer) { r.renderCatchUp(p) }))
	if !strings.HasPrefix(out, catchUpHeading+"\n") {
		t.Errorf("the section does not start with its heading, so -update-section cannot find it:\n%s", out)
	}
	if want := "| `auto` | 5s | 1 | 5.000 s | 0.300 s | 0.300–0.300 s | 1s | 9 | 101.9 | DescribeDtsJobs × 9, StartDtsJob × 1 | 0.50 | 0 | **met** |"; !strings.Contains(out, want) {
		t.Errorf("section lacks the row %q:\n%s", want, out)
	}
	if _, err := parseFlags([]string{"-catchup-apis=legacy"}); err == nil || !strings.Contains(err.Error(), "not an api value") {
		t.Errorf("-catchup-apis=legacy: %v, want an error naming the api values", err)
	}
}
