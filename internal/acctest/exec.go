package acctest

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/dts-provider/terraform-provider-dts/internal/provider"
)

// ExecProviderSource is the provider source exec-test configurations
// require; the in-process provider is reattached under this address.
const ExecProviderSource = "registry.terraform.io/hashicorp/dts"

// Workdir runs the Terraform CLI itself, for what terraform-plugin-testing
// has no step for (terraform apply -invoke, terraform query
// -generate-config-out). The provider is the real one, served from this test
// process and reattached with TF_REATTACH_PROVIDERS, as the harness does.
type Workdir struct {
	t   *testing.T
	cli TerraformCLI
	Dir string
	env []string
}

// NewWorkdir serves the provider for the test's lifetime and returns an
// empty working directory.
func NewWorkdir(t *testing.T, cli TerraformCLI) *Workdir {
	t.Helper()
	env := []string{"CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0", "TF_REATTACH_PROVIDERS=" + serveProvider(t)}
	for _, kv := range os.Environ() {
		name, value, _ := strings.Cut(kv, "=")
		if name == "TF_CLI_CONFIG_FILE" {
			if _, err := os.Stat(value); err != nil {
				continue // a missing file makes every command warn
			}
		}
		if strings.HasPrefix(name, "TF_REATTACH_PROVIDERS") || strings.HasPrefix(name, "TF_LOG") {
			continue
		}
		env = append(env, kv)
	}
	return &Workdir{t: t, cli: cli, Dir: t.TempDir(), env: env}
}

// Write writes a file of the working directory.
func (w *Workdir) Write(name, content string) {
	w.t.Helper()
	if err := os.WriteFile(filepath.Join(w.Dir, name), []byte(content), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// Read returns a file of the working directory.
func (w *Workdir) Read(name string) string {
	w.t.Helper()
	b, err := os.ReadFile(filepath.Join(w.Dir, name))
	if err != nil {
		w.t.Fatal(err)
	}
	return string(b)
}

// Run runs the CLI with -no-color added after the subcommand and returns its
// combined output and exit code (an error only when it could not run).
func (w *Workdir) Run(args ...string) (string, int) {
	w.t.Helper()
	full := append([]string{}, args...)
	if len(full) > 0 {
		full = append([]string{full[0], "-no-color"}, full[1:]...)
	}
	cmd := exec.Command(w.cli.Path, full...)
	cmd.Dir, cmd.Env = w.Dir, w.env
	out, err := cmd.CombinedOutput()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &exitErr):
		return string(out), exitErr.ExitCode()
	default:
		w.t.Fatalf("running terraform %s: %v", strings.Join(args, " "), err)
		return "", -1
	}
}

// Must runs the CLI and fails the test unless it exits 0.
func (w *Workdir) Must(args ...string) string {
	w.t.Helper()
	out, code := w.Run(args...)
	if code != 0 {
		w.t.Fatalf("terraform %s exited %d:\n%s", strings.Join(args, " "), code, out)
	}
	return out
}

// serveProvider starts the provider's gRPC server in debug mode and returns
// the TF_REATTACH_PROVIDERS value that points Terraform at it.
func serveProvider(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	configCh := make(chan *plugin.ReattachConfig)
	closeCh := make(chan struct{})
	serveErr := make(chan error, 1)
	go func() {
		serveErr <- tf6server.Serve(ExecProviderSource, providerserver.NewProtocol6(provider.New("test")()),
			tf6server.WithDebug(ctx, configCh, closeCh), tf6server.WithoutLogStderrOverride(),
			// Provider logs go where the harness sends them (TF_LOG, TF_ACC_LOG_PATH), not to stderr.
			tf6server.WithLoggingSink(t),
			tf6server.WithGoPluginLogger(hclog.New(&hclog.LoggerOptions{Name: "plugin", Output: io.Discard})))
	}()
	var cfg *plugin.ReattachConfig
	select {
	case cfg = <-configCh:
	case err := <-serveErr:
		cancel()
		t.Fatalf("serving the provider: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		<-closeCh
	})

	type addr struct{ Network, String string }
	type reattach struct {
		Protocol        string
		ProtocolVersion int
		Pid             int
		Test            bool
		Addr            addr
	}
	b, err := json.Marshal(map[string]reattach{ExecProviderSource: {
		Protocol:        string(cfg.Protocol),
		ProtocolVersion: cfg.ProtocolVersion,
		Pid:             cfg.Pid,
		Test:            true,
		Addr:            addr{Network: cfg.Addr.Network(), String: cfg.Addr.String()},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// ExecProviderBlock is the terraform block an exec-test configuration needs.
const ExecProviderBlock = `
terraform {
  required_providers {
    dts = {
      source = "hashicorp/dts"
    }
  }
}
`
