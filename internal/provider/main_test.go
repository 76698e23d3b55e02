package provider_test

import (
	"os"
	"strings"
	"testing"
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
	os.Exit(m.Run())
}
