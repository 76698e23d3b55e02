package fakedts

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

func TestThrottlingRateIsDeterministic(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: manual()})
	s.SetFaults(Faults{ThrottleRate: 2, ThrottleBurst: 3})
	statuses := func(n int) []int {
		var out []int
		for range n {
			st, body := call(t, s, describe, ordersParams)
			if st == 400 {
				wantGateway(t, st, body, 400, CodeThrottlingUser)
				if body["Message"] != "Request was denied due to user flow control." {
					t.Errorf("message %v", body["Message"])
				}
			}
			out = append(out, st)
		}
		return out
	}
	if got := statuses(5); !equalInts(got, []int{200, 200, 200, 400, 400}) {
		t.Fatalf("burst: %v", got)
	}
	s.AdvanceClock(time.Second) // two more tokens
	if got := statuses(3); !equalInts(got, []int{200, 200, 400}) {
		t.Fatalf("after 1 s: %v", got)
	}
	n := 0
	for _, c := range s.Calls() {
		if c.Fault == FaultThrottling {
			n++
			if c.Stage != StageFault || !c.Authenticated || c.HTTPStatus != 400 || c.Code != CodeThrottlingUser {
				t.Errorf("throttled call logged as %+v", c)
			}
		}
	}
	if n != 3 {
		t.Fatalf("%d throttled calls logged", n)
	}
}

func TestThrottlingOnlyListedActions(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: manual()})
	s.SetFaults(Faults{ThrottleRate: 1, ThrottleBurst: 1, Actions: []string{"SuspendSynchronizationJob"}})
	for range 3 {
		mustOK(t, s, describe, ordersParams)
	}
	mustOK(t, s, "SuspendSynchronizationJob", ordersParams)
	st, body := call(t, s, "SuspendSynchronizationJob", ordersParams)
	wantGateway(t, st, body, 400, CodeThrottlingUser)
}

func TestQueuedFaults(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: manual()})
	if err := s.QueueFault("SuspendSynchronizationJob", FaultThrottling, 2); err != nil {
		t.Fatal(err)
	}
	if err := s.QueueFault("", FaultServiceUnavailable, 1); err != nil {
		t.Fatal(err)
	}
	if err := s.QueueFault("x", "Nope", 1); err == nil {
		t.Fatal("unknown kind accepted")
	}
	if err := s.QueueFault("x", FaultThrottling, 0); err == nil {
		t.Fatal("zero count accepted")
	}
	// The describe call skips the suspend-only entry and takes the any-action one.
	st, body := call(t, s, describe, ordersParams)
	wantGateway(t, st, body, 503, CodeServiceUnavailable)
	for range 2 {
		st, body = call(t, s, "SuspendSynchronizationJob", ordersParams)
		wantGateway(t, st, body, 400, CodeThrottlingUser)
		wantStatus(t, s, DefaultOrdersJobID, "", StatusSynchronizing)
	}
	mustOK(t, s, "SuspendSynchronizationJob", ordersParams)
	wantStatus(t, s, DefaultOrdersJobID, "", StatusSuspending)
	if n := s.CallCount("SuspendSynchronizationJob"); n != 3 {
		t.Fatalf("CallCount = %d", n)
	}

	if err := s.QueueFault(describe, FaultInternalError, 1); err != nil {
		t.Fatal(err)
	}
	st, body = call(t, s, describe, ordersParams)
	wantGateway(t, st, body, 500, CodeInternalError)
	s.ClearFaults()
	if err := s.QueueFault(describe, FaultInternalError, 5); err != nil {
		t.Fatal(err)
	}
	s.ClearFaults()
	mustOK(t, s, describe, ordersParams)
}

func TestDroppedConnection(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: manual()})
	if err := s.QueueFault("SuspendSynchronizationJob", FaultDropConnection, 1); err != nil {
		t.Fatal(err)
	}
	req := buildV1(t, s, v1Req{action: "SuspendSynchronizationJob", params: ordersParams})
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("got an answer %d", resp.StatusCode)
	}
	// The dropped request did not run.
	wantStatus(t, s, DefaultOrdersJobID, "", StatusSynchronizing)
	c := s.Calls()[0]
	if c.Fault != FaultDropConnection || c.HTTPStatus != 0 || c.Stage != StageFault {
		t.Fatalf("logged %+v", c)
	}
}

func TestTruncatedBody(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: manual()})
	if err := s.QueueFault("SuspendSynchronizationJob", FaultTruncateBody, 1); err != nil {
		t.Fatal(err)
	}
	status, raw := doV1Raw(t, s, v1Req{action: "SuspendSynchronizationJob", params: ordersParams})
	if status != 200 || len(raw) == 0 || json.Valid(raw) {
		t.Fatalf("status %d body %q", status, raw)
	}
	// The action ran; only its answer was cut.
	wantStatus(t, s, DefaultOrdersJobID, "", StatusSuspending)
}

func TestLatency(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs()})
	s.SetFaults(Faults{Latency: 50 * time.Millisecond})
	start := time.Now()
	mustOK(t, s, describe, ordersParams)
	if el := time.Since(start); el < 50*time.Millisecond {
		t.Fatalf("answered in %v", el)
	}
	if f := s.CurrentFaults(); f.Latency != 50*time.Millisecond {
		t.Fatalf("%+v", f)
	}
}

// faultSequence runs n describe calls against a fresh server with seed and
// returns the status of each (0 for a dropped connection).
func faultSequence(t *testing.T, seed int64, n int) []int {
	t.Helper()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Seed: seed, Clock: manual()})
	s.SetFaults(Faults{Error5xxRate: 0.3, DropConnectionRate: 0.1, TruncateBodyRate: 0.1})
	var out []int
	for range n {
		resp, err := http.DefaultClient.Do(buildV1(t, s, v1Req{action: describe, params: ordersParams}))
		if err != nil {
			out = append(out, 0)
			continue
		}
		var m map[string]any
		if json.NewDecoder(resp.Body).Decode(&m) != nil {
			out = append(out, -resp.StatusCode) // truncated
		} else {
			out = append(out, resp.StatusCode)
		}
		resp.Body.Close()
	}
	return out
}

func TestRandomFaultsAreSeeded(t *testing.T) {
	t.Parallel()
	a, b := faultSequence(t, 42, 60), faultSequence(t, 42, 60)
	if !equalInts(a, b) {
		t.Fatalf("same seed, different faults:\n%v\n%v", a, b)
	}
	if equalInts(a, faultSequence(t, 7, 60)) {
		t.Fatal("different seeds gave the same 60 outcomes")
	}
	seen := map[int]bool{}
	for _, st := range a {
		seen[st] = true
	}
	for _, want := range []int{200, 500, 503, 0, -200} {
		if !seen[want] {
			t.Errorf("outcome %d never happened in %v", want, a)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestDocumentedQuotas(t *testing.T) {
	t.Parallel()
	other := Credential{AccessKeyID: "LTAIotheraccount0001", AccessKeySecret: "other-secret"}
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: manual(), Quotas: DocumentedQuotas(),
		Credentials: []Credential{DefaultCredential(), other}})
	detail := map[string]string{"DtsJobId": "l3m1213ye7l0001", "RegionId": "cn-hangzhou"}
	count := func(action string, p map[string]string, cred *Credential, n int) (ok int) {
		t.Helper()
		for range n {
			status, body := doV1(t, s, v1Req{action: action, params: p, cred: cred})
			switch status {
			case http.StatusOK:
				ok++
			case http.StatusBadRequest:
				wantGateway(t, status, body, http.StatusBadRequest, CodeThrottlingUser)
			default:
				t.Fatalf("%s: %d %v", action, status, body)
			}
		}
		return ok
	}
	if ok := count("DescribeDtsJobDetail", detail, nil, 45); ok != 40 {
		t.Errorf("DescribeDtsJobDetail: %d of 45 calls in one second passed, want 40", ok)
	}
	// The header tells darabonba when to retry.
	req := buildV1(t, s, v1Req{action: "DescribeDtsJobDetail", params: detail})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if h := resp.Header.Get("x-ratelimit-user-api"); resp.StatusCode != 400 || h == "" || h[:9] != "Limit:40," {
		t.Errorf("throttled answer %d, x-ratelimit-user-api %q", resp.StatusCode, h)
	}
	// Per account and per region; other actions are not limited.
	if ok := count("DescribeDtsJobDetail", detail, &other, 5); ok != 5 {
		t.Errorf("another account was throttled: %d of 5", ok)
	}
	if ok := count("DescribeDtsJobDetail", map[string]string{"DtsInstanceID": DefaultArchiveJobID, "RegionId": "cn-beijing"}, nil, 5); ok != 5 {
		t.Errorf("another region was throttled: %d of 5", ok)
	}
	if ok := count(describe, ordersParams, nil, 50); ok != 50 {
		t.Errorf("a legacy action was throttled: %d of 50", ok)
	}
	if ok := count("DescribeDtsJobs", map[string]string{"JobType": "SYNC", "RegionId": "cn-hangzhou"}, nil, 25); ok != 20 {
		t.Errorf("DescribeDtsJobs: %d of 25 passed, want 20", ok)
	}
	s.AdvanceClock(100 * time.Millisecond) // 4 more detail tokens
	if ok := count("DescribeDtsJobDetail", detail, nil, 6); ok != 4 {
		t.Errorf("after 100 ms: %d of 6 passed, want 4", ok)
	}
	s.ClearFaults()
	if ok := count("DescribeDtsJobDetail", detail, nil, 5); ok != 5 || len(s.CurrentQuotas()) != 0 {
		t.Errorf("ClearFaults left the quotas: %d of 5", ok)
	}
	if err := s.SetQuotas([]Quota{{Action: "DescribeDtsJobs", Rate: 0}}); err == nil {
		t.Error("a zero rate was accepted")
	}
}
