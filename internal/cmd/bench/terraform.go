package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// bench holds what every measurement needs.
type bench struct {
	opt                    *options
	root, tmp              string
	terraform, tfVersion   string
	fake                   *fakedts.Server
	cred                   fakedts.Credential
	maxJobs                int
	rssFile                string
	loads                  []float64
	dtsRC, floorRC, timeRC string
	started                time.Time
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

func (b *bench) progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[bench %6.1fs] %s\n", time.Since(b.started).Seconds(), fmt.Sprintf(format, args...))
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
	b.progress("terraform: %s", b.terraform)
	pluginDir := filepath.Join(b.tmp, "plugins")
	if err := os.MkdirAll(pluginDir, 0o755); err != nil {
		return err
	}
	bin, err := b.buildProvider(ctx, "provider", nil)
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	if err := os.Symlink(self, filepath.Join(pluginDir, wrapperName)); err != nil {
		return err
	}
	b.rssFile = filepath.Join(b.tmp, "rss.txt")
	os.Setenv(envRealProvider, bin)
	os.Setenv(envRSSFile, b.rssFile)
	if b.dtsRC, err = b.cliConfig("dts", "registry.terraform.io/dts-provider/dts", pluginDir); err != nil {
		return err
	}
	if b.floorRC, err = b.cliConfig("floor", "", ""); err != nil {
		return err
	}

	b.maxJobs = slices.Max(append(slices.Concat(b.opt.sizes, b.opt.shortNs, b.opt.floorSizes, b.opt.familySizes, b.opt.stateChangeSizes),
		b.opt.throttleN, b.opt.quotaN, b.profileJobs(), len(b.opt.lateLengths), len(b.opt.catchUpTimes), slices.Max(append(b.opt.workspaceKs, 1))*b.opt.workspaceN, 1))
	b.cred = fakedts.DefaultCredential()
	b.fake = fakedts.New(fakedts.Options{Credentials: []fakedts.Credential{b.cred}, Seed: 1})
	if err := b.addJobs(jobIDFormat, "cn-hangzhou", b.maxJobs); err != nil {
		return err
	}
	if err := b.fake.Start("127.0.0.1:0"); err != nil {
		return err
	}
	b.progress("fake DTS at %s with %d jobs", b.fake.URL(), b.maxJobs)

	out, err := b.cmd(ctx, nil, "", b.floorRC, "version").Output()
	if err != nil {
		return fmt.Errorf("terraform version: %w", err)
	}
	b.tfVersion = strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0])
	return nil
}

// buildProvider builds the provider into tmp/name; overlay (go build
// -overlay) replaces source files by edited copies.
func (b *bench) buildProvider(ctx context.Context, name string, overlay map[string]string) (string, error) {
	bin := filepath.Join(b.tmp, name, wrapperName)
	args := []string{"build", "-o", bin}
	if len(overlay) > 0 {
		f := filepath.Join(b.tmp, name+"-overlay.json")
		if err := writeJSON(f, map[string]any{"Replace": overlay}); err != nil {
			return "", err
		}
		args = append(args, "-overlay="+f)
	}
	b.progress("building the provider (%s)", name)
	build := exec.CommandContext(ctx, "go", append(args, ".")...)
	build.Dir, build.Stdout, build.Stderr = b.root, os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("go build (%s): %w", name, err)
	}
	return bin, nil
}

// cliConfig writes a CLI configuration that takes source from dir (dev
// overrides), or an empty one.
func (b *bench) cliConfig(name, source, dir string) (string, error) {
	path := filepath.Join(b.tmp, name+".tfrc")
	rc := ""
	if source != "" {
		rc = fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", source, dir)
	}
	return path, os.WriteFile(path, []byte(rc), 0o644)
}

// addJobs gives the fake n running jobs in region, or sets those it has
// back to running.
func (b *bench) addJobs(format, region string, n int) error {
	for i := range n {
		id := fmt.Sprintf(format, i)
		if _, ok := b.fake.Job(id); ok {
			if err := b.fake.SetStatus(id, fakedts.DirectionForward, fakedts.StatusSynchronizing); err != nil {
				return err
			}
			continue
		}
		j := fakedts.Job{ID: id, Name: fmt.Sprintf("bench-%d", i), PayType: fakedts.PayTypePostPaid,
			Region: region, Forward: fakedts.DirectionState{Status: fakedts.StatusSynchronizing}}
		if err := b.fake.AddJob(j); err != nil {
			return err
		}
	}
	return nil
}

// profileJobs are the jobs the profile experiment needs, 0 when it does not
// run: the fake's job count sets the size of a region listing.
func (b *bench) profileJobs() int {
	if b.opt.experiments["profile"] {
		return b.opt.profileN
	}
	return 0
}

func jobID(i int) string { return fmt.Sprintf(jobIDFormat, i) }

// cmd is a terraform command with a clean environment: the given CLI
// configuration, no checkpoint calls, no prompts.
func (b *bench) cmd(ctx context.Context, extra []string, dir, rc string, args ...string) *exec.Cmd {
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
	rssKiB int64         // peak over the provider processes the command started
	cpu    time.Duration // terraform's own user and system CPU time
	load   float64       // 1-minute load just before the command
}

func (b *bench) tf(ctx context.Context, dir, rc string, args ...string) (tfResult, error) {
	return b.tfEnv(ctx, nil, dir, rc, args...)
}

func (b *bench) tfEnv(ctx context.Context, extra []string, dir, rc string, args ...string) (tfResult, error) {
	var r tfResult
	if l, err := load1(); err == nil {
		r.load = l
		b.loads = append(b.loads, l)
	}
	_ = os.Remove(b.rssFile)
	c := b.cmd(ctx, extra, dir, rc, args...)
	var out bytes.Buffer
	c.Stdout, c.Stderr = &out, &out
	start := time.Now()
	err := c.Run()
	r.wall, r.end, r.output = time.Since(start), time.Now(), out.String()
	if c.ProcessState != nil {
		r.cpu = c.ProcessState.UserTime() + c.ProcessState.SystemTime()
	}
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
	return r, ctx.Err()
}

// tfCalls runs a terraform command against the provider and tallies the
// calls the fake logged during it: every experiment counts calls here.
func (b *bench) tfCalls(ctx context.Context, dir string, args ...string) (tfResult, callTally, error) {
	return b.tfCallsEnv(ctx, nil, dir, args...)
}

func (b *bench) tfCallsEnv(ctx context.Context, env []string, dir string, args ...string) (tfResult, callTally, error) {
	b.fake.ResetCalls()
	r, err := b.tfEnv(ctx, env, dir, b.dtsRC, args...)
	return r, tally(b.fake.Calls()), err
}

// applyPauses applies dir's n pauses from an empty state, with the fake's
// first n jobs running with transition t and, when rate > 0, throttled
// above rate calls/s. failures are the resources in error or, if more, the
// jobs left running.
func (b *bench) applyPauses(ctx context.Context, dir string, n int, t time.Duration, rate float64, args ...string) (a tfResult, c callTally, failures int, err error) {
	removeState(dir)
	if err := b.resetJobs(n, t); err != nil {
		return a, c, 0, err
	}
	if rate > 0 {
		b.fake.SetFaults(fakedts.Faults{ThrottleRate: rate})
		defer b.fake.ClearFaults()
	}
	a, c, err = b.tfCalls(ctx, dir, apply(args...)...)
	return a, c, b.failures(a, n, fakedts.StatusSuspending), err
}

// failures counts the resources in error of a command, or, if more, the
// first n jobs that are not in status want.
func (b *bench) failures(r tfResult, n int, want string) int {
	f := 0
	if r.code != 0 {
		f = max(1, countErrors(r.output))
		b.progress("terraform exited %d:\n%s", r.code, tail(r.output, 30))
	}
	return max(f, n-b.statusCount(n, want))
}

// tfConfig is what a configuration of the provider's resources varies in;
// the zero value is N pauses of the first N jobs.
type tfConfig struct {
	from     int    // index of the first job
	state    string // HCL of the state argument; `"Suspended"` when empty
	extra    string // more arguments of the resource
	region   string // "cn-hangzhou" when empty
	idFormat string // jobIDFormat when empty
}

// workdir writes a configuration of n resources and returns its folder.
func (b *bench) workdir(name string, n int, c tfConfig) (string, error) {
	c.state = cmp.Or(c.state, `"Suspended"`)
	index := "count.index"
	if c.from > 0 {
		index = fmt.Sprintf("count.index + %d", c.from)
	}
	vars := ""
	if c.state == "var.state" {
		vars = "variable \"state\" {\n  type = string\n}\n\n"
	}
	return writeDir(filepath.Join(b.tmp, name), fmt.Sprintf(`terraform {
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

%sprovider "dts" {
  endpoint           = %q
  access_key         = %q
  secret_key         = %q
  region             = %q
  batch_status_reads = var.batch_status_reads
  api                = var.api
}

resource "dts_synchronization_job_state" "job" {
  count                  = %d
  synchronization_job_id = format(%q, %s)
  state                  = %s
%s}
`, benchAPI, vars, b.fake.URL(), b.cred.AccessKeyID, b.cred.AccessKeySecret, cmp.Or(c.region, "cn-hangzhou"), n,
		cmp.Or(c.idFormat, jobIDFormat), index, c.state, c.extra))
}

// floorWorkdir is the same n resources as terraform_data.
func (b *bench) floorWorkdir(name string, n int) (string, error) {
	return writeDir(filepath.Join(b.tmp, name), fmt.Sprintf(`resource "terraform_data" "job" {
  count = %d
  input = {
    synchronization_job_id = format(%q, count.index)
    state                  = "Suspended"
  }
}
`, n, jobIDFormat))
}

// writeDir makes dir afresh with main.tf holding cfg.
func writeDir(dir, cfg string) (string, error) {
	if err := os.RemoveAll(dir); err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
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

// statusCount counts the first n jobs whose Forward direction the fake
// reports in status s.
func (b *bench) statusCount(n int, s string) int {
	c := 0
	for i := range n {
		if j, ok := b.fake.Job(jobID(i)); ok && j.Forward.Status == s {
			c++
		}
	}
	return c
}

func writeJSON(path string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

func removeState(dir string) {
	for _, f := range []string{"terraform.tfstate", "terraform.tfstate.backup", ".terraform.tfstate.lock.info"} {
		_ = os.Remove(filepath.Join(dir, f))
	}
}

var (
	applyArgs = []string{"apply", "-auto-approve", "-no-color", "-input=false", "-parallelism=" + strconv.Itoa(parallelism)}
	planArgs  = []string{"plan", "-no-color", "-input=false", "-detailed-exitcode", "-parallelism=" + strconv.Itoa(parallelism)}
	errorLine = regexp.MustCompile(`(?m)^Error: `)
)

const autoAPI = "-var=api=auto"

// plan and apply are planArgs and applyArgs with more arguments.
func plan(args ...string) []string { return append(slices.Clone(planArgs), args...) }

func apply(args ...string) []string { return append(slices.Clone(applyArgs), args...) }

func countErrors(out string) int { return len(errorLine.FindAllStringIndex(out, -1)) }

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
