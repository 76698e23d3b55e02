package acctest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// Features of newer CLIs and the first Terraform and OpenTofu versions their
// tests pass on. OpenTofu is gated by name and by its own version (see
// SkipReason), since tfversion's gates would read it as Terraform's.
var (
	// Identity is resource identity and import blocks with identity.
	// OpenTofu 1.11.6 refuses `identity` in an import block and stores none;
	// 1.12.4 and 1.12.6 pass these tests. 1.12.4 is the oldest 1.12 that can
	// be built here (the proxy does not serve 1.12.0-1.12.2, and 1.12.3 fails
	// the checksum database).
	Identity = Feature{Name: "resource identity", Terraform: tfversion.Version1_12_0, OpenTofu: version.Must(version.NewVersion("1.12.4"))}
	// Query is list resources and terraform query.
	Query = Feature{Name: "list resources and terraform query", Terraform: tfversion.Version1_14_0}
	// ProviderActions is provider actions (action blocks, action_trigger, -invoke).
	ProviderActions = Feature{Name: "actions", Terraform: tfversion.Version1_14_0}
	// ActionLifecycle is Terraform 1.16's additions to actions: `caller` in an
	// action's config, the before_destroy and after_destroy events, and
	// on_failure on an action_trigger. No OpenTofu version has actions.
	ActionLifecycle = Feature{Name: "action caller, destroy events and on_failure", Terraform: version.Must(version.NewVersion("1.16.0"))}
)

// Feature is a CLI feature a test needs.
type Feature struct {
	Name      string
	Terraform *version.Version
	// OpenTofu is the first OpenTofu version the tests of the feature were
	// verified on; nil when no OpenTofu version served here has the feature.
	OpenTofu *version.Version
}

// TerraformCLI is the Terraform (or OpenTofu) CLI the acceptance tests run.
type TerraformCLI struct {
	Path     string
	OpenTofu bool
	Version  *version.Version
}

var (
	cliOnce sync.Once
	cli     TerraformCLI
	cliErr  error
)

// cliVersionLine is the first line of `terraform version` and `tofu version`.
var cliVersionLine = regexp.MustCompile(`^(Terraform|OpenTofu) v(\S+)`)

// HarnessCLI finds and describes the CLI the harness runs: TF_ACC_TERRAFORM_PATH,
// else terraform on PATH. tfversion's gates read OpenTofu's version as if it
// were Terraform's, so this runs `version` once and reads the product name.
func HarnessCLI() (TerraformCLI, error) {
	cliOnce.Do(func() {
		path := os.Getenv("TF_ACC_TERRAFORM_PATH")
		if path == "" {
			path, cliErr = exec.LookPath("terraform")
			if cliErr != nil {
				cliErr = fmt.Errorf("no Terraform CLI: set TF_ACC_TERRAFORM_PATH or run the tests with `make test`, which resolves one")
				return
			}
		}
		cmd := exec.Command(path, "version")
		cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
		out, err := cmd.Output()
		if err != nil {
			cliErr = fmt.Errorf("running %s version: %w", path, err)
			return
		}
		cli, cliErr = parseCLIVersion(path, string(out))
	})
	return cli, cliErr
}

func parseCLIVersion(path, out string) (TerraformCLI, error) {
	first, _, _ := strings.Cut(strings.TrimSpace(out), "\n")
	m := cliVersionLine.FindStringSubmatch(first)
	if m == nil {
		return TerraformCLI{}, fmt.Errorf("%s version printed %q, which names neither Terraform nor OpenTofu", path, first)
	}
	v, err := version.NewVersion(m[2])
	if err != nil {
		return TerraformCLI{}, fmt.Errorf("%s version printed %q: %w", path, first, err)
	}
	return TerraformCLI{Path: path, OpenTofu: m[1] == "OpenTofu", Version: v}, nil
}

// SkipReason says why the CLI cannot run a test of f, or "" when it can.
func (c TerraformCLI) SkipReason(f Feature) string {
	switch {
	case c.OpenTofu && f.OpenTofu == nil:
		return fmt.Sprintf("%s: not in any OpenTofu version served here (Terraform has it from %s); this is OpenTofu %s (%s)", f.Name, f.Terraform, c.Version, c.Path)
	case c.OpenTofu && c.Version.Core().LessThan(f.OpenTofu):
		return fmt.Sprintf("%s: needs OpenTofu %s or newer; this is OpenTofu %s (%s)", f.Name, f.OpenTofu, c.Version, c.Path)
	case !c.OpenTofu && c.Version.Core().LessThan(f.Terraform):
		return fmt.Sprintf("%s: needs Terraform %s or newer; this is Terraform %s (%s)", f.Name, f.Terraform, c.Version, c.Path)
	}
	return ""
}

// SkipUnless skips t, saying why, when the test CLI lacks f. Exec tests,
// which run the CLI themselves, call it first.
func SkipUnless(t *testing.T, f Feature) TerraformCLI {
	t.Helper()
	c, err := HarnessCLI()
	if err != nil {
		t.Fatal(err)
	}
	if why := c.SkipReason(f); why != "" {
		t.Skip(why)
	}
	return c
}

// FeatureChecks are the TerraformVersionChecks of a resource.TestCase that
// needs f: one check that reads the product name, then its version. Not
// tfversion.SkipBelow, which would hold OpenTofu to Terraform's minimum.
func FeatureChecks(f Feature) []tfversion.TerraformVersionCheck {
	return []tfversion.TerraformVersionCheck{featureCheck{f}}
}

type featureCheck struct{ f Feature }

func (c featureCheck) CheckTerraformVersion(_ context.Context, _ tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	got, err := HarnessCLI()
	if err != nil {
		resp.Error = err
		return
	}
	resp.Skip = got.SkipReason(c.f)
}
