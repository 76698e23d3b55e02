package acctest

import (
	"strings"
	"testing"
)

func TestParseCLIVersion(t *testing.T) {
	for _, tc := range []struct {
		out      string
		openTofu bool
		version  string
		skipQ    bool // skips a Query test
		skipID   bool // skips an Identity test
	}{
		{out: "Terraform v1.16.4\non linux_amd64\n", version: "1.16.4"},
		{out: "Terraform v1.14.9\non linux_amd64\n", version: "1.14.9"},
		{out: "Terraform v1.13.3\non linux_amd64\n", version: "1.13.3", skipQ: true},
		{out: "Terraform v1.11.4\non linux_amd64\n", version: "1.11.4", skipQ: true, skipID: true},
		// OpenTofu's numbers would pass tfversion's gates; the name must not.
		{out: "OpenTofu v1.12.6\non linux_amd64\n", openTofu: true, version: "1.12.6", skipQ: true, skipID: true},
		{out: "OpenTofu v1.6.3\non linux_amd64\n", openTofu: true, version: "1.6.3", skipQ: true, skipID: true},
	} {
		c, err := parseCLIVersion("/bin/tf", tc.out)
		if err != nil {
			t.Fatalf("%q: %v", tc.out, err)
		}
		if c.OpenTofu != tc.openTofu || c.Version.String() != tc.version {
			t.Errorf("%q: got OpenTofu=%t version %s", tc.out, c.OpenTofu, c.Version)
		}
		if got := c.SkipReason(Query) != ""; got != tc.skipQ {
			t.Errorf("%q: skips query = %t, want %t (%q)", tc.out, got, tc.skipQ, c.SkipReason(Query))
		}
		if got := c.SkipReason(Identity) != ""; got != tc.skipID {
			t.Errorf("%q: skips identity = %t, want %t", tc.out, got, tc.skipID)
		}
		if why := c.SkipReason(ProviderActions); why != "" && !strings.Contains(why, tc.version) {
			t.Errorf("%q: the skip reason %q does not name the CLI version", tc.out, why)
		}
	}
	if _, err := parseCLIVersion("/bin/tf", "something else v1\n"); err == nil {
		t.Error("an unknown product was accepted")
	}
}
