package acctest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// CLI runs the Terraform CLI the way a user does: a provider binary built
// from this tree, found through dev_overrides, in its own process. It is for
// what terraform-plugin-testing does not show: the warnings a plan and an
// apply print, and an apply interrupted with Ctrl-C.
type CLI struct {
	t   *testing.T
	dir string
	tf  string
	env []string
}

// Diagnostic is one diagnostic of `terraform ... -json` output.
type Diagnostic struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
	Address  string `json:"address"`
}

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

// providerBinaryDir builds the provider once per test binary.
func providerBinaryDir(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		root, err := moduleRoot()
		if err != nil {
			buildErr = err
			return
		}
		// Every test of the binary shares the build, so it outlives any one test.
		if binDir, err = os.MkdirTemp("", "dts-provider-cli-"); err != nil { //nolint:usetesting // see above
			buildErr = err
			return
		}
		cmd := exec.Command("go", "build", "-o", filepath.Join(binDir, "terraform-provider-dts"), ".")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatalf("building the provider: %v", buildErr)
	}
	return binDir
}

// moduleRoot is the directory of go.mod, as the go command finds it.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	gomod := strings.TrimSpace(string(out))
	if err != nil || gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("no go.mod for the test's directory (go env GOMOD: %q, %v)", gomod, err)
	}
	return filepath.Dir(gomod), nil
}

// NewCLI prepares a working directory with a CLI configuration whose
// dev_overrides point at the provider built from this tree.
func NewCLI(t *testing.T) *CLI {
	t.Helper()
	PreCheck(t)
	cli, err := HarnessCLI()
	if err != nil {
		t.Fatal(err)
	}
	// WriteConfig's source names no host: each CLI adds its own registry's.
	host := "registry.terraform.io"
	if cli.OpenTofu {
		host = "registry.opentofu.org"
	}
	dir := t.TempDir()
	rc := filepath.Join(dir, "terraformrc")
	rcText := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n",
		host+"/dts-provider/dts", providerBinaryDir(t))
	if err := os.WriteFile(rc, []byte(rcText), 0o600); err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TF_") {
			env = append(env, kv)
		}
	}
	env = append(env, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_CLI_CONFIG_FILE="+rc)
	return &CLI{t: t, dir: dir, tf: cli.Path, env: env}
}

// WriteConfig replaces the configuration; the provider's source is added.
func (c *CLI) WriteConfig(config string) {
	c.t.Helper()
	text := "terraform {\n  required_providers {\n    dts = { source = \"dts-provider/dts\" }\n  }\n}\n" + config
	if err := os.WriteFile(filepath.Join(c.dir, "main.tf"), []byte(text), 0o600); err != nil {
		c.t.Fatal(err)
	}
}

// Run runs one Terraform command in the working directory and returns its
// standard output; an exit status other than 0 is the error.
func (c *CLI) Run(args ...string) (string, error) {
	c.t.Helper()
	return c.run(context.Background(), nil, args...)
}

// RunInterrupted runs a command and sends it os.Interrupt (what Ctrl-C
// sends) once interruptWhen reports true; it polls every 50ms.
func (c *CLI) RunInterrupted(interruptWhen func() bool, args ...string) (string, error) {
	c.t.Helper()
	return c.run(context.Background(), interruptWhen, args...)
}

func (c *CLI) run(ctx context.Context, interruptWhen func() bool, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.tf, args...)
	cmd.Dir, cmd.Env = c.dir, c.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		return "", err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	if interruptWhen != nil {
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
	wait:
		for {
			select {
			case err := <-done:
				done <- err
				break wait
			case <-tick.C:
				if interruptWhen() {
					_ = cmd.Process.Signal(os.Interrupt)
					break wait
				}
			}
		}
	}
	err := <-done
	if err != nil {
		return stdout.String(), fmt.Errorf("terraform %s: %w\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String(), nil
}

// Diagnostics parses the diagnostics of `-json` output, leaving out the
// warning that dev_overrides are in effect. Diagnostics of the plan carry the
// resource's address; Terraform sends those of an apply without one.
func Diagnostics(jsonOutput string) []Diagnostic {
	var out []Diagnostic
	sc := bufio.NewScanner(strings.NewReader(jsonOutput))
	sc.Buffer(make([]byte, 0, 64*1024), 4*1024*1024)
	for sc.Scan() {
		var line struct {
			Type       string     `json:"type"`
			Diagnostic Diagnostic `json:"diagnostic"`
		}
		if json.Unmarshal(sc.Bytes(), &line) != nil || line.Type != "diagnostic" {
			continue
		}
		if line.Diagnostic.Summary != "Provider development overrides are in effect" {
			out = append(out, line.Diagnostic)
		}
	}
	return out
}

// CountBySummary counts diagnostics by summary.
func CountBySummary(diags []Diagnostic) map[string]int {
	m := map[string]int{}
	for _, d := range diags {
		m[d.Summary]++
	}
	return m
}
