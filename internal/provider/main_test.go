package provider_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/dts-provider/terraform-provider-dts/internal/ststest"
)

// TestMain clears the Alibaba Cloud variables of whoever runs the tests, so
// that a developer's own keys, region or profile can never change what a
// test configures or sends.
func TestMain(m *testing.M) {
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "ALIBABA_CLOUD_") || strings.HasPrefix(name, "ALICLOUD_") {
			_ = os.Unsetenv(name)
		}
	}
	// The stub STS of the assume_role tests speaks HTTPS, as credentials-go
	// requires; this must precede the first certificate check of the process.
	if err := ststest.TrustTestCertificates(); err != nil {
		fmt.Fprintln(os.Stderr, "ststest:", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}
