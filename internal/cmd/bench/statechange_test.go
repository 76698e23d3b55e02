package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// The change of state is a variable of the configuration workdir writes:
// without it the change plan would show no change.
func TestStateChangeConfigMakesStateAVariable(t *testing.T) {
	b := &bench{tmp: t.TempDir(), fake: fakedts.New(fakedts.Options{}), cred: fakedts.DefaultCredential()}
	dir, err := b.workdir("w", 3, tfConfig{state: "var.state"})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := os.ReadFile(filepath.Join(dir, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	got := string(cfg)
	if strings.Contains(got, `"Suspended"`) || !strings.Contains(got, "= var.state") || !strings.Contains(got, `variable "state"`) {
		t.Errorf("state is not the variable state:\n%s", got)
	}
}

func TestStateChangeMedians(t *testing.T) {
	run := func(calls int, wall time.Duration) stateChangeRun {
		var run stateChangeRun
		for i := range stateChangeSteps {
			run.steps = append(run.steps, tfResult{wall: wall})
			run.calls = append(run.calls, map[string]int{"X": calls + i})
		}
		return run
	}
	r := stateChangeAt{n: 10, runs: []stateChangeRun{run(30, 3*time.Second), run(10, time.Second), run(20, 5*time.Second)}}
	if got := r.stepCallsPerJob(1); got != 2.1 {
		t.Errorf("calls per job of step 1 = %v, want the median 21/10", got)
	}
	if got := r.stepMedianCalls(0)["X"]; got != 20 {
		t.Errorf("median run's calls = %d, want 20", got)
	}
	if got := r.stepWall(2); got != 3 {
		t.Errorf("median wall = %v, want 3", got)
	}
}
