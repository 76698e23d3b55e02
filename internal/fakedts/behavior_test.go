package fakedts

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

const slowID = "dtsslow000000001"

var slowParams = map[string]string{"SynchronizationJobId": slowID}

func slowServer(t *testing.T, b Behavior, status string) *Server {
	t.Helper()
	return newTestServer(t, Options{Jobs: []Job{slowJob(slowID, status)}, Clock: manual(), Behavior: b})
}

func TestRepeatedChangeWhilePending(t *testing.T) {
	t.Parallel()
	for _, reject := range []bool{false, true} {
		s := slowServer(t, Behavior{RejectRepeatedChange: reject}, "")
		mustOK(t, s, "SuspendSynchronizationJob", slowParams)
		s.AdvanceClock(time.Second)
		status, body := call(t, s, "SuspendSynchronizationJob", slowParams)
		if !reject {
			wantOK(t, status, body)
		} else {
			wantBusiness(t, status, body, CodeInvalidJobStatus)
			if msg := body["ErrMessage"].(string); !strings.Contains(msg, "changing from Synchronizing to Suspending") {
				t.Errorf("message does not say a change is pending: %s", msg)
			}
		}
		// Either way the first pause keeps its deadline.
		s.AdvanceClock(4 * time.Second)
		wantStatus(t, s, slowID, "", StatusSuspending)

		mustOK(t, s, "StartSynchronizationJob", slowParams)
		status, body = call(t, s, "StartSynchronizationJob", slowParams)
		if !reject {
			wantOK(t, status, body)
		} else {
			wantBusiness(t, status, body, CodeInvalidJobStatus)
		}
		s.AdvanceClock(5 * time.Second)
		wantStatus(t, s, slowID, "", StatusSynchronizing)
	}
}

func TestRepeatedStartFromNotStartedRejected(t *testing.T) {
	t.Parallel()
	s := slowServer(t, Behavior{RejectRepeatedChange: true}, StatusNotStarted)
	mustOK(t, s, "StartSynchronizationJob", slowParams)
	status, body := call(t, s, "StartSynchronizationJob", slowParams)
	wantBusiness(t, status, body, CodeInvalidJobStatus)
}

func TestNotFoundCode(t *testing.T) {
	t.Parallel()
	for _, code := range []string{"", CodeInstanceNotFound, CodeInvalidJobID} {
		s := newTestServer(t, Options{Jobs: DefaultJobs(), Behavior: Behavior{NotFoundCode: code}})
		want := code
		if want == "" {
			want = CodeInstanceNotFound
		}
		for _, action := range []string{"SuspendSynchronizationJob", "StartSynchronizationJob", describe} {
			status, body := call(t, s, action, map[string]string{"SynchronizationJobId": "dtsnosuch0000001"})
			wantBusiness(t, status, body, want)
		}
		// A job in another region is unknown there too.
		status, body := call(t, s, describe, map[string]string{"SynchronizationJobId": DefaultArchiveJobID, "RegionId": "cn-hangzhou"})
		wantBusiness(t, status, body, want)
	}
}

func TestBusinessErrorsAs403(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Behavior: Behavior{BusinessErrorStatus: http.StatusForbidden}})
	status, body := call(t, s, "StartSynchronizationJob", ordersParams) // running: a state conflict
	if status != http.StatusForbidden || body["Success"] != "false" || body["ErrCode"] != CodeInvalidJobStatus ||
		body["Code"] != CodeInvalidJobStatus || body["Message"] != body["ErrMessage"] || body["Message"] == "" {
		t.Fatalf("got %d %v", status, body)
	}
	// Successes stay HTTP 200.
	status, body = call(t, s, "SuspendSynchronizationJob", ordersParams)
	wantOK(t, status, body)
}

func TestLongPause(t *testing.T) {
	t.Parallel()
	for _, variant := range []LongPause{"", LongPauseFailed, LongPauseSuspending} {
		clock := manual()
		pausedAt := clock.Now().Add(-MaxSuspendDuration + time.Minute)
		s := newTestServer(t, Options{Clock: clock, Behavior: Behavior{LongPause: variant}, Jobs: []Job{{
			ID: slowID, Forward: DirectionState{Status: StatusSuspending, PausedAt: pausedAt, Checkpoint: pausedAt.Unix()}}}})
		// Just under 7 days the pause is still a pause.
		wantStatus(t, s, slowID, "", StatusSuspending)
		s.AdvanceClock(2 * time.Minute)
		want := StatusFailed
		if variant == LongPauseSuspending {
			want = StatusSuspending
		}
		body := wantStatus(t, s, slowID, "", want)
		if checkpointOf(t, body) != pausedAt.Unix() {
			t.Errorf("%s: checkpoint moved from the pause: %v", variant, body["Checkpoint"])
		}
		if want == StatusFailed && body["ErrorMessage"] != longPauseMessage {
			t.Errorf("failed after a long pause says %q", body["ErrorMessage"])
		}
		status, body := call(t, s, "StartSynchronizationJob", slowParams)
		wantBusiness(t, status, body, CodeInvalidJobStatus)
		if msg := body["ErrMessage"].(string); !strings.Contains(msg, "more than 7 days") {
			t.Errorf("%s: refusal does not give the reason: %s", variant, msg)
		}
		wantStatus(t, s, slowID, "", want)
		// Changing the job out of band lifts the refusal.
		if err := s.SetStatus(slowID, "", StatusFailed); err != nil {
			t.Fatal(err)
		}
		mustOK(t, s, "StartSynchronizationJob", slowParams)
	}
}

// A Start accepted just before the 7 days are up completes, rather than the
// pause expiring under it.
func TestLongPauseStartJustInTime(t *testing.T) {
	t.Parallel()
	clock := manual()
	s := newTestServer(t, Options{Clock: clock, Jobs: []Job{{ID: slowID, TransitionTime: time.Minute,
		Forward: DirectionState{Status: StatusSuspending, PausedAt: clock.Now().Add(-MaxSuspendDuration + time.Second)}}}})
	mustOK(t, s, "StartSynchronizationJob", slowParams)
	s.AdvanceClock(2 * time.Minute)
	wantStatus(t, s, slowID, "", StatusSynchronizing)
}

func TestPendingStatusTarget(t *testing.T) {
	t.Parallel()
	s := slowServer(t, Behavior{PendingStatus: PendingStatusTarget}, "")
	mustOK(t, s, "SuspendSynchronizationJob", slowParams)
	wantStatus(t, s, slowID, "", StatusSuspending)
	list := mustOK(t, s, "DescribeSynchronizationJobStatusList",
		map[string]string{"SynchronizationJobIdListJsonStr": `["` + slowID + `"]`})
	entry := list["SynchronizationJobListStatusList"].([]any)[0].(map[string]any)
	if st := entry["SynchronizationDirectionInfoList"].([]any)[0].(map[string]any)["Status"]; st != StatusSuspending {
		t.Fatalf("status list says %v while the pause is pending", st)
	}
	if j, _ := s.Job(slowID); j.Forward.Status != StatusSynchronizing || j.Forward.NextStatus != StatusSuspending {
		t.Fatalf("the pause should still be pending inside: %+v", j.Forward)
	}
	// Calls are judged by the status they see: a Start now is a resume.
	mustOK(t, s, "StartSynchronizationJob", slowParams)
	wantStatus(t, s, slowID, "", StatusSynchronizing)
	status, body := call(t, s, "StartSynchronizationJob", slowParams)
	wantOK(t, status, body) // repeated, accepted by default
	s.AdvanceClock(10 * time.Second)
	wantStatus(t, s, slowID, "", StatusSynchronizing)

	// A start from NotStarted shows its first step at once.
	s2 := slowServer(t, Behavior{PendingStatus: PendingStatusTarget}, StatusNotStarted)
	mustOK(t, s2, "StartSynchronizationJob", slowParams)
	wantStatus(t, s2, slowID, "", StatusPrechecking)
}

func TestLowercaseSynchronizingEverywhere(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Behavior: Behavior{LowercaseSynchronizing: true}})
	wantStatus(t, s, DefaultOrdersJobID, "", "synchronizing")
	wantStatus(t, s, DefaultInventoryJobID, DirectionReverse, "synchronizing")
	wantStatus(t, s, DefaultArchiveJobID, "", StatusSuspending)
	jobs := mustJobs(t, s, map[string]string{"PageSize": "30"})
	for _, it := range jobs["SynchronizationInstances"].([]any) {
		item := it.(map[string]any)
		if item["Status"] == StatusSynchronizing {
			t.Errorf("%v listed as Synchronizing", item["SynchronizationJobId"])
		}
	}
}

func mustJobs(t *testing.T, s *Server, p map[string]string) map[string]any {
	t.Helper()
	status, body := call(t, s, "DescribeSynchronizationJobs", p)
	if status != http.StatusOK {
		t.Fatalf("DescribeSynchronizationJobs %v: %d %v", p, status, body)
	}
	return body
}

func TestPageSizes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		sizes    PageSizes
		accepted []string
		refused  []string
	}{
		{"", []string{"1", "7", "30", "100"}, []string{"0", "101", "x"}},
		{PageSizesListed, []string{"30", "50", "100"}, []string{"1", "7", "10", "20", "101"}},
	}
	for _, c := range cases {
		s := newTestServer(t, Options{Jobs: DefaultJobs(), Behavior: Behavior{PageSizes: c.sizes}})
		for _, size := range c.accepted {
			mustJobs(t, s, map[string]string{"PageSize": size})
		}
		for _, size := range c.refused {
			status, body := call(t, s, "DescribeSynchronizationJobs", map[string]string{"PageSize": size})
			wantGateway(t, status, body, http.StatusBadRequest, CodeInvalidParameter)
			if !strings.Contains(body["Message"].(string), "PageSize") {
				t.Errorf("message does not name PageSize: %v", body["Message"])
			}
		}
	}
}

func TestSetBehaviorRefusesUnknownValues(t *testing.T) {
	t.Parallel()
	s := New(Options{})
	for _, b := range []Behavior{{NotFoundCode: "NotFound"}, {LongPause: "deleted"}, {PendingStatus: "random"},
		{PageSizes: "any"}, {BusinessErrorStatus: 42}} {
		if err := s.SetBehavior(b); err == nil {
			t.Errorf("%+v accepted", b)
		}
	}
	if got := s.CurrentBehavior(); got.LongPause != LongPauseFailed || got.NotFoundCode != CodeInstanceNotFound ||
		got.BusinessErrorStatus != http.StatusOK || got.PendingStatus != PendingStatusOld || got.PageSizes != PageSizesRange {
		t.Fatalf("defaults not filled in or changed by a refused value: %+v", got)
	}
}

func TestProfiles(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, p := range Profiles() {
		if seen[p.Name] || p.Name == "" || p.Description == "" {
			t.Errorf("profile %+v: empty or duplicate name or description", p)
		}
		seen[p.Name] = true
		if _, err := p.Behavior.normalized(); err != nil {
			t.Errorf("profile %s: %v", p.Name, err)
		}
	}
	if p, err := ProfileByName(""); err != nil || p.Name != "default" || p.Behavior != (Behavior{}) {
		t.Fatalf("empty name: %+v %v", p, err)
	}
	_, err := ProfileByName("stricter")
	if err == nil || !strings.Contains(err.Error(), "stricter") || !strings.Contains(err.Error(), "default, strict,") {
		t.Fatalf("unknown profile error should name it and list the known ones: %v", err)
	}
	strict, _ := ProfileByName("strict")
	if !strict.Behavior.RejectRepeatedChange || strict.Behavior.BusinessErrorStatus != http.StatusForbidden ||
		strict.Behavior.NotFoundCode != CodeInvalidJobID {
		t.Fatalf("strict is not strict: %+v", strict.Behavior)
	}
}
