package provider_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
)

// denyActions is an interposer hook that answers the named actions as a RAM
// policy that denies them does: HTTP 403 NoPermission. deny replaces the set.
func denyActions() (acctest.Hook, func(actions ...string)) {
	var (
		mu     sync.Mutex
		denied = map[string]bool{}
	)
	hook := func(w http.ResponseWriter, _ *http.Request, action string, _ int, _ http.Handler) bool {
		mu.Lock()
		deny := denied[action]
		mu.Unlock()
		if !deny {
			return false
		}
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintf(w, `{"RequestId":"AUTHZ-%s","Code":"NoPermission","Message":"You are not authorized to do this action. Action: dts:%s"}`, action, action)
		return true
	}
	set := func(actions ...string) {
		mu.Lock()
		defer mu.Unlock()
		denied = map[string]bool{}
		for _, a := range actions {
			denied[a] = true
		}
	}
	return hook, set
}

// A RAM policy that denies an action stops the provider with that error,
// naming the action to allow, in every api mode: auto never walks around it
// through the other family, and a denied read never reads as a deleted job
// (refresh keeps the resource; resume_on_destroy does not skip the resume).
func TestAccSynchronizationJobState_authorizationFailure(t *testing.T) {
	t.Parallel()
	for i, mode := range acctest.APIs {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			fam, other := acctest.Maintained, acctest.Legacy
			if mode == "synchronization_job" {
				fam, other = acctest.Legacy, acctest.Maintained
			}
			jobID := fmt.Sprintf("dtsauthz%04d", i)
			hook, deny := denyActions()
			ip := acctest.NewInterposed(t, hook, acctest.OneWayJob(jobID, "PrePaid"))
			cli := acctest.NewCLI(t)
			cli.WriteConfig(ip.ProviderConfig(fmt.Sprintf("  api = %q\n", mode)) + fmt.Sprintf(`
resource "dts_synchronization_job_state" "test" {
  synchronization_job_id = %q
  state                  = "Suspended"
  resume_on_destroy      = true
}
`, jobID))
			errorNames := func(out string, err error, action string) {
				t.Helper()
				if err == nil {
					t.Fatalf("the run succeeded although %s was denied", action)
				}
				wantDiag(t, acctest.Diagnostics(out), "error", "", action, "NoPermission", "allow the RAM action dts:"+action,
					"does not try the other DTS API family")
			}

			// A denied Suspend is the error; the other family's Suspend is never sent.
			deny(fam.Suspend)
			out, err := cli.Run("apply", "-json", "-auto-approve")
			errorNames(out, err, fam.Suspend)
			if n := ip.Fake.CallCount(other.Suspend); n != 0 {
				t.Errorf("%s was called %d times after %s was denied", other.Suspend, n, fam.Suspend)
			}
			must(t, acctest.FakeStatusIs(ip.Fake, jobID, "Forward", "Synchronizing"))

			deny()
			mustRun(t, cli, "apply", "-json", "-auto-approve")
			must(t, acctest.FakeStatusIs(ip.Fake, jobID, "Forward", "Suspending"))

			// A denied read fails the refresh and keeps the resource.
			deny(fam.Describe, fam.Directions)
			ip.Fake.ResetCalls()
			out, err = cli.Run("apply", "-json", "-auto-approve", "-refresh-only")
			errorNames(out, err, fam.Describe)
			if n := ip.Fake.CallCount(other.Describe) + ip.Fake.CallCount(other.Directions); n != 0 {
				t.Errorf("the other family's reads were called %d times after %s was denied", n, fam.Describe)
			}
			if got := strings.TrimSpace(mustRun(t, cli, "state", "list")); got != "dts_synchronization_job_state.test" {
				t.Errorf("state after a denied refresh holds %q, want the resource", got)
			}

			// A destroy whose read is denied fails instead of skipping the resume.
			out, err = cli.Run("destroy", "-json", "-auto-approve", "-refresh=false")
			errorNames(out, err, fam.Describe)
			must(t, acctest.FakeStatusIs(ip.Fake, jobID, "Forward", "Suspending"))

			deny()
			mustRun(t, cli, "destroy", "-json", "-auto-approve")
			must(t, acctest.FakeStatusIs(ip.Fake, jobID, "Forward", "Synchronizing"))
		})
	}
}
