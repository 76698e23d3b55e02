package main

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseFlagsDefaults(t *testing.T) {
	o, err := parseFlags(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range strings.Split(defaultExperiments, ",") {
		if !o.experiments[e] {
			t.Errorf("default experiment %s is not selected", e)
		}
	}
	if !slices.Equal(o.workspaceKs, []int{1, 2, 4, 8}) || !slices.Equal(o.workspaceQuotas, []float64{5, 20}) || o.workspaceN != 15 {
		t.Errorf("workspaces defaults: K %v, quotas %v, N %d", o.workspaceKs, o.workspaceQuotas, o.workspaceN)
	}
	if !slices.Equal(o.lateLengths, []time.Duration{2 * time.Second, 5 * time.Second, 17 * time.Second, time.Minute, 5 * time.Minute}) {
		t.Errorf("late-transitions default: %v", o.lateLengths)
	}
}

func TestParseFlagsLists(t *testing.T) {
	o, err := parseFlags([]string{"-experiments=workspaces,throttle", "-workspace-runs=2, 4", "-quotas=7.5", "-sizes=3"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(o.workspaceKs, []int{2, 4}) || !slices.Equal(o.quotas, []float64{7.5}) || !slices.Equal(o.sizes, []int{3}) {
		t.Errorf("a list flag did not replace its default: K %v, quotas %v, sizes %v", o.workspaceKs, o.quotas, o.sizes)
	}
	if o.throttleN != 200 || len(o.experiments) != 2 {
		t.Errorf("experiments %v, throttle-n %d; want two experiments and the throttle default of 200", o.experiments, o.throttleN)
	}
	if !strings.HasSuffix(o.commandLine, "-sizes=3") {
		t.Errorf("command line %q does not show the flags", o.commandLine)
	}
}

func TestParseFlagsRejects(t *testing.T) {
	for args, want := range map[string]string{
		"-experiments=nope":                  `unknown "nope"`,
		"-sizes=0":                           "not a positive integer",
		"-workspace-quotas=fast":             "not a positive number",
		"-late-transitions=-1s":              "not a positive duration",
		"-update-section":                    "-update-section writes one experiment's section",
		"-update-section -experiments=calls": "-update-section writes one experiment's section",
		"-runs=0":                            "run counts must be positive",
		"-workspace-n=0":                     "-workspace-n must be positive",
	} {
		_, err := parseFlags(strings.Fields(args))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("parseFlags(%s) = %v, want an error saying %q", args, err, want)
		}
	}
	for _, e := range []string{"families", "workspaces"} {
		if _, err := parseFlags([]string{"-update-section", "-experiments=" + e}); err != nil {
			t.Errorf("-update-section with -experiments=%s: %v", e, err)
		}
	}
}
