package main

import (
	"strings"
	"testing"
	"time"
)

// A full report keeps, word for word, the section of an experiment that did
// not run (memo and profile are not in the default set).
func TestRenderKeepsSectionsNotMeasured(t *testing.T) {
	old := "# Benchmarks\n\n" + memoHeading + "\n\nhand-measured figures\n" + profileHeading + "\n\nprofile figures\n\n" + earlierTargetsHeading + "\n"
	r := &report{opt: &options{}, old: []byte(old)}
	got := string(r.render())
	for _, want := range []string{memoHeading + "\n\nhand-measured figures\n\n" + profileHeading + "\n\nprofile figures\n\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
}

func TestMemoVerdictAppliesTheRule(t *testing.T) {
	at := func(calls int) *stateChangeResult {
		var run stateChangeRun
		for range stateChangeSteps {
			run.steps = append(run.steps, tfResult{wall: time.Second})
			run.calls = append(run.calls, map[string]int{"X": calls})
		}
		return &stateChangeResult{sizes: []stateChangeAt{{n: 10, batching: true, runs: []stateChangeRun{run}}}}
	}
	if v := memoVerdict("Memo", at(10), at(11)); !strings.HasPrefix(v, "**Memo: drop.**") {
		t.Errorf("10%% more calls without it: %s; want drop", v)
	}
	if v := memoVerdict("Memo", at(10), at(12)); !strings.HasPrefix(v, "**Memo: keep.**") || !strings.Contains(v, "create apply at N = 10, batching true calls +20%") {
		t.Errorf("20%% more calls without it: %s; want keep, naming the command", v)
	}
	if v := memoVerdict("Memo", at(10), at(5)); !strings.HasPrefix(v, "**Memo: drop.**") || !strings.Contains(v, "Costs less") {
		t.Errorf("half the calls without it: %s; want drop, saying it costs less", v)
	}
}
