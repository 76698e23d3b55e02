package provider

import (
	"strings"
	"testing"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

// A credential failure sent nothing to DTS, so its advice points at the
// credential source, not at a RequestId that does not exist.
func TestAPIErrorAdvice_credentialFailure(t *testing.T) {
	t.Parallel()
	e := &dtsclient.APIError{Action: "DescribeDtsJobDetail", Err: &dtsclient.CredentialError{Source: "aliyun CLI profile", Problem: "not valid JSON"}}
	got := apiErrorAdvice(e)
	if strings.Contains(got, "RequestId") || !strings.Contains(got, "credential source") {
		t.Errorf("advice = %q, want it to name the credential source and no RequestId", got)
	}
}
