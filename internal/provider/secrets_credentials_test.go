package provider_test

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts/fakedtstest"
	"github.com/dts-provider/terraform-provider-dts/internal/ststest"
)

// The secrets each test plants where a credential source reads them.
const (
	leakSecret = "planted-SECRET-do-not-log-2b7e61"
	leakToken  = "planted-STS-TOKEN-do-not-log-c4f09a"
)

// brokenCLIConfig is an aliyun CLI configuration with a trailing comma, the
// mistake credentials-go answers by quoting the whole file.
const brokenCLIConfig = `{
  "current": "default",
  "profiles": [
    {"name": "default", "mode": "StsToken", "access_key_id": "STS.plantedid",
     "access_key_secret": "` + leakSecret + `", "sts_token": "` + leakToken + `",},
  ]
}`

func writeTestFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// dataSourceConfig reads one job through a provider block with the given
// credential arguments; the read is what makes the provider sign a request.
func dataSourceConfig(endpoint, credentialArgs string) string {
	return fmt.Sprintf(`
provider "dts" {
  endpoint    = %q
  region      = %q
  api         = %q
  max_retries = 0
%s
}

data "dts_synchronization_job" "test" {
  synchronization_job_id = "dtssecret001"
}
`, endpoint, acctest.Region, acctest.API(), credentialArgs)
}

// phrase matches text as Terraform prints it in a diagnostic, wrapped at
// any space.
func phrase(text string) *regexp.Regexp {
	words := strings.Fields(text)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return regexp.MustCompile(strings.Join(words, `\s+`))
}

// planFailsWithoutLeaking plans config with Terraform's and the provider's
// TRACE logging, requires the plan to fail with wantErr, and scans the
// diagnostics and the log for the planted secrets. It sets the process
// environment, so its callers are not parallel.
func planFailsWithoutLeaking(t *testing.T, config string, wantErr *regexp.Regexp, secrets ...string) {
	t.Helper()
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	var diags string
	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		ErrorCheck: func(err error) error {
			diags = err.Error()
			if !wantErr.MatchString(diags) {
				return err
			}
			return nil
		},
		Steps: []resource.TestStep{{Config: config, PlanOnly: true}},
	})
	if diags == "" {
		t.Fatalf("the plan did not fail; want an error matching %s", wantErr)
	}
	logs, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatalf("reading the TRACE log: %v", err)
	}
	if !strings.Contains(string(logs), "DTS request failed") {
		t.Fatalf("the log (%d bytes) holds no failed request of the provider; the scan would prove nothing", len(logs))
	}
	assertNoSecrets(t, map[string]string{"the diagnostics": diags, "the TRACE log": string(logs)}, secrets...)
}

// TestAccSecretsCredentialErrorProfileFile: an aliyun CLI configuration that
// is not JSON is named, with where it is broken, and never printed.
func TestAccSecretsCredentialErrorProfileFile(t *testing.T) {
	f := acctest.NewFake(t, acctest.OneWayJob("dtssecret001", "PostPaid"))
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")

	t.Run("shared_credentials_file", func(t *testing.T) {
		path := writeTestFile(t, filepath.Join(t.TempDir(), "aliyun.json"), brokenCLIConfig)
		planFailsWithoutLeaking(t, dataSourceConfig(f.URL(), fmt.Sprintf("  profile = \"default\"\n  shared_credentials_file = %q", path)),
			phrase("aliyun CLI configuration "+path+" is not valid JSON (syntax error at line 5"),
			leakSecret, leakToken)
	})
	t.Run("~/.aliyun/config.json with ALICLOUD_PROFILE", func(t *testing.T) {
		home := t.TempDir()
		writeTestFile(t, filepath.Join(home, ".aliyun", "config.json"), brokenCLIConfig)
		t.Setenv("HOME", home)
		t.Setenv("ALICLOUD_PROFILE", "default")
		planFailsWithoutLeaking(t, dataSourceConfig(f.URL(), ""),
			regexp.MustCompile(`aliyun\s+CLI\s+profile\s+"default"(?s:.*)config\.json\s+is\s+not\s+valid\s+JSON`), leakSecret, leakToken)
	})
}

// TestAccSecretsCredentialErrorDefaultChain: with no credentials configured,
// the default chain's failure explains what to do and names the broken file,
// rather than quoting every source it tried.
func TestAccSecretsCredentialErrorDefaultChain(t *testing.T) {
	f := acctest.NewFake(t, acctest.OneWayJob("dtssecret001", "PostPaid"))
	home := t.TempDir()
	writeTestFile(t, filepath.Join(home, ".aliyun", "config.json"), brokenCLIConfig)
	t.Setenv("HOME", home)
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
	planFailsWithoutLeaking(t, dataSourceConfig(f.URL(), ""),
		regexp.MustCompile(`No\s+Alibaba\s+Cloud\s+credentials\s+could\s+be\s+found(?s:.*)config\.json\s+is\s+not\s+valid\s+JSON`), leakSecret, leakToken)
}

// TestAccSecretsCredentialErrorEnvironment: STS credentials from the
// environment, and an endpoint (a gateway in front of DTS) whose error
// echoes the signed request in the spellings it may use: query string, XML,
// snake_case, headers. Neither the token nor a signature may reach the user.
func TestAccSecretsCredentialErrorEnvironment(t *testing.T) {
	gateway := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		token := r.Header.Get("x-acs-security-token") + r.Form.Get("SecurityToken")
		var echo strings.Builder
		_ = xml.EscapeText(&echo, []byte(fmt.Sprintf("string to sign: %s | x-acs-security-token:%s | Authorization: %s | "+
			"<SecurityToken>%s</SecurityToken> | security_token=%s | {\"sts_token\": \"%s\"}",
			r.Form.Encode(), token, r.Header.Get("Authorization"), token, token, token)))
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprintf(w, "<Error><RequestId>gw-echo</RequestId><Code>SignatureDoesNotMatch</Code><Message>%s</Message></Error>", echo.String())
	}))
	t.Cleanup(gateway.Close)
	t.Setenv("ALICLOUD_ACCESS_KEY", "STS.envaccesskey01")
	t.Setenv("ALICLOUD_SECRET_KEY", leakSecret)
	t.Setenv("ALICLOUD_SECURITY_TOKEN", leakToken)
	for _, alg := range []string{"ACS3-HMAC-SHA256", "HMAC-SHA1"} {
		t.Run(alg, func(t *testing.T) {
			planFailsWithoutLeaking(t, dataSourceConfig(gateway.URL, fmt.Sprintf("  signature_algorithm = %q", alg)),
				regexp.MustCompile(`SignatureDoesNotMatch`), leakSecret, leakToken)
		})
	}
}

// TestAccSecretsCredentialErrorAssumeRole: STS refuses AssumeRole with an
// answer that echoes the caller's token; the error names the role and the
// code, never the answer.
func TestAccSecretsCredentialErrorAssumeRole(t *testing.T) {
	f := acctest.NewFake(t, acctest.OneWayJob("dtssecret001", "PostPaid"))
	sts := ststest.NewServer(t, ststest.Options{RefuseStatus: http.StatusBadRequest, RefuseBody: `{"RequestId":"sts-refused-01","Code":"SignatureDoesNotMatch",` +
		`"Message":"server string to sign is: x-acs-security-token:` + leakToken + ` <SecurityToken>` + leakToken + `</SecurityToken> sts_token=` + leakToken + `"}`})
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "STS.basekey01")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", leakSecret)
	t.Setenv("ALIBABA_CLOUD_SECURITY_TOKEN", leakToken)
	planFailsWithoutLeaking(t, dataSourceConfig(f.URL(), fmt.Sprintf(`  sts_endpoint = %q
  assume_role {
    role_arn = "acs:ram::1234567890:role/dts-operator"
  }`, sts.Endpoint())),
		regexp.MustCompile(`assuming\s+role\s+"acs:ram::1234567890:role/dts-operator"(?s:.*)STS\s+refused\s+AssumeRole:\s+SignatureDoesNotMatch`),
		leakSecret, leakToken)
}

// TestAccAssumeRoleOnceForTenResources applies ten resources at Terraform's
// default parallelism, each reading and pausing its own job at once
// (batch_status_reads = false), with a role set only in the alicloud
// provider's environment variables. The role must be assumed, once per
// provider instance and never by two requests at once, and its session's
// secrets must stay out of the log.
func TestAccAssumeRoleOnceForTenResources(t *testing.T) {
	session := ststest.Session{AccessKeyID: "STS.rolesession01", AccessKeySecret: leakSecret, SecurityToken: leakToken}
	sts := ststest.NewServer(t, ststest.Options{Sessions: []ststest.Session{session}, Delay: 200 * time.Millisecond})
	var jobs []fakedts.Job
	for i := range 10 {
		jobs = append(jobs, acctest.OneWayJob(fmt.Sprintf("dtsrole%05d", i), "PostPaid"))
	}
	f := fakedtstest.NewServer(t, fakedts.Options{Jobs: jobs, Seed: 1, Credentials: []fakedts.Credential{fakedts.Credential(session)}})

	base := fakedts.DefaultCredential() // never accepted by the fake: only the role's session is
	t.Setenv("ALICLOUD_ACCESS_KEY", base.AccessKeyID)
	t.Setenv("ALICLOUD_SECRET_KEY", base.AccessKeySecret)
	t.Setenv("ALICLOUD_ASSUME_ROLE_ARN", "acs:ram::1234567890:role/dts-operator")
	t.Setenv("ALICLOUD_ASSUME_ROLE_SESSION_NAME", "ten-resources")
	t.Setenv("ALICLOUD_STS_ENDPOINT", sts.Endpoint())
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logPath)

	config := fmt.Sprintf(`
provider "dts" {
  endpoint           = %q
  region             = %q
  api                = %q
  batch_status_reads = false
}

resource "dts_synchronization_job_state" "job" {
  count                     = 10
  synchronization_job_id    = format("dtsrole%%05d", count.index)
  synchronization_direction = "Forward"
  state                     = "Suspended"
}
`, f.URL(), acctest.Region, acctest.API())
	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{{Config: config}},
	})

	if f.CallCount(acctest.Actions().Suspend) < 10 {
		t.Fatalf("%d suspends reached DTS; want one per resource", f.CallCount(acctest.Actions().Suspend))
	}
	logs, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	configures := strings.Count(string(logs), "DTS provider configured")
	calls := sts.Calls()
	t.Logf("AssumeRole calls: %d; provider configurations: %d", calls, configures)
	if calls == 0 || calls > configures {
		t.Errorf("AssumeRole was called %d times for %d provider configurations; want at most one each", calls, configures)
	}
	if m := sts.MaxInFlight(); m != 1 {
		t.Errorf("up to %d AssumeRole calls ran at once; want one at a time", m)
	}
	for _, r := range sts.Requests() {
		if r.RoleArn != "acs:ram::1234567890:role/dts-operator" || r.RoleSessionName != "ten-resources" {
			t.Errorf("AssumeRole asked for %+v; want the role and session name of ALICLOUD_ASSUME_ROLE_*", r)
		}
	}
	assertNoSecrets(t, map[string]string{"the TRACE log": string(logs)}, leakSecret, leakToken)
}
