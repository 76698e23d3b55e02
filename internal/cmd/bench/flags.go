package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// options are the command-line flags.
type options struct {
	terraform      string
	out            string
	sizes          []int
	runs           int
	largeRuns      int
	largeFrom      int
	shortT         time.Duration
	shortNs        []int
	longT          time.Duration
	longRuns       int
	extraT         []time.Duration
	throttleN      int
	throttleRuns   int
	skipGoBench    bool
	commandLine    string
	transitionMain time.Duration

	experiments  map[string]bool
	quotaN       int
	quotas       []float64
	lateLengths  []time.Duration
	floorSizes   []int
	floorRuns    int
	rssSizes     []int
	timeProvider string

	familySizes          []int
	familyRuns           int
	updateSection        bool
	workspaceKs          []int
	workspaceQuotas      []float64
	workspaceN           int
	catchUpTimes         []time.Duration
	catchUpRuns          int
	catchUpAPIs          []string
	stateChangeSizes     []int
	stateChangeRuns      int
	stateChangeUnbatched bool
	profileN             int
	profileRuns          int
	profileDir           string
}

func parseFlags(args []string) (*options, error) {
	o := &options{sizes: []int{1, 10, 100, 500}, shortNs: []int{1, 10}, extraT: []time.Duration{17 * time.Second},
		quotas: []float64{40, 10, 2}, floorSizes: []int{1, 10, 100, 500}, rssSizes: []int{500, 2000},
		familySizes: []int{10, 100, 500}, workspaceKs: []int{1, 2, 4, 8}, workspaceQuotas: []float64{5, 20},
		catchUpTimes: []time.Duration{5 * time.Second, 30 * time.Second, 120 * time.Second}, catchUpAPIs: []string{"auto"}, stateChangeSizes: []int{10, 100, 500},
		lateLengths: []time.Duration{2 * time.Second, 5 * time.Second, 17 * time.Second, 60 * time.Second, 300 * time.Second}}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.StringVar(&o.terraform, "terraform", "", "Terraform CLI (default: what scripts/terraform-cli.sh prints)")
	fs.StringVar(&o.out, "out", "BENCHMARKS.md", "report to write")
	experiments := fs.String("experiments", defaultExperiments, "experiments to run, comma-separated, of "+strings.Join(experimentNames(), ","))
	fs.BoolVar(&o.updateSection, "update-section", false,
		"with one of -experiments="+strings.Join(sectionNames(), ",")+": replace only that experiment's section of -out, keeping the rest of the file")
	fs.BoolVar(&o.skipGoBench, "skip-go-bench", false, "do not run the Go benchmarks of internal/dtsclient")

	// The plan/apply table and the latency and throttling experiments (scale.go, latency.go, throttle.go).
	fs.Var(list(&o.sizes, positiveInt), "sizes", "resource counts for the plan/apply table")
	fs.IntVar(&o.runs, "runs", 3, "runs per size")
	fs.IntVar(&o.largeRuns, "large-runs", 3, "runs for sizes >= -large-from")
	fs.IntVar(&o.largeFrom, "large-from", 500, "size from which -large-runs applies")
	fs.DurationVar(&o.transitionMain, "transition", 0, "the fake's transition time for the plan/apply table")
	fs.DurationVar(&o.shortT, "short-transition", 2*time.Second, "transition time of the short latency experiment")
	fs.Var(list(&o.shortNs, positiveInt), "short-sizes", "resource counts of the short latency experiment")
	fs.DurationVar(&o.longT, "long-transition", 60*time.Second, "transition time of the long latency experiment (N=1)")
	fs.IntVar(&o.longRuns, "long-runs", 3, "runs of the long latency experiment")
	fs.Var(list(&o.extraT, positiveDuration), "extra-transitions", "more transition times to measure at N=1 (-runs runs each), reported but not judged")
	fs.IntVar(&o.throttleN, "throttle-n", 0, "resources in the throttling experiment (default 200 when it runs)")
	fs.IntVar(&o.throttleRuns, "throttle-runs", 3, "runs of the throttling experiment")

	// Pacing, calls per job, lateness, floors and RSS (quota.go, calls.go, lateness.go, floors.go, rss.go).
	fs.IntVar(&o.quotaN, "quota-n", 100, "resources in the quota experiment")
	fs.Var(list(&o.quotas, positiveFloat), "quotas", "the fake's quotas (calls/s) of the quota experiment")
	fs.Var(list(&o.lateLengths, positiveDuration), "late-transitions", "transition times of the lateness experiment (one apply; the longest sets its time)")
	fs.Var(list(&o.floorSizes, positiveInt), "floor-sizes", "resource counts of the plan-beside-floors experiment")
	fs.IntVar(&o.floorRuns, "floor-runs", 3, "plans per size in the floors experiment (medians reported)")
	fs.Var(list(&o.rssSizes, positiveInt), "rss-sizes", "resource counts of the peak RSS experiment")
	fs.StringVar(&o.timeProvider, "time-provider", filepath.Join(userCache(), "terraform-provider-dts", "tools", "terraform-provider-time"),
		"terraform-provider-time v0.14.2 binary for the floors experiment")

	// Refresh calls by family (families.go) and runs sharing one quota (workspaces.go).
	fs.Var(list(&o.familySizes, positiveInt), "family-sizes", "resource counts of the families experiment (refresh calls per job by api)")
	fs.IntVar(&o.familyRuns, "family-runs", 3, "plans per api and size in the families experiment")
	fs.Var(list(&o.workspaceKs, positiveInt), "workspace-runs", "numbers of runs at once (K) of the workspaces experiment")
	fs.Var(list(&o.workspaceQuotas, positiveFloat), "workspace-quotas", "the fake's account quotas (calls/s) of the workspaces experiment")
	fs.IntVar(&o.workspaceN, "workspace-n", 15, "jobs each run of the workspaces experiment pauses")

	// The wait for the replication delay after a resume (catchup.go).
	fs.Var(list(&o.catchUpTimes, positiveDuration), "catchup-times", "catch-up times of the catchup experiment (one apply; the longest sets its time)")
	fs.IntVar(&o.catchUpRuns, "catchup-runs", 3, "applies per api in the catchup experiment (medians reported)")
	fs.Var(list(&o.catchUpAPIs, apiName), "catchup-apis", "api values of the catchup experiment, of "+strings.Join(familyAPIs, ","))

	// Creates, then a change of state of every resource (statechange.go; memo.go with three builds).
	fs.Var(list(&o.stateChangeSizes, positiveInt), "statechange-sizes", "resource counts of the statechange experiment")
	fs.IntVar(&o.stateChangeRuns, "statechange-runs", 3, "runs per size in the statechange experiment (medians reported)")
	fs.BoolVar(&o.stateChangeUnbatched, "statechange-unbatched", false, "also measure the statechange experiment with batch_status_reads = false (memo always does)")
	// Where a plan's time goes, profiled (profile.go).
	fs.IntVar(&o.profileN, "profile-n", 500, "resources in the profile experiment")
	fs.IntVar(&o.profileRuns, "profile-runs", 3, "unprofiled plans (with refresh, and with -refresh=false) of the profile experiment, before the profiled one")
	fs.StringVar(&o.profileDir, "profile-dir", filepath.Join(".cache", "bench-profile"),
		"where the profile experiment writes its CPU, blocking and mutex profiles (under the repository root unless absolute)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if err := o.setExperiments(*experiments); err != nil {
		return nil, err
	}
	o.commandLine = strings.Join(append([]string{"go run ./internal/cmd/bench"}, args...), " ")
	return o, o.check()
}

// setExperiments reads -experiments (and -skip-go-bench).
func (o *options) setExperiments(names string) error {
	o.experiments = map[string]bool{}
	for _, e := range strings.Split(names, ",") {
		if e = strings.TrimSpace(e); e == "" {
			continue
		}
		if !slices.Contains(experimentNames(), e) {
			return fmt.Errorf("-experiments: unknown %q (known: %s)", e, strings.Join(experimentNames(), ","))
		}
		o.experiments[e] = true
	}
	if o.skipGoBench {
		delete(o.experiments, "gobench")
	}
	if o.experiments["throttle"] && o.throttleN == 0 {
		o.throttleN = 200
	}
	return nil
}

// check rejects flag values that cannot measure anything.
func (o *options) check() error {
	switch {
	case o.familyRuns < 1:
		return errors.New("-family-runs must be positive")
	case o.runs < 1 || o.largeRuns < 1 || o.longRuns < 0 || o.throttleRuns < 0:
		return errors.New("run counts must be positive (-long-runs and -throttle-runs may be 0 to skip)")
	case o.workspaceN < 1:
		return errors.New("-workspace-n must be positive")
	case o.catchUpRuns < 1:
		return errors.New("-catchup-runs must be positive")
	case o.stateChangeRuns < 1:
		return errors.New("-statechange-runs must be positive")
	case o.profileN < 1 || o.profileRuns < 1:
		return errors.New("-profile-n and -profile-runs must be positive")
	case o.updateSection && (len(o.experiments) != 1 || !slices.ContainsFunc(sectionNames(), func(e string) bool { return o.experiments[e] })):
		return fmt.Errorf("-update-section writes one experiment's section: give it with one of -experiments=%s", strings.Join(sectionNames(), ","))
	}
	return nil
}

// listFlag is a comma-separated flag value; setting it replaces the default.
type listFlag[T any] struct {
	dst   *[]T
	parse func(string) (T, error)
}

func list[T any](dst *[]T, parse func(string) (T, error)) listFlag[T] {
	return listFlag[T]{dst: dst, parse: parse}
}

func (l listFlag[T]) String() string {
	if l.dst == nil {
		return ""
	}
	parts := make([]string, 0, len(*l.dst))
	for _, v := range *l.dst {
		parts = append(parts, fmt.Sprint(v))
	}
	return strings.Join(parts, ",")
}

func (l listFlag[T]) Set(s string) error {
	*l.dst = nil
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		v, err := l.parse(f)
		if err != nil {
			return err
		}
		*l.dst = append(*l.dst, v)
	}
	return nil
}

func positiveInt(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%q is not a positive integer", s)
	}
	return n, nil
}

func positiveFloat(s string) (float64, error) {
	q, err := strconv.ParseFloat(s, 64)
	if err != nil || q <= 0 {
		return 0, fmt.Errorf("%q is not a positive number", s)
	}
	return q, nil
}

func apiName(s string) (string, error) {
	if !slices.Contains(familyAPIs, s) {
		return "", fmt.Errorf("%q is not an api value (known: %s)", s, strings.Join(familyAPIs, ","))
	}
	return s, nil
}

func positiveDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a positive duration", s)
	}
	return d, nil
}

func userCache() string {
	if d, err := os.UserCacheDir(); err == nil {
		return d
	}
	return os.TempDir()
}
