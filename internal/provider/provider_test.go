package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// Bad provider configuration fails the plan with a message that names the
// argument and what it accepts, before any API call.
func TestAccProvider_invalidConfiguration(t *testing.T) {
	t.Parallel()
	f := acctest.NewFake(t, acctest.OneWayJob("dtsprovcfg01", "PostPaid"))
	cred := fakedts.DefaultCredential()
	resourceBlock := `
resource "dts_synchronization_job_state" "test" {
  synchronization_job_id = "dtsprovcfg01"
  state                  = "Suspended"
}
`
	providerBlock := func(args string) string {
		return "provider \"dts\" {\n" + args + "\n}\n" + resourceBlock
	}
	keys := fmt.Sprintf("access_key = %q\nsecret_key = %q\n", cred.AccessKeyID, cred.AccessKeySecret)
	endpoint := fmt.Sprintf("endpoint = %q\n", f.URL())
	cases := []struct {
		args, want string
	}{
		{keys + `endpoint = "not a url at all"`, `Invalid Endpoint.*not a valid URL or host.*http://127.0.0.1:PORT`},
		{keys + `endpoint = "ftp://127.0.0.1:21"`, `Invalid Endpoint.*scheme "ftp"`},
		{keys + `endpoint = "http://dts.example.com"`, `Invalid Endpoint.*allow_insecure_http`},
		{keys + endpoint + `region = "Hangzhou"`, `region.*cn-hangzhou`},
		{keys + endpoint + `region = "cn_hangzhou"`, `region.*cn-hangzhou`},
		{fmt.Sprintf("access_key = %q\n", cred.AccessKeyID) + endpoint + `region = "cn-hangzhou"`, `Incomplete Access Key.*secret_key.*ALIBABA_CLOUD_ACCESS_KEY_SECRET`},
		{keys + endpoint + `region = "cn-hangzhou"` + "\n" + `profile = "ops"`, `Conflicting Credentials`},
		{`security_token = "tok"` + "\n" + endpoint + `region = "cn-hangzhou"`, `Security Token Without Access Key`},
		{keys + endpoint + `region = "cn-hangzhou"` + "\n" + `signature_algorithm = "HMAC-SHA256"`, `signature_algorithm.*"ACS3-HMAC-SHA256".*"HMAC-SHA1"`},
		{keys + endpoint + `region = "cn-hangzhou"` + "\n" + `max_retries = -1`, `max_retries.*between 0 and 100`},
		{keys + endpoint + `region = "cn-hangzhou"` + "\n" + `request_timeout = "soon"`, `request_timeout.*positive Go duration`},
		{keys + endpoint + `region = "cn-hangzhou"` + "\n" + `assume_role {` + "\n" + `session_name = "x"` + "\n}", `Missing Role ARN.*role_arn`},
		{keys + endpoint + `region = "cn-hangzhou"` + "\n" + `assume_role {` + "\n" + `role_arn = "acs:ram::1:role/x"` + "\n" + `session_expiration = 60` + "\n}", `session_expiration.*between 900 and 43200`},
	}
	steps := make([]resource.TestStep, 0, len(cases))
	for _, tc := range cases {
		steps = append(steps, resource.TestStep{
			Config:      providerBlock(tc.args),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)` + tc.want),
		})
	}
	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps:                    steps,
	})
	if n := f.CallCount(""); n != 0 {
		t.Errorf("bad provider configuration reached the API: %d calls, want 0", n)
	}
}
