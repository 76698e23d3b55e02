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
		skip116  bool // skips an ActionLifecycle test
	}{
		{out: "Terraform v1.16.4\non linux_amd64\n", version: "1.16.4"},
		{out: "Terraform v1.16.0\non linux_amd64\n", version: "1.16.0"},
		{out: "Terraform v1.15.2\non linux_amd64\n", version: "1.15.2", skip116: true},
		{out: "Terraform v1.14.9\non linux_amd64\n", version: "1.14.9", skip116: true},
		{out: "Terraform v1.13.3\non linux_amd64\n", version: "1.13.3", skipQ: true},
		{out: "Terraform v1.12.0\non linux_amd64\n", version: "1.12.0", skipQ: true},
		{out: "Terraform v1.11.4\non linux_amd64\n", version: "1.11.4", skipQ: true, skipID: true},
		// OpenTofu is held to its own minimum, and has no query or actions
		// whatever its number says.
		{out: "OpenTofu v1.16.0\non linux_amd64\n", openTofu: true, version: "1.16.0", skipQ: true},
		{out: "OpenTofu v1.12.6\non linux_amd64\n", openTofu: true, version: "1.12.6", skipQ: true},
		{out: "OpenTofu v1.12.4\non linux_amd64\n", openTofu: true, version: "1.12.4", skipQ: true},
		{out: "OpenTofu v1.12.3\non linux_amd64\n", openTofu: true, version: "1.12.3", skipQ: true, skipID: true},
		{out: "OpenTofu v1.11.6\non linux_amd64\n", openTofu: true, version: "1.11.6", skipQ: true, skipID: true},
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
		if got := c.SkipReason(ActionLifecycle) != ""; got != (tc.skip116 || tc.skipQ) {
			t.Errorf("%q: skips the 1.16 action features = %t, want %t (%q)", tc.out, got, tc.skip116 || tc.skipQ, c.SkipReason(ActionLifecycle))
		}
		if got := c.SkipReason(Identity) != ""; got != tc.skipID {
			t.Errorf("%q: skips identity = %t, want %t (%q)", tc.out, got, tc.skipID, c.SkipReason(Identity))
		}
		for _, f := range []Feature{Query, Identity, ProviderActions, ActionLifecycle} {
			why := c.SkipReason(f)
			if why == "" {
				continue
			}
			product := "Terraform"
			if tc.openTofu {
				product = "OpenTofu"
			}
			for _, want := range []string{f.Name, product + " " + tc.version, "/bin/tf"} {
				if !strings.Contains(why, want) {
					t.Errorf("%q: the skip reason %q does not name %q", tc.out, why, want)
				}
			}
		}
	}
	if _, err := parseCLIVersion("/bin/tf", "something else v1\n"); err == nil {
		t.Error("an unknown product was accepted")
	}
}

// A skip says what the CLI would need: the minimum of its own product, or
// that no OpenTofu has the feature.
func TestSkipReasonNamesTheMinimum(t *testing.T) {
	for _, tc := range []struct {
		out  string
		f    Feature
		want string
	}{
		{"Terraform v1.11.4\n", Identity, "needs Terraform 1.12.0 or newer"},
		{"OpenTofu v1.11.6\n", Identity, "needs OpenTofu 1.12.4 or newer"},
		{"OpenTofu v1.12.6\n", Query, "not in any OpenTofu version served here (Terraform has it from 1.14.0)"},
		{"OpenTofu v1.12.6\n", ProviderActions, "not in any OpenTofu version served here"},
	} {
		c, err := parseCLIVersion("/bin/tf", tc.out)
		if err != nil {
			t.Fatal(err)
		}
		if why := c.SkipReason(tc.f); !strings.Contains(why, tc.want) {
			t.Errorf("%q, %s: skip reason %q, want it to say %q", tc.out, tc.f.Name, why, tc.want)
		}
	}
}
