package provider_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/dts-provider/terraform-provider-dts/internal/acctest"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// The fault matrix (FAULT_MATRIX.md): each row is one fault during a pause,
// and the outcome a user would see. Rows that converge end with the fake
// holding Suspending and an empty plan; rows that fail name the action, job,
// direction, code and RequestId, and the state matches what the fake holds.

func faultConfig(providerBlock, jobID string) string {
	return providerBlock + fmt.Sprintf(`
resource "dts_synchronization_job_state" "test" {
  synchronization_job_id = %[1]q
  state                  = "Suspended"
}
`, jobID)
}

// convergesStep is a step whose apply must end paused, with no drift after.
func convergesStep(f *fakedts.Server, config, jobID string) resource.TestStep {
	return resource.TestStep{
		Config: config,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		Check: resource.ComposeTestCheckFunc(
			acctest.CheckFakeStatus(f, jobID, "Forward", "Suspending"),
			resource.TestCheckResourceAttr(resName, "status", "Suspending"),
		),
	}
}

func TestAccSynchronizationJobState_faultQueued(t *testing.T) {
	t.Parallel()
	rows := map[string][]struct {
		action string
		kind   fakedts.FaultKind
		n      int
	}{
		"throttling burst on every action": {{"", fakedts.FaultThrottling, 5}},
		"5xx answers":                      {{"", fakedts.FaultServiceUnavailable, 2}, {acctest.Actions().Suspend, fakedts.FaultInternalError, 2}},
		"dropped connections":              {{acctest.Actions().Describe, fakedts.FaultDropConnection, 2}, {acctest.Actions().Suspend, fakedts.FaultDropConnection, 1}},
		// The suspend runs but its answer is cut short: it is not sent
		// again, and a read shows the pause.
		"truncated bodies": {{acctest.Actions().Describe, fakedts.FaultTruncateBody, 1}, {acctest.Actions().Suspend, fakedts.FaultTruncateBody, 1}},
	}
	for name, faults := range rows {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			const jobID = "dtsfault0001"
			f := acctest.NewFake(t, acctest.OneWayJob(jobID, "PostPaid"))
			step := convergesStep(f, faultConfig(acctest.ProviderConfig(f), jobID), jobID)
			step.PreConfig = func() {
				for _, q := range faults {
					must(t, f.QueueFault(q.action, q.kind, q.n))
				}
			}
			resource.UnitTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{step},
			})
		})
	}
}

// The suspend is carried out, but its answer arrives after the request
// timeout: the provider does not send it again, and reads the status
// instead of failing.
func TestAccSynchronizationJobState_faultSlowerThanRequestTimeout(t *testing.T) {
	t.Parallel()
	const jobID = "dtsslowans001"
	ip := acctest.NewInterposed(t, func(w http.ResponseWriter, r *http.Request, action string, n int, next http.Handler) bool {
		if action != acctest.Actions().Suspend || n > 0 {
			return false
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		time.Sleep(2500 * time.Millisecond)
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
		return true
	}, acctest.OneWayJob(jobID, "PostPaid"))

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{convergesStep(ip.Fake, faultConfig(ip.ProviderConfig(`request_timeout = "1s"`), jobID), jobID)},
	})
}

// A gateway that answers HTML instead of JSON is a 5xx to retry.
func TestAccSynchronizationJobState_faultNonJSONBody(t *testing.T) {
	t.Parallel()
	const jobID = "dtshtml00001"
	ip := acctest.NewInterposed(t, func(w http.ResponseWriter, _ *http.Request, action string, n int, _ http.Handler) bool {
		if action != acctest.Actions().Suspend || n > 0 {
			return false
		}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html><body>502 Bad Gateway</body></html>"))
		return true
	}, acctest.OneWayJob(jobID, "PostPaid"))

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{convergesStep(ip.Fake, faultConfig(ip.ProviderConfig(""), jobID), jobID)},
	})
}

// A business error with a code nobody documented is not retried: the error
// names action, job, direction, code and RequestId, and nothing is tracked.
func TestAccSynchronizationJobState_faultUnknownBusinessCode(t *testing.T) {
	t.Parallel()
	const jobID = "dtsunknown01"
	ip := acctest.NewInterposed(t, func(w http.ResponseWriter, _ *http.Request, action string, _ int, _ http.Handler) bool {
		if action != acctest.Actions().Suspend {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"RequestId":"0AB1C2D3-0000-4000-8000-UNKNOWNCODE1","Success":"false","ErrCode":"DTS.Brand.NewCode","ErrMessage":"Something the docs never mentioned."}`))
		return true
	}, acctest.OneWayJob(jobID, "PostPaid"))

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      faultConfig(ip.ProviderConfig(""), jobID),
				ExpectError: regexp.MustCompile(`(?s)` + jobID + `.*Forward.*` + acctest.Actions().Suspend + `.*DTS.Brand.NewCode.*0AB1C2D3-0000-4000-8000-UNKNOWNCODE1`),
			},
			{
				// Nothing was created, so nothing is tracked.
				Config: ip.ProviderConfig(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: acctest.CheckFakeStatus(ip.Fake, jobID, "Forward", "Synchronizing"),
			},
		},
	})
	if n := ip.Fake.CallCount(acctest.Actions().Suspend); n != 0 {
		t.Errorf("the fake saw %d suspends; the interposer should have answered them all", n)
	}
}

// The job turns Failed while the provider waits for the pause: apply stops
// at once with the job's own error, and the state records Failed.
func TestAccSynchronizationJobState_faultFailsDuringWait(t *testing.T) {
	t.Parallel()
	const jobID = "dtsfailwait1"
	job := acctest.OneWayJob(jobID, "PostPaid")
	job.TransitionTime = time.Hour
	var ip *acctest.Interposer
	// The second read after the suspend (a shared poll or a single read) sees the job fail.
	onRead := onSecondReadAfterSuspend(func() { must(t, ip.Fake.SetStatus(jobID, "Forward", "Failed")) })
	ip = acctest.NewInterposed(t, func(_ http.ResponseWriter, _ *http.Request, action string, _ int, _ http.Handler) bool {
		onRead(action)
		return false
	}, job)
	pendingShowsOldStatus(t, ip.Fake)

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      faultConfig(ip.ProviderConfig(""), jobID),
				ExpectError: regexp.MustCompile(`(?s)Synchronization Job Is Failed.*` + jobID + ` \(Forward\)`),
			},
			{
				// The refreshed state says Failed: planning the pause again
				// warns (a plan error would block terraform destroy).
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
			},
			{
				// Applying it reads the job and stops before any call.
				Config:      faultConfig(ip.ProviderConfig(""), jobID),
				ExpectError: regexp.MustCompile(`(?s)Synchronization Job Is Failed.*` + jobID + ` \(Forward\).*DTS reports status\s+Failed`),
			},
		},
	})
	if n := ip.Fake.CallCount(acctest.Actions().Suspend); n != 1 {
		t.Errorf("the fake saw %d suspends, want the first apply's 1", n)
	}
}

// The job is deleted while the provider waits: apply fails saying so, and
// the state does not claim a job that no longer exists.
func TestAccSynchronizationJobState_faultDeletedDuringWait(t *testing.T) {
	t.Parallel()
	const jobID = "dtsdelwait01"
	job := acctest.OneWayJob(jobID, "PostPaid")
	job.TransitionTime = time.Hour
	var ip *acctest.Interposer
	onRead := onSecondReadAfterSuspend(func() { must(t, ip.Fake.DeleteJob(jobID)) })
	ip = acctest.NewInterposed(t, func(_ http.ResponseWriter, _ *http.Request, action string, _ int, _ http.Handler) bool {
		onRead(action)
		return false
	}, job)
	pendingShowsOldStatus(t, ip.Fake)

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      faultConfig(ip.ProviderConfig(""), jobID),
				ExpectError: regexp.MustCompile(`(?s)Unable to Pause Synchronization Job.*` + jobID + `.*(Forbidden\.InstanceNotFound|InvalidJobId)`),
			},
			{
				Config: ip.ProviderConfig(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// A clock 20 minutes off makes DTS reject every signature; the plan fails
// before any change with an error that names the clock.
func TestAccSynchronizationJobState_faultClockSkew(t *testing.T) {
	t.Parallel()
	const jobID = "dtsclock0001"
	f := acctest.NewFake(t, acctest.OneWayJob(jobID, "PostPaid"))
	f.AdvanceClock(20 * time.Minute)

	resource.UnitTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      faultConfig(acctest.ProviderConfig(f), jobID),
				ExpectError: regexp.MustCompile(`(?s)InvalidTimeStamp.Expired.*clock\s+is\s+more\s+than\s+15\s+minutes`),
			},
		},
	})
	if err := acctest.FakeStatusIs(f, jobID, "Forward", "Synchronizing"); err != nil {
		t.Error(err)
	}
}

// onSecondReadAfterSuspend returns a hook body that runs f once, before the
// second status read of any kind (single or shared) after the first Suspend.
func onSecondReadAfterSuspend(f func()) func(action string) {
	var mu sync.Mutex
	suspended, reads := false, 0
	return func(action string) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case action == acctest.Actions().Suspend:
			suspended = true
		case suspended && strings.HasPrefix(action, "Describe"):
			if reads++; reads == 2 {
				f()
			}
		}
	}
}
