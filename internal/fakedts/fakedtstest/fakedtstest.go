// Package fakedtstest starts a fake DTS endpoint for one test. It lives
// apart from fakedts so that the fake itself links no testing code.
package fakedtstest

import (
	"testing"

	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// NewServer starts a fake on a loopback port and closes it when the test
// ends.
func NewServer(t testing.TB, opts fakedts.Options) *fakedts.Server {
	t.Helper()
	s := fakedts.New(opts)
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatalf("fakedtstest: start fake DTS: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}
