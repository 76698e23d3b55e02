// Package acctest holds what the acceptance tests share: provider factories,
// a fake DTS endpoint per test, and configuration builders.
package acctest

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts/fakedtstest"
	"github.com/dts-provider/terraform-provider-dts/internal/provider"
)

// ProtoV6ProviderFactories serves the real provider in-process to the
// Terraform CLI that terraform-plugin-testing runs.
var ProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"dts": providerserver.NewProtocol6WithError(provider.New("test")()),
}

// Region is the region of the fake's jobs.
const Region = "cn-hangzhou"

// NewFake starts a fake DTS endpoint for one test, closed when it ends. It
// behaves as the profile named by DTS_FAKE_PROFILE (default: "default").
func NewFake(t *testing.T, jobs ...fakedts.Job) *fakedts.Server {
	t.Helper()
	return fakedtstest.NewServer(t, fakeOptions(t, jobs))
}

// fakeOptions are the options of every test's fake: the jobs, a fixed seed,
// and the switches of the profile DTS_FAKE_PROFILE names.
func fakeOptions(t *testing.T, jobs []fakedts.Job) fakedts.Options {
	t.Helper()
	if err := checkAPI(); err != nil {
		t.Fatal(err)
	}
	p, err := fakedts.ProfileByName(os.Getenv(fakedts.ProfileEnv))
	if err != nil {
		t.Fatalf("%s: %v", fakedts.ProfileEnv, err)
	}
	return fakedts.Options{Jobs: jobs, Seed: 1, Behavior: p.Behavior, Quotas: p.Quotas}
}

// ProviderConfig is a provider block that points at the fake through the
// provider's own configuration, as a user testing offline would write it.
func ProviderConfig(f *fakedts.Server) string {
	return providerConfigURL(f.URL(), "")
}

// ProviderConfigWith is ProviderConfig with extra provider arguments.
func ProviderConfigWith(f *fakedts.Server, extra string) string {
	return providerConfigURL(f.URL(), extra)
}

// setsAPI matches extra provider arguments that choose the family themselves.
var setsAPI = regexp.MustCompile(`(?m)^\s*api\s*=`)

// providerConfigURL writes the provider block; api is API() unless extra
// sets it (tests of one family, such as the fallback tests).
func providerConfigURL(url, extra string) string {
	cred := fakedts.DefaultCredential()
	api := fmt.Sprintf("  api         = %q\n", API())
	if setsAPI.MatchString(extra) {
		api = ""
	}
	return fmt.Sprintf(`
provider "dts" {
  endpoint    = %[1]q
  region      = %[2]q
  access_key  = %[3]q
  secret_key  = %[4]q
  max_retries = 8
%[6]s%[5]s
}
`, url, Region, cred.AccessKeyID, cred.AccessKeySecret, extra, api)
}

// PreCheck fails the test early when no Terraform CLI can be found, rather
// than letting the harness try (and fail) to download one.
func PreCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC_TERRAFORM_PATH") != "" {
		return
	}
	if _, err := exec.LookPath("terraform"); err != nil {
		t.Fatal("no Terraform CLI: set TF_ACC_TERRAFORM_PATH or run the tests with `make test`, which resolves one")
	}
}
