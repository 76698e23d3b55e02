package main

import (
	"bytes"
	"context"
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

	b.maxJobs = slices.Max(append(slices.Concat(b.opt.sizes, b.opt.shortNs, b.opt.floorSizes, b.opt.familySizes, b.opt.stateChangeSizes),
		b.opt.throttleN, b.opt.quotaN, b.profileJobs(), len(b.opt.lateLengths), len(b.opt.catchUpTimes), slices.Max(append(b.opt.workspaceKs, 1))*b.opt.workspaceN, 1))
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

// profileJobs are the jobs the profile experiment needs, 0 when it does not
// run: the fake's job count sets the size of a region listing, so an
// experiment left out must not change it.
func (b *bench) profileJobs() int {
	if b.opt.experiments["profile"] {
		return b.opt.profileN
	}
	return 0
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
	rssKiB int64         // peak over the provider processes the command started
	cpu    time.Duration // terraform's own user and system CPU time
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

// workdirFrom is workdir with the job IDs starting at the from-th job.
func (b *bench) workdirFrom(name string, n, from int) (string, error) {
	dir, err := b.workdir(name, n, false)
	if err != nil || from == 0 {
		return dir, err
	}
	path := filepath.Join(dir, "main.tf")
	cfg, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	text := strings.Replace(string(cfg), "count.index)", fmt.Sprintf("count.index + %d)", from), 1)
	return dir, os.WriteFile(path, []byte(text), 0o644)
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

var errorLine = regexp.MustCompile(`(?m)^Error: `)

func countErrors(out string) int { return len(errorLine.FindAllStringIndex(out, -1)) }

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

var autoAPI = "-var=api=auto"

// logsOff is the environment of the "logs off" time_static floor.
var logsOff = []string{"TF_LOG_SDK=off", "TF_LOG_SDK_PROTO=off", "TF_LOG_SDK_FRAMEWORK=off"}
