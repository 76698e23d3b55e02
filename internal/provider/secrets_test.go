package provider_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts/fakedtstest"
)

// TestAccSecretsStayOutOfLogsAndState runs pause, resume, an error and an
// import with TRACE logging of Terraform and the provider, in both signing
// modes, then scans every log line and the state for the secret key, the
// STS token and anything shaped like a signature.
//
// It is not parallel: it sets the log environment for the harness.
func TestAccSecretsStayOutOfLogsAndState(t *testing.T) {
	const (
		jobID  = "dtssecret001"
		secret = "fakedts-SECRET-do-not-log-7f3a9c"
		token  = "fakedts-STS-TOKEN-do-not-log-81be42"
	)
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	// The harness logs the configuration it writes, so the credentials come
	// from the environment, as they usually do in pipelines.
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "STS.fakedtsaccesskey01")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret)
	t.Setenv("ALIBABA_CLOUD_SECURITY_TOKEN", token)

	cred := fakedts.Credential{AccessKeyID: "STS.fakedtsaccesskey01", AccessKeySecret: secret, SecurityToken: token}
	f := fakedtstest.NewServer(t, fakedts.Options{Credentials: []fakedts.Credential{cred}, Jobs: []fakedts.Job{acctest.OneWayJob(jobID, "PostPaid")}})
	config := func(signature, state, direction string) string {
		return fmt.Sprintf(`
provider "dts" {
  endpoint            = %[1]q
  region              = %[2]q
  signature_algorithm = %[3]q
  api                 = %[7]q
}

resource "dts_synchronization_job_state" "test" {
  synchronization_job_id    = %[4]q
  synchronization_direction = %[5]q
  state                     = %[6]q
}
`, f.URL(), acctest.Region, signature, jobID, direction, state, acctest.API())
	}
	var states []string
	captureState := func(s *terraform.State) error {
		states = append(states, fmt.Sprintf("%#v", s.RootModule().Resources))
		return nil
	}

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config("ACS3-HMAC-SHA256", "Suspended", "Forward"), Check: captureState},
			{Config: config("HMAC-SHA1", "Synchronizing", "Forward"), Check: captureState},
			{
				ResourceName:            resName,
				ImportState:             true,
				ImportStateId:           jobID,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
			// An error path: its diagnostics are logged too.
			{Config: config("HMAC-SHA1", "Suspended", "Reverse"), ExpectError: regexp.MustCompile(`Reverse Direction on a One-Way Job`)},
		},
	})

	logs, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatalf("reading the TRACE log: %v", err)
	}
	if !strings.Contains(string(logs), acctest.Actions().Describe) || f.CallCount(acctest.Actions().Suspend) == 0 {
		t.Fatalf("the log (%d bytes) holds no provider API call; the scan would prove nothing", len(logs))
	}
	assertNoSecrets(t, map[string]string{"TRACE log": string(logs), "state": strings.Join(states, "\n")}, secret, token)
}

// assertNoSecrets fails the test for each haystack that holds one of the
// secrets, or anything shaped like a signature, an Authorization header or
// an STS token header.
func assertNoSecrets(t *testing.T, haystacks map[string]string, secrets ...string) {
	t.Helper()
	// Each pattern's first group is the value; a value the provider
	// replaced with REDACTED is what should be there.
	forbidden := map[string]*regexp.Regexp{
		"a V3 signature":      regexp.MustCompile(`Signature=([0-9a-f]{64})`),
		"a V1 signature":      regexp.MustCompile(`Signature=([A-Za-z0-9%+/]{20,})`),
		"an Authorization":    regexp.MustCompile(`ACS3-HMAC-SHA256 (Credential=)`),
		"an STS token header": regexp.MustCompile(`(?i)x-acs-security-token"?\s*[:=]\s*"?([A-Za-z0-9][^\s"|]*)`),
	}
	for _, secret := range secrets {
		forbidden[fmt.Sprintf("the planted secret %q", secret)] = regexp.MustCompile("(" + regexp.QuoteMeta(secret) + ")")
	}
	for where, text := range haystacks {
		for what, re := range forbidden {
			for _, loc := range re.FindAllStringSubmatchIndex(text, -1) {
				if text[loc[2]:loc[3]] == "REDACTED" {
					continue
				}
				start := max(loc[0]-120, 0)
				t.Errorf("%s contains %s: ...%s...", where, what, text[start:min(loc[1]+40, len(text))])
				break
			}
		}
	}
}
