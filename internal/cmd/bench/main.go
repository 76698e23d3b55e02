// Command bench measures the provider with the real Terraform CLI against the
// fake DTS endpoint and writes BENCHMARKS.md (make bench). It reports; it
// never fails because something is slow. It exits non-zero only when it
// cannot measure (a build fails, the fake cannot start, and so on).
//
// The fake runs in this process (package fakedts), so its call log is read
// through the Go API. Terraform uses the locally built provider through a
// dev_overrides CLI configuration; the override points at this program under
// the name terraform-provider-dts, which runs the real provider as a child and
// records the child's peak resident memory (wait4 rusage ru_maxrss).
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

const (
	wrapperName     = "terraform-provider-dts"
	envRealProvider = "DTS_BENCH_REAL_PROVIDER"
	envRSSFile      = "DTS_BENCH_RSS_FILE"
	jobIDFormat     = "dtsbench%06d"
	parallelism     = 10
	throttleRate    = 40.0

	actDescribe     = "DescribeSynchronizationJobStatus"
	actDescribeList = "DescribeSynchronizationJobStatusList"
	actSuspend      = "SuspendSynchronizationJob"
	actStart        = "StartSynchronizationJob"

	// benchAPI is the provider's default api value in the configuration the
	// experiments write: the legacy family, whose action names the older
	// experiments' latency and call tables use. The newer experiments set api
	// on the command line (-var=api=...).
	benchAPI = "synchronization_job"
)

func main() {
	if filepath.Base(os.Args[0]) == wrapperName {
		os.Exit(runWrapper())
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// runWrapper runs the real provider with this process's arguments and
// standard streams, then appends the provider's peak RSS (KiB) to the file
// named by DTS_BENCH_RSS_FILE.
func runWrapper() int {
	providerBin := os.Getenv(envRealProvider)
	if providerBin == "" {
		fmt.Fprintln(os.Stderr, "bench wrapper: "+envRealProvider+" is not set")
		return 1
	}
	cmd := exec.Command(providerBin, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "bench wrapper:", err)
		return 1
	}
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s)
		}
	}()
	err := cmd.Wait()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		if f, ferr := os.OpenFile(os.Getenv(envRSSFile), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600); ferr == nil {
			_, _ = fmt.Fprintf(f, "%d\n", ru.Maxrss)
			_ = f.Close()
		}
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return 1
	}
	return 0
}

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

	// Issue 14's experiments (issue14.go).
	experiments  map[string]bool
	quotaN       int
	quotas       []float64
	lateLengths  []time.Duration
	floorSizes   []int
	floorRuns    int
	rssSizes     []int
	timeProvider string

	// Issue 16's families experiment (families.go).
	familySizes   []int
	familyRuns    int
	updateSection bool

	// The workspaces experiment (workspaces.go).
	workspaceKs     []int
	workspaceQuotas []float64
	workspaceN      int
}

// allExperiments are the names -experiments takes, in the order they run.
var allExperiments = []string{"calls", "families", "scale", "quota", "lateness", "floors", "rss", "latency", "throttle", "gobench", "workspaces"}

// defaultExperiments are those of a full `make bench`. scale, latency and
// throttle are the older experiments (issue 11, in the legacy family), kept
// runnable by name.
const defaultExperiments = "calls,families,quota,lateness,floors,rss,workspaces"

func parseFlags() (*options, error) {
	o := &options{}
	var sizes, shortNs, extraT string
	flag.StringVar(&o.terraform, "terraform", "", "Terraform CLI (default: what scripts/terraform-cli.sh prints)")
	flag.StringVar(&o.out, "out", "BENCHMARKS.md", "report to write")
	flag.StringVar(&sizes, "sizes", "1,10,100,500", "resource counts for the plan/apply table")
	flag.IntVar(&o.runs, "runs", 3, "runs per size")
	flag.IntVar(&o.largeRuns, "large-runs", 3, "runs for sizes >= -large-from")
	flag.IntVar(&o.largeFrom, "large-from", 500, "size from which -large-runs applies")
	flag.DurationVar(&o.transitionMain, "transition", 0, "the fake's transition time for the plan/apply table")
	flag.DurationVar(&o.shortT, "short-transition", 2*time.Second, "transition time of the short latency experiment")
	flag.StringVar(&shortNs, "short-sizes", "1,10", "resource counts of the short latency experiment")
	flag.DurationVar(&o.longT, "long-transition", 60*time.Second, "transition time of the long latency experiment (N=1)")
	flag.IntVar(&o.longRuns, "long-runs", 3, "runs of the long latency experiment")
	flag.StringVar(&extraT, "extra-transitions", "17s", "more transition times to measure at N=1 (-runs runs each), reported but not judged")
	flag.IntVar(&o.throttleN, "throttle-n", 0, "resources in the throttling experiment (default 200 when it runs)")
	flag.IntVar(&o.throttleRuns, "throttle-runs", 3, "runs of the throttling experiment")
	flag.BoolVar(&o.skipGoBench, "skip-go-bench", false, "do not run the Go benchmarks of internal/dtsclient")
	var experiments, quotas, lateLengths, floorSizes, rssSizes, familySizes string
	flag.StringVar(&experiments, "experiments", defaultExperiments, "experiments to run, comma-separated, of "+strings.Join(allExperiments, ","))
	flag.IntVar(&o.quotaN, "quota-n", 100, "resources in the quota experiment")
	flag.StringVar(&quotas, "quotas", "40,10,2", "the fake's quotas (calls/s) of the quota experiment")
	flag.StringVar(&lateLengths, "late-transitions", "2s,5s,17s,60s,300s", "transition times of the lateness experiment (one apply; the longest sets its time)")
	flag.StringVar(&floorSizes, "floor-sizes", "1,10,100,500", "resource counts of the plan-beside-floors experiment")
	flag.IntVar(&o.floorRuns, "floor-runs", 3, "plans per size in the floors experiment (medians reported)")
	flag.StringVar(&rssSizes, "rss-sizes", "500,2000", "resource counts of the peak RSS experiment")
	flag.StringVar(&familySizes, "family-sizes", "10,100,500", "resource counts of the families experiment (refresh calls per job by api)")
	flag.IntVar(&o.familyRuns, "family-runs", 3, "plans per api and size in the families experiment")
	var workspaceKs, workspaceQuotas string
	flag.StringVar(&workspaceKs, "workspace-runs", "1,2,4,8", "numbers of runs at once (K) of the workspaces experiment")
	flag.StringVar(&workspaceQuotas, "workspace-quotas", "5,20", "the fake's account quotas (calls/s) of the workspaces experiment")
	flag.IntVar(&o.workspaceN, "workspace-n", 15, "jobs each run of the workspaces experiment pauses")
	flag.BoolVar(&o.updateSection, "update-section", false,
		"with -experiments=families or -experiments=workspaces: replace only that experiment's section of -out, keeping the rest of the file")
	flag.StringVar(&o.timeProvider, "time-provider", filepath.Join(userCache(), "terraform-provider-dts", "tools", "terraform-provider-time"),
		"terraform-provider-time v0.14.2 binary for the floors experiment")
	flag.Parse()
	o.experiments = map[string]bool{}
	defer func() {
		if o.experiments["throttle"] && o.throttleN == 0 {
			o.throttleN = 200
		}
	}()
	for _, e := range strings.Split(experiments, ",") {
		if e = strings.TrimSpace(e); e == "" {
			continue
		}
		if !slices.Contains(allExperiments, e) {
			return nil, fmt.Errorf("-experiments: unknown %q (known: %s)", e, strings.Join(allExperiments, ","))
		}
		o.experiments[e] = true
	}
	if o.skipGoBench {
		delete(o.experiments, "gobench")
	}
	for _, f := range strings.Split(quotas, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		q, err := strconv.ParseFloat(f, 64)
		if err != nil || q <= 0 {
			return nil, fmt.Errorf("-quotas: %q is not a positive number", f)
		}
		o.quotas = append(o.quotas, q)
	}
	for _, f := range strings.Split(lateLengths, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		d, err := time.ParseDuration(f)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("-late-transitions: %q is not a positive duration", f)
		}
		o.lateLengths = append(o.lateLengths, d)
	}
	var err error
	if o.sizes, err = parseInts(sizes); err != nil {
		return nil, fmt.Errorf("-sizes: %w", err)
	}
	if o.shortNs, err = parseInts(shortNs); err != nil {
		return nil, fmt.Errorf("-short-sizes: %w", err)
	}
	if o.floorSizes, err = parseInts(floorSizes); err != nil {
		return nil, fmt.Errorf("-floor-sizes: %w", err)
	}
	if o.rssSizes, err = parseInts(rssSizes); err != nil {
		return nil, fmt.Errorf("-rss-sizes: %w", err)
	}
	if o.familySizes, err = parseInts(familySizes); err != nil {
		return nil, fmt.Errorf("-family-sizes: %w", err)
	}
	if o.familyRuns < 1 {
		return nil, errors.New("-family-runs must be positive")
	}
	if o.workspaceKs, err = parseInts(workspaceKs); err != nil {
		return nil, fmt.Errorf("-workspace-runs: %w", err)
	}
	for _, f := range strings.Split(workspaceQuotas, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		q, err := strconv.ParseFloat(f, 64)
		if err != nil || q <= 0 {
			return nil, fmt.Errorf("-workspace-quotas: %q is not a positive number", f)
		}
		o.workspaceQuotas = append(o.workspaceQuotas, q)
	}
	if o.updateSection && (len(o.experiments) != 1 || !o.experiments["families"] && !o.experiments["workspaces"]) {
		return nil, errors.New("-update-section writes one experiment's section: give it with -experiments=families or -experiments=workspaces")
	}
	for _, f := range strings.Split(extraT, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		d, err := time.ParseDuration(f)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("-extra-transitions: %q is not a positive duration", f)
		}
		o.extraT = append(o.extraT, d)
	}
	if o.runs < 1 || o.largeRuns < 1 || o.longRuns < 0 || o.throttleRuns < 0 {
		return nil, errors.New("run counts must be positive (-long-runs and -throttle-runs may be 0 to skip)")
	}
	o.commandLine = strings.Join(append([]string{"go run ./internal/cmd/bench"}, os.Args[1:]...), " ")
	return o, nil
}

func userCache() string {
	if d, err := os.UserCacheDir(); err == nil {
		return d
	}
	return os.TempDir()
}

func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a positive integer", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// bench holds what every measurement needs.
type bench struct {
	opt       *options
	root      string
	tmp       string
	terraform string
	tfVersion string
	fake      *fakedts.Server
	cred      fakedts.Credential
	maxJobs   int
	rssFile   string
	loads     []float64
	dtsRC     string
	floorRC   string
	timeRC    string
	started   time.Time
}

func run() error {
	opt, err := parseFlags()
	if err != nil {
		return err
	}
	b := &bench{opt: opt, started: time.Now()}
	if b.root, err = repoRoot(); err != nil {
		return err
	}
	if b.tmp, err = os.MkdirTemp("", "dts-bench-"); err != nil {
		return err
	}
	defer os.RemoveAll(b.tmp)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if err := b.setup(ctx); err != nil {
		return err
	}
	defer b.fake.Close()

	rep := &report{opt: opt, machine: b.machine(ctx), maxJobs: b.maxJobs}
	rep.machine.loadStart = loadAvg()

	ex := opt.experiments
	if ex["scale"] {
		for _, n := range opt.sizes {
			runs := opt.runs
			if n >= opt.largeFrom {
				runs = opt.largeRuns
			}
			s, err := b.scale(ctx, n, runs)
			if err != nil {
				return err
			}
			rep.scale = append(rep.scale, s)
		}
	}
	if ex["calls"] {
		for _, n := range opt.sizes {
			c, err := b.calls(ctx, n, opt.runs)
			if err != nil {
				return err
			}
			rep.calls = append(rep.calls, c)
		}
	}
	if ex["families"] {
		f, err := b.families(ctx, opt.familySizes, opt.familyRuns)
		if err != nil {
			return err
		}
		rep.families = &f
	}
	if ex["quota"] {
		q, err := b.quotas(ctx, opt.quotaN, opt.quotas)
		if err != nil {
			return err
		}
		rep.quota = q
	}
	if ex["lateness"] {
		l, wall, err := b.lateness(ctx, opt.lateLengths)
		if err != nil {
			return err
		}
		rep.late, rep.lateWall = l, wall
	}
	if ex["floors"] {
		if err := b.setupTime(); err != nil {
			return err
		}
		for _, n := range opt.floorSizes {
			f, err := b.floors(ctx, n, opt.floorRuns)
			if err != nil {
				return err
			}
			rep.floors = append(rep.floors, f)
		}
	}
	if ex["rss"] {
		for _, n := range opt.rssSizes {
			r, err := b.rssAt(ctx, n)
			if err != nil {
				return err
			}
			rep.rss = append(rep.rss, r)
		}
	}
	if ex["latency"] {
		for _, n := range opt.shortNs {
			l, err := b.latency(ctx, opt.shortT, n, opt.runs)
			if err != nil {
				return err
			}
			rep.latency = append(rep.latency, l)
		}
		for _, t := range opt.extraT {
			l, err := b.latency(ctx, t, 1, opt.runs)
			if err != nil {
				return err
			}
			rep.latency = append(rep.latency, l)
		}
		if opt.longRuns > 0 {
			l, err := b.latency(ctx, opt.longT, 1, opt.longRuns)
			if err != nil {
				return err
			}
			rep.latency = append(rep.latency, l)
		}
	}
	if ex["throttle"] && opt.throttleRuns > 0 {
		t, err := b.throttle(ctx, opt.throttleN, opt.throttleRuns)
		if err != nil {
			return err
		}
		rep.throttle = &t
	}
	if ex["workspaces"] {
		w, err := b.workspaces(ctx, opt.workspaceQuotas, opt.workspaceKs, opt.workspaceN)
		if err != nil {
			return err
		}
		rep.workspaces = w
	}
	if ex["gobench"] {
		b.progress("go test -bench ./internal/dtsclient/")
		rep.goBench, rep.goBenchCmd = b.goBench(ctx)
	}
	rep.machine.loadEnd = loadAvg()
	rep.machine.loads = b.loads
	rep.elapsed = time.Since(b.started)

	out := filepath.Join(b.root, opt.out)
	if filepath.IsAbs(opt.out) {
		out = opt.out
	}
	doc := rep.render()
	if opt.updateSection {
		old, err := os.ReadFile(out)
		if err != nil {
			return fmt.Errorf("-update-section: %w", err)
		}
		render := rep.renderFamilies
		if opt.experiments["workspaces"] {
			render = rep.renderWorkspaces
		}
		doc = spliceSection(old, rep.section(render))
	}
	if err := os.WriteFile(out, doc, 0o644); err != nil {
		return err
	}
	b.progress("wrote " + out)
	return nil
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run from inside the repository (no go.mod found)")
		}
		dir = parent
	}
}

func (b *bench) progress(msg string) {
	fmt.Fprintf(os.Stderr, "[bench %6.1fs] %s\n", time.Since(b.started).Seconds(), msg)
}

// setup resolves the CLI, builds the provider, writes the CLI configurations
// and starts the fake with enough jobs for every experiment.
func (b *bench) setup(ctx context.Context) error {
	b.terraform = b.opt.terraform
	if b.terraform == "" {
		out, err := exec.CommandContext(ctx, filepath.Join(b.root, "scripts", "terraform-cli.sh")).Output()
		if err != nil {
			return fmt.Errorf("scripts/terraform-cli.sh: %w", err)
		}
		b.terraform = strings.TrimSpace(string(out))
	}
	b.progress("terraform: " + b.terraform)

	realDir := filepath.Join(b.tmp, "provider")
	pluginDir := filepath.Join(b.tmp, "plugins")
	for _, d := range []string{realDir, pluginDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	b.progress("building the provider")
	build := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(realDir, wrapperName), ".")
	build.Dir, build.Stdout, build.Stderr = b.root, os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("go build: %w", err)
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	if err := os.Symlink(self, filepath.Join(pluginDir, wrapperName)); err != nil {
		return err
	}
	b.rssFile = filepath.Join(b.tmp, "rss.txt")
	os.Setenv(envRealProvider, filepath.Join(realDir, wrapperName))
	os.Setenv(envRSSFile, b.rssFile)

	b.dtsRC = filepath.Join(b.tmp, "dts.tfrc")
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n",
		"registry.terraform.io/dts-provider/dts", pluginDir)
	if err := os.WriteFile(b.dtsRC, []byte(rc), 0o644); err != nil {
		return err
	}
	b.floorRC = filepath.Join(b.tmp, "floor.tfrc")
	if err := os.WriteFile(b.floorRC, nil, 0o644); err != nil {
		return err
	}

	b.maxJobs = slices.Max(append(slices.Concat(b.opt.sizes, b.opt.shortNs, b.opt.floorSizes, b.opt.familySizes),
		b.opt.throttleN, b.opt.quotaN, len(b.opt.lateLengths), slices.Max(append(b.opt.workspaceKs, 1))*b.opt.workspaceN, 1))
	b.cred = fakedts.DefaultCredential()
	b.fake = fakedts.New(fakedts.Options{Credentials: []fakedts.Credential{b.cred}, Seed: 1})
	for i := range b.maxJobs {
		j := fakedts.Job{ID: jobID(i), Name: fmt.Sprintf("bench-%d", i), PayType: fakedts.PayTypePostPaid,
			Region: "cn-hangzhou", Forward: fakedts.DirectionState{Status: fakedts.StatusSynchronizing}}
		if err := b.fake.AddJob(j); err != nil {
			return err
		}
	}
	if err := b.fake.Start("127.0.0.1:0"); err != nil {
		return err
	}
	b.progress(fmt.Sprintf("fake DTS at %s with %d jobs", b.fake.URL(), b.maxJobs))

	out, err := b.cmd(ctx, "", b.floorRC, "version").Output()
	if err != nil {
		return fmt.Errorf("terraform version: %w", err)
	}
	b.tfVersion = strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0])
	return nil
}

func jobID(i int) string { return fmt.Sprintf(jobIDFormat, i) }

// cmd is a terraform command with a clean environment: the given CLI
// configuration, no checkpoint calls, no prompts.
func (b *bench) cmd(ctx context.Context, dir, rc string, args ...string) *exec.Cmd {
	return b.cmdEnv(ctx, nil, dir, rc, args...)
}

func (b *bench) cmdEnv(ctx context.Context, extra []string, dir, rc string, args ...string) *exec.Cmd {
	c := exec.CommandContext(ctx, b.terraform, args...)
	c.Dir = dir
	env := []string{}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if k == "TF_CLI_CONFIG_FILE" || strings.HasPrefix(k, "TF_CLI_ARGS") || strings.HasPrefix(k, "TF_LOG") ||
			k == "TF_WORKSPACE" || k == "TF_DATA_DIR" || k == "TF_PLUGIN_CACHE_DIR" {
			continue
		}
		env = append(env, kv)
	}
	c.Env = append(append(env, "CHECKPOINT_DISABLE=1", "TF_INPUT=0", "TF_IN_AUTOMATION=1", "TF_CLI_CONFIG_FILE="+rc), extra...)
	return c
}

// tfResult is one timed terraform command.
type tfResult struct {
	wall   time.Duration
	end    time.Time
	code   int
	output string
	rssKiB int64 // peak over the provider processes the command started
}

func (b *bench) tf(ctx context.Context, dir, rc string, args ...string) (tfResult, error) {
	return b.tfEnv(ctx, nil, dir, rc, args...)
}

func (b *bench) tfEnv(ctx context.Context, extra []string, dir, rc string, args ...string) (tfResult, error) {
	if l, err := load1(); err == nil {
		b.loads = append(b.loads, l)
	}
	_ = os.Remove(b.rssFile)
	c := b.cmdEnv(ctx, extra, dir, rc, args...)
	var out bytes.Buffer
	c.Stdout, c.Stderr = &out, &out
	start := time.Now()
	err := c.Run()
	r := tfResult{wall: time.Since(start), end: time.Now(), output: out.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		return r, fmt.Errorf("terraform %s: %w", args[0], err)
	}
	if data, err := os.ReadFile(b.rssFile); err == nil {
		for _, l := range strings.Fields(string(data)) {
			if v, err := strconv.ParseInt(l, 10, 64); err == nil && v > r.rssKiB {
				r.rssKiB = v
			}
		}
	}
	if ctx.Err() != nil {
		return r, ctx.Err()
	}
	return r, nil
}

// workdir writes a configuration of n resources and returns its folder.
func (b *bench) workdir(name string, n int, floor bool) (string, error) {
	dir := filepath.Join(b.tmp, name)
	if err := os.RemoveAll(dir); err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	var cfg string
	if floor {
		cfg = fmt.Sprintf(`resource "terraform_data" "job" {
  count = %d
  input = {
    synchronization_job_id = format(%q, count.index)
    state                  = "Suspended"
  }
}
`, n, jobIDFormat)
	} else {
		cfg = fmt.Sprintf(`terraform {
  required_providers {
    dts = { source = "dts-provider/dts" }
  }
}

variable "batch_status_reads" {
  type    = bool
  default = true
}

variable "api" {
  type    = string
  default = %q
}

provider "dts" {
  endpoint           = %q
  access_key         = %q
  secret_key         = %q
  region             = "cn-hangzhou"
  batch_status_reads = var.batch_status_reads
  api                = var.api
}

resource "dts_synchronization_job_state" "job" {
  count                  = %d
  synchronization_job_id = format(%q, count.index)
  state                  = "Suspended"
}
`, benchAPI, b.fake.URL(), b.cred.AccessKeyID, b.cred.AccessKeySecret, n, jobIDFormat)
	}
	return dir, os.WriteFile(filepath.Join(dir, "main.tf"), []byte(cfg), 0o644)
}

// resetJobs puts the first n jobs back to Synchronizing with transition t
// and clears faults and the call log.
func (b *bench) resetJobs(n int, t time.Duration) error {
	b.fake.ClearFaults()
	for i := range n {
		if err := b.fake.SetStatus(jobID(i), fakedts.DirectionForward, fakedts.StatusSynchronizing); err != nil {
			return err
		}
		if err := b.fake.SetTransitionTime(jobID(i), t); err != nil {
			return err
		}
	}
	b.fake.ResetCalls()
	return nil
}

// suspendedCount counts the first n jobs the fake reports paused.
func (b *bench) suspendedCount(n int) int {
	c := 0
	for i := range n {
		if j, ok := b.fake.Job(jobID(i)); ok && j.Forward.Status == fakedts.StatusSuspending {
			c++
		}
	}
	return c
}

func removeState(dir string) {
	for _, f := range []string{"terraform.tfstate", "terraform.tfstate.backup", ".terraform.tfstate.lock.info"} {
		_ = os.Remove(filepath.Join(dir, f))
	}
}

var applyArgs = []string{"apply", "-auto-approve", "-no-color", "-input=false", "-parallelism=" + strconv.Itoa(parallelism)}
var planArgs = []string{"plan", "-no-color", "-input=false", "-detailed-exitcode", "-parallelism=" + strconv.Itoa(parallelism)}

// scaleRun is one run of the plan/apply comparison at one size.
type scaleRun struct {
	dtsApply, dtsPlan, dtsPlanNoRefresh, dtsPlanUnbatched, floorApply, floorPlan time.Duration
	applyCalls, planCalls, planUnbatchedCalls                                    map[string]int
	applyRSS, planRSS                                                            int64
	failures                                                                     int
}

type scaleResult struct {
	n    int
	runs []scaleRun
}

func (b *bench) scale(ctx context.Context, n, runs int) (scaleResult, error) {
	res := scaleResult{n: n}
	dtsDir, err := b.workdir(fmt.Sprintf("dts-%d", n), n, false)
	if err != nil {
		return res, err
	}
	floorDir, err := b.workdir(fmt.Sprintf("floor-%d", n), n, true)
	if err != nil {
		return res, err
	}
	for r := range runs {
		b.progress(fmt.Sprintf("N=%d run %d/%d", n, r+1, runs))
		var sr scaleRun

		// Provider: apply N pauses from an empty state, then plan (refresh).
		removeState(dtsDir)
		if err := b.resetJobs(n, b.opt.transitionMain); err != nil {
			return res, err
		}
		a, err := b.tf(ctx, dtsDir, b.dtsRC, applyArgs...)
		if err != nil {
			return res, err
		}
		sr.dtsApply, sr.applyRSS = a.wall, a.rssKiB
		sr.applyCalls = countCalls(b.fake.Calls())
		b.progress(fmt.Sprintf("  apply calls by action: %v", sr.applyCalls))
		if a.code != 0 {
			sr.failures += max(1, countErrors(a.output))
			b.progress("apply failed:\n" + tail(a.output, 30))
		}
		if got := b.suspendedCount(n); got != n {
			sr.failures += n - got
		}
		b.fake.ResetCalls()
		p, err := b.tf(ctx, dtsDir, b.dtsRC, planArgs...)
		if err != nil {
			return res, err
		}
		sr.dtsPlan, sr.planRSS = p.wall, p.rssKiB
		sr.planCalls = countCalls(b.fake.Calls())
		if p.code != 0 {
			sr.failures++
			b.progress(fmt.Sprintf("plan exited %d (want 0, no changes):\n%s", p.code, tail(p.output, 30)))
		}
		pn, err := b.tf(ctx, dtsDir, b.dtsRC, append(slices.Clone(planArgs), "-refresh=false")...)
		if err != nil {
			return res, err
		}
		sr.dtsPlanNoRefresh = pn.wall
		// The same refresh with batching off: one single read per resource.
		b.fake.ResetCalls()
		pu, err := b.tf(ctx, dtsDir, b.dtsRC, append(slices.Clone(planArgs), "-var=batch_status_reads=false")...)
		if err != nil {
			return res, err
		}
		sr.dtsPlanUnbatched = pu.wall
		sr.planUnbatchedCalls = countCalls(b.fake.Calls())
		if pu.code != 0 {
			sr.failures++
			b.progress(fmt.Sprintf("plan without batching exited %d (want 0, no changes):\n%s", pu.code, tail(pu.output, 30)))
		}

		// Floor: the same N resources as terraform_data, no provider.
		removeState(floorDir)
		fa, err := b.tf(ctx, floorDir, b.floorRC, applyArgs...)
		if err != nil {
			return res, err
		}
		if fa.code != 0 {
			return res, fmt.Errorf("terraform_data apply exited %d:\n%s", fa.code, tail(fa.output, 30))
		}
		fp, err := b.tf(ctx, floorDir, b.floorRC, planArgs...)
		if err != nil {
			return res, err
		}
		if fp.code != 0 {
			return res, fmt.Errorf("terraform_data plan exited %d:\n%s", fp.code, tail(fp.output, 30))
		}
		sr.floorApply, sr.floorPlan = fa.wall, fp.wall
		res.runs = append(res.runs, sr)
		b.progress(fmt.Sprintf("  apply %.2fs (floor %.2fs), plan %.2fs (floor %.2fs), plan -refresh=false %.2fs, plan without batching %.2fs",
			sr.dtsApply.Seconds(), sr.floorApply.Seconds(), sr.dtsPlan.Seconds(), sr.floorPlan.Seconds(), sr.dtsPlanNoRefresh.Seconds(),
			sr.dtsPlanUnbatched.Seconds()))
	}
	return res, nil
}

func countCalls(calls []fakedts.Call) map[string]int {
	m := map[string]int{}
	for _, c := range calls {
		m[c.Action]++
	}
	return m
}

var errorLine = regexp.MustCompile(`(?m)^Error: `)

func countErrors(out string) int { return len(errorLine.FindAllStringIndex(out, -1)) }

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// jobLatency is what the call log says about one job's pause.
type jobLatency struct {
	afterDone   time.Duration // first read at or after the transition completed, minus its completion
	readsAfter  int           // status reads after the Suspend call, up to that read
	readsTotal  int           // status reads of the job during the apply (the plan's read included)
	extraReads  int           // reads after the one that saw the job paused
	applyReturn time.Duration // apply's return minus the transition's completion
}

type latencyRun struct {
	jobs     []jobLatency
	wall     time.Duration
	failures int
}

type latencyResult struct {
	transition time.Duration
	n          int
	runs       []latencyRun
}

func (b *bench) latency(ctx context.Context, t time.Duration, n, runs int) (latencyResult, error) {
	res := latencyResult{transition: t, n: n}
	dir, err := b.workdir(fmt.Sprintf("latency-%d", n), n, false)
	if err != nil {
		return res, err
	}
	for r := range runs {
		b.progress(fmt.Sprintf("latency: transition %s, N=%d, run %d/%d", t, n, r+1, runs))
		removeState(dir)
		if err := b.resetJobs(n, t); err != nil {
			return res, err
		}
		a, err := b.tf(ctx, dir, b.dtsRC, applyArgs...)
		if err != nil {
			return res, err
		}
		lr := latencyRun{wall: a.wall}
		if a.code != 0 {
			lr.failures += max(1, countErrors(a.output))
			b.progress("apply failed:\n" + tail(a.output, 30))
		}
		calls := b.fake.Calls()
		for i := range n {
			jl, ok := jobLatencyFrom(calls, jobID(i), t, a.end)
			if !ok {
				lr.failures++
				continue
			}
			lr.jobs = append(lr.jobs, jl)
		}
		res.runs = append(res.runs, lr)
		afters := make([]float64, 0, len(lr.jobs))
		for _, j := range lr.jobs {
			afters = append(afters, j.afterDone.Seconds())
		}
		b.progress(fmt.Sprintf("  wall %.2fs, latency after completion median %.3fs", a.wall.Seconds(), median(afters)))
	}
	return res, nil
}

// jobLatencyFrom reads one job's pause from the call log: the accepted
// Suspend call, the transition's completion (that call's time plus t), and
// the first status read at or after the completion.
func jobLatencyFrom(calls []fakedts.Call, id string, t time.Duration, applyEnd time.Time) (jobLatency, bool) {
	var jl jobLatency
	var suspendAt, seenAt time.Time
	for _, c := range calls {
		if c.JobID != id || c.Stage != fakedts.StageAction || c.HTTPStatus != 200 {
			continue
		}
		switch c.Action {
		case actSuspend:
			if suspendAt.IsZero() {
				suspendAt = c.Time
			}
		case actDescribe:
			jl.readsTotal++
			if suspendAt.IsZero() {
				continue
			}
			if seenAt.IsZero() {
				jl.readsAfter++
				if !c.Time.Before(suspendAt.Add(t)) {
					seenAt = c.Time
				}
			} else {
				jl.extraReads++
			}
		}
	}
	if suspendAt.IsZero() || seenAt.IsZero() {
		return jl, false
	}
	done := suspendAt.Add(t)
	jl.afterDone = seenAt.Sub(done)
	jl.applyReturn = applyEnd.Sub(done)
	return jl, true
}

type throttleRun struct {
	wall      time.Duration
	accepted  int
	throttled int
	failures  int
	code      int
}

type throttleResult struct {
	n    int
	runs []throttleRun
}

func (b *bench) throttle(ctx context.Context, n, runs int) (throttleResult, error) {
	res := throttleResult{n: n}
	dir, err := b.workdir(fmt.Sprintf("throttle-%d", n), n, false)
	if err != nil {
		return res, err
	}
	for r := range runs {
		b.progress(fmt.Sprintf("throttling %.0f calls/s: N=%d, run %d/%d", throttleRate, n, r+1, runs))
		removeState(dir)
		if err := b.resetJobs(n, b.opt.transitionMain); err != nil {
			return res, err
		}
		b.fake.SetFaults(fakedts.Faults{ThrottleRate: throttleRate})
		a, err := b.tf(ctx, dir, b.dtsRC, applyArgs...)
		b.fake.ClearFaults()
		if err != nil {
			return res, err
		}
		tr := throttleRun{wall: a.wall, code: a.code}
		for _, c := range b.fake.Calls() {
			switch {
			case c.Stage == fakedts.StageAction:
				tr.accepted++
			case c.Fault == fakedts.FaultThrottling:
				tr.throttled++
			}
		}
		if a.code != 0 {
			tr.failures = max(1, countErrors(a.output))
			b.progress("apply failed:\n" + tail(a.output, 40))
		}
		if got := b.suspendedCount(n); n-got > tr.failures {
			tr.failures = n - got
		}
		res.runs = append(res.runs, tr)
		b.progress(fmt.Sprintf("  wall %.2fs, %d accepted calls (%.2fs at 40/s), %d throttled answers, %d failures",
			a.wall.Seconds(), tr.accepted, float64(tr.accepted)/throttleRate, tr.throttled, tr.failures))
	}
	return res, nil
}

func (b *bench) goBench(ctx context.Context) (string, string) {
	args := []string{"test", "-run", "^$", "-bench", ".", "-benchmem", "-count", "1", "./internal/dtsclient/"}
	c := exec.CommandContext(ctx, "go", args...)
	c.Dir = b.root
	out, err := c.CombinedOutput()
	s := string(out)
	if err != nil {
		s += "\n(go test exited: " + err.Error() + ")\n"
	}
	return s, "go " + strings.Join(args, " ")
}

// machineInfo describes where the figures were measured.
type machineInfo struct {
	cpu, kernel, goVersion, tfVersion, date, commit string
	cores                                           int
	memGiB                                          float64
	dirty                                           bool
	loadStart, loadEnd                              string
	loads                                           []float64 // 1-minute load sampled before each command
}

func (b *bench) machine(ctx context.Context) machineInfo {
	m := machineInfo{cores: runtime.NumCPU(), tfVersion: b.tfVersion, date: time.Now().UTC().Format("2006-01-02 15:04 MST"),
		cpu: "unknown", kernel: "unknown"}
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) >= 2 && f[0] == "MemTotal:" {
				if kb, err := strconv.ParseFloat(f[1], 64); err == nil {
					m.memGiB = kb / (1 << 20)
				}
			}
		}
	}
	if data, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.kernel = "Linux " + strings.TrimSpace(string(data))
	}
	if out, err := exec.CommandContext(ctx, "go", "version").Output(); err == nil {
		m.goVersion = strings.TrimSpace(string(out))
	} else {
		m.goVersion = runtime.Version()
	}
	git := func(args ...string) string {
		c := exec.CommandContext(ctx, "git", args...)
		c.Dir = b.root
		out, err := c.Output()
		if err != nil {
			return ""
		}
		return strings.TrimSpace(string(out))
	}
	m.commit = git("rev-parse", "--short", "HEAD")
	m.dirty = git("status", "--porcelain", "--untracked-files=no") != ""
	return m
}

func loadAvg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func load1() (float64, error) {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0, err
	}
	f := strings.Fields(string(data))
	if len(f) == 0 {
		return 0, errors.New("empty /proc/loadavg")
	}
	return strconv.ParseFloat(f[0], 64)
}

// ---------------------------------------------------------------- statistics

func minOf(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	return slices.Min(v)
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// p95 is the nearest-rank 95th percentile.
func p95(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Clone(v)
	slices.Sort(s)
	rank := int(math.Ceil(0.95 * float64(len(s))))
	return s[max(rank, 1)-1]
}

func medianOf[T any](runs []T, f func(T) float64) float64 {
	v := make([]float64, 0, len(runs))
	for _, r := range runs {
		v = append(v, f(r))
	}
	return median(v)
}

func maxOf[T any](runs []T, f func(T) float64) float64 {
	m := math.Inf(-1)
	for _, r := range runs {
		m = math.Max(m, f(r))
	}
	return m
}

func secs(d time.Duration) float64 { return d.Seconds() }
