package provider

import (
	"testing"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

// FuzzParseImportID: the parser never panics, and whatever it accepts
// round-trips through the documented format.
func FuzzParseImportID(f *testing.F) {
	for _, s := range []string{"dtsabc", "dtsabc:Reverse", "cn-hangzhou/dtsabc:Forward", "a/b/c", ":", "/", "dts abc:forward", "cn-hangzhou/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		id, err := parseImportID(raw)
		if err != nil {
			return
		}
		formatted := resourceID(id.JobID, id.Direction)
		if id.Region != "" {
			formatted = id.Region + "/" + formatted
		}
		again, err := parseImportID(formatted)
		if err != nil || again != id {
			t.Fatalf("%q parsed to %+v, but its formatted form %q parsed to %+v, %v", raw, id, formatted, again, err)
		}
		if dtsclient.ValidateInstanceID(id.JobID) != nil {
			t.Fatalf("accepted job ID %q breaks the schema's pattern", id.JobID)
		}
	})
}

// FuzzNextStep: deciding never panics, and it says done only when the
// status already means the desired state.
func FuzzNextStep(f *testing.F) {
	for _, s := range []string{"Synchronizing", "suspending", "Failed", "NotStarted", "Initializing", "", "Locked"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		status := dtsclient.NormalizeStatus(raw)
		for _, desired := range []string{stateSuspended, stateSynchronizing} {
			next, err := nextStep(status, desired)
			if err == nil && next == stepDone && status.DeclaredState() != desired {
				t.Fatalf("nextStep(%q, %q) says done, but the state is %q", status, desired, status.DeclaredState())
			}
		}
	})
}
