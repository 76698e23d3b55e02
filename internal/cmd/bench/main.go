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
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

const (
	wrapperName     = "terraform-provider-dts"
	envRealProvider = "DTS_BENCH_REAL_PROVIDER"
	envRSSFile      = "DTS_BENCH_RSS_FILE"
	jobIDFormat     = "dtsbench%06d"
	parallelism     = 10
	throttleRate    = 40.0

	actDescribe = "DescribeSynchronizationJobStatus"
	actSuspend  = "SuspendSynchronizationJob"

	// benchAPI is the configuration's default api: the legacy family, whose
	// action names the older experiments count. The others set api on the
	// command line (-var=api=...).
	benchAPI = "synchronization_job"
)

func main() {
	if filepath.Base(os.Args[0]) == wrapperName {
		os.Exit(runWrapper())
	}
	if err := run(); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run() error {
	opt, err := parseFlags(os.Args[1:])
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
	if opt.experiments["floors"] {
		if err := b.ensureTimeProvider(ctx); err != nil {
			return err
		}
	}

	rep := &report{opt: opt, machine: b.machine(ctx), maxJobs: b.maxJobs}
	rep.machine.loadStart = loadAvg()
	for _, e := range experiments {
		if opt.experiments[e.name] {
			if err := e.run(b, ctx, rep); err != nil {
				return fmt.Errorf("%s: %w", e.name, err)
			}
		}
	}
	rep.machine.loadEnd, rep.machine.loads = loadAvg(), b.loads
	rep.elapsed = time.Since(b.started)
	return b.write(rep)
}

// write writes the report to -out, or only the one experiment's section
// with -update-section; either keeps from the old file the sections of
// experiments that did not run.
func (b *bench) write(rep *report) error {
	out := b.opt.out
	if !filepath.IsAbs(out) {
		out = filepath.Join(b.root, out)
	}
	old, err := os.ReadFile(out)
	if err != nil && (b.opt.updateSection || !errors.Is(err, os.ErrNotExist)) {
		return err
	}
	rep.old = old
	doc := rep.render()
	if b.opt.updateSection {
		for _, s := range sections {
			if b.opt.experiments[s.experiment] {
				doc = spliceSection(old, rep.text(func(p printer) { s.render(rep, p) }))
			}
		}
	}
	if err := os.WriteFile(out, doc, 0o644); err != nil {
		return err
	}
	b.progress("wrote %s", out)
	return nil
}

// experiment is one experiment -experiments can name: run measures it and
// puts its figures into the report.
type experiment struct {
	name string
	run  func(b *bench, ctx context.Context, rep *report) error
}

// experiments are all of them, in the order they run.
var experiments = []experiment{
	{"calls", (*bench).runCalls},
	{"families", (*bench).runFamilies},
	{"scale", (*bench).runScale},
	{"quota", (*bench).runQuota},
	{"lateness", (*bench).runLateness},
	{"floors", (*bench).runFloors},
	{"rss", (*bench).runRSS},
	{"latency", (*bench).runLatency},
	{"throttle", (*bench).runThrottle},
	{"workspaces", (*bench).runWorkspaces},
	{"catchup", (*bench).runCatchUp},
	{"statechange", (*bench).runStateChange},
	{"memo", (*bench).runMemo},
	{"profile", (*bench).runProfile},
	{"gobench", (*bench).runGoBench},
}

// experimentNames are the names -experiments takes, in the order they run.
func experimentNames() []string {
	names := make([]string, len(experiments))
	for i, e := range experiments {
		names[i] = e.name
	}
	return names
}

// defaultExperiments are those of a full `make bench`. scale, latency and
// throttle are the older experiments (issue 11, in the legacy family), kept
// runnable by name; memo (three builds) and profile are one-off
// investigations whose sections a full run keeps.
const defaultExperiments = "calls,families,quota,lateness,floors,rss,workspaces,catchup,statechange"
