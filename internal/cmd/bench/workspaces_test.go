package main

import (
	"strings"
	"testing"
	"time"
)

func TestWorkspacesRunFigures(t *testing.T) {
	w := workspacesRun{quota: 5, k: 4, n: 15, wall: 50 * time.Second, walls: []time.Duration{40 * time.Second, 50 * time.Second},
		accepted: 200, throttled: 30}
	if w.ideal() != 40*time.Second || w.ratio() != 1.25 || w.spread() != 1.25 {
		t.Errorf("ideal %v, ratio %v, spread %v; want 40s, 1.25, 1.25", w.ideal(), w.ratio(), w.spread())
	}
	if got := w.throttledShare(); got < 0.1304 || got > 0.1305 {
		t.Errorf("throttled share %v, want 30/230", got)
	}
	if applies, met := w.judged(); !applies || !met {
		t.Errorf("judged = %v, %v; want the K=4, 5 calls/s goals applied and met", applies, met)
	}
	w.throttled = 40 // 16.7%
	if _, met := w.judged(); met {
		t.Error("a throttled share above 15% met the goal")
	}
	w.k = 8
	if applies, _ := w.judged(); applies {
		t.Error("the goals applied at K=8, where figures are only reported")
	}
}

func TestRenderWorkspacesMarksBusyRows(t *testing.T) {
	r := &report{opt: &options{commandLine: "go run ./internal/cmd/bench -experiments=workspaces"}, machine: machineInfo{cores: 2}}
	r.workspaces = &workspacesResult{runs: []workspacesRun{
		{quota: 5, k: 1, n: 15, load: 0.8, wall: 10 * time.Second, walls: []time.Duration{10 * time.Second}, accepted: 40},
		{quota: 5, k: 4, n: 15, load: 3.5, wall: 40 * time.Second, walls: []time.Duration{40 * time.Second}, accepted: 180, throttled: 10},
	}}
	out := string(r.text(func(p printer) { r.renderWorkspaces(p) }))
	if !strings.HasPrefix(out, workspacesHeading+"\n") {
		t.Errorf("the section does not start with its heading, so -update-section cannot find it:\n%s", out)
	}
	for _, want := range []string{"| 5/s | 1 | 0.80 | 10.0 s | 8.0 s | 1.25 |", "| 5/s | 4 | 3.50 (busy) |", "**met**", "Rows marked *busy*"} {
		if !strings.Contains(out, want) {
			t.Errorf("section lacks %q:\n%s", want, out)
		}
	}
	r.workspaces.runs = r.workspaces.runs[:1]
	if out := string(r.text(func(p printer) { r.renderWorkspaces(p) })); strings.Contains(out, "Rows marked *busy*") {
		t.Errorf("the busy note appears without a busy row:\n%s", out)
	}
}
