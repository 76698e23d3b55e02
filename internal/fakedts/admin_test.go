package fakedts

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func admin(t *testing.T, s *Server, method, path, body string) (int, map[string]any) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = bytes.NewBufferString(body)
	}
	req, err := http.NewRequest(method, s.URL()+path, r)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if len(data) > 0 {
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s %s: not JSON: %s", method, path, data)
		}
	}
	return resp.StatusCode, m
}

func TestAdminAPI(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: manual()})

	st, body := admin(t, s, "GET", "/_admin/jobs", "")
	if st != 200 || len(body["jobs"].([]any)) != 5 {
		t.Fatalf("%d %v", st, body)
	}
	st, body = admin(t, s, "GET", "/_admin/jobs/"+DefaultInventoryJobID, "")
	if st != 200 || body["id"] != DefaultInventoryJobID || body["reverse"].(map[string]any)["status"] != "Synchronizing" {
		t.Fatalf("%d %v", st, body)
	}
	st, _ = admin(t, s, "GET", "/_admin/jobs/dtsnope", "")
	if st != 404 {
		t.Fatalf("unknown job: %d", st)
	}

	st, body = admin(t, s, "POST", "/_admin/jobs", `{"id":"dtsadmin00000001","name":"made-by-admin","pay_type":"PrePaid",
		"expire_time":"2031-01-01T00:00:00Z","forward":{"status":"Suspending","paused_for":"2h"},"transition_time":"1s"}`)
	if st != 201 || body["forward"].(map[string]any)["status"] != "Suspending" || body["transition_time"] != "1s" {
		t.Fatalf("create: %d %v", st, body)
	}
	if j, _ := s.Job("dtsadmin00000001"); s.Now().Sub(j.Forward.PausedAt) != 2*time.Hour {
		t.Fatalf("paused_for: %v", j.Forward.PausedAt)
	}
	st, _ = admin(t, s, "POST", "/_admin/jobs", `{"id":"dtsadmin00000001"}`)
	if st != 400 {
		t.Fatalf("duplicate: %d", st)
	}
	st, body = admin(t, s, "POST", "/_admin/jobs", `{"id":"dtsadmin00000002","source":{"password":"x"}}`)
	if st != 400 {
		t.Fatalf("password accepted: %d %v", st, body)
	}

	st, body = admin(t, s, "POST", "/_admin/jobs/"+DefaultOrdersJobID+"/status", `{"direction":"Forward","status":"Suspending"}`)
	if st != 200 || body["forward"].(map[string]any)["status"] != "Suspending" {
		t.Fatalf("status: %d %v", st, body)
	}
	wantStatus(t, s, DefaultOrdersJobID, "", StatusSuspending)
	st, _ = admin(t, s, "POST", "/_admin/jobs/"+DefaultOrdersJobID+"/status", `{"status":"Bogus"}`)
	if st != 400 {
		t.Fatalf("bad status: %d", st)
	}

	st, body = admin(t, s, "POST", "/_admin/jobs/"+DefaultUsersJobID+"/fault",
		`{"fail_while_synchronizing":true,"fail_after":"1m","error_message":"boom"}`)
	if st != 200 || body["fault"].(map[string]any)["fail_after"] != "1m0s" {
		t.Fatalf("fault: %d %v", st, body)
	}
	st, body = admin(t, s, "POST", "/_admin/clock", `{"advance":"61s"}`)
	if st != 200 || body["now"] == "" {
		t.Fatalf("clock: %d %v", st, body)
	}
	body = wantStatus(t, s, DefaultUsersJobID, "", StatusFailed)
	if body["ErrorMessage"] != "boom" {
		t.Fatal(body["ErrorMessage"])
	}
	st, body = admin(t, s, "POST", "/_admin/jobs/"+DefaultUsersJobID+"/transition", `{"transition_time":"3s"}`)
	if st != 200 || body["transition_time"] != "3s" {
		t.Fatalf("transition: %d %v", st, body)
	}

	st, body = admin(t, s, "POST", "/_admin/faults", `{"throttle_rate":1,"throttle_burst":1,"actions":["StartSynchronizationJob"]}`)
	if st != 200 || body["faults"].(map[string]any)["throttle_rate"] != 1.0 {
		t.Fatalf("faults: %d %v", st, body)
	}
	st, body = admin(t, s, "POST", "/_admin/faults/queue", `{"action":"DescribeSynchronizationJobStatus","kind":"Throttling","n":1}`)
	if st != 200 || len(body["queue"].([]any)) != 1 {
		t.Fatalf("queue: %d %v", st, body)
	}
	status, resp := call(t, s, describe, ordersParams)
	wantGateway(t, status, resp, 400, CodeThrottlingUser)
	st, _ = admin(t, s, "POST", "/_admin/faults/queue", `{"kind":"Explode","n":1}`)
	if st != 400 {
		t.Fatalf("bad kind: %d", st)
	}
	st, _ = admin(t, s, "DELETE", "/_admin/faults", "")
	if st != 204 {
		t.Fatalf("clear faults: %d", st)
	}
	st, body = admin(t, s, "GET", "/_admin/faults", "")
	if st != 200 || len(body["queue"].([]any)) != 0 {
		t.Fatalf("faults after clear: %v", body)
	}

	st, body = admin(t, s, "GET", "/_admin/calls?action="+describe, "")
	if st != 200 || body["count"].(float64) < 1 {
		t.Fatalf("calls: %d %v", st, body)
	}
	for _, c := range body["calls"].([]any) {
		if c.(map[string]any)["action"] != describe {
			t.Fatalf("filter: %v", c)
		}
	}
	st, _ = admin(t, s, "DELETE", "/_admin/calls", "")
	if st != 204 || s.CallCount("") != 0 {
		t.Fatalf("reset calls: %d %d", st, s.CallCount(""))
	}

	st, _ = admin(t, s, "DELETE", "/_admin/jobs/"+DefaultOrdersJobID, "")
	if st != 204 {
		t.Fatalf("delete: %d", st)
	}
	status, resp = call(t, s, describe, ordersParams)
	wantBusiness(t, status, resp, CodeInstanceNotFound)
	st, _ = admin(t, s, "DELETE", "/_admin/jobs/"+DefaultOrdersJobID, "")
	if st != 404 {
		t.Fatalf("delete twice: %d", st)
	}
	st, _ = admin(t, s, "GET", "/_admin/nothing", "")
	if st != 404 {
		t.Fatalf("unknown endpoint: %d", st)
	}
	// Admin calls are not API calls.
	if s.CallCount("") != 1 {
		t.Fatalf("admin requests logged as calls: %d", s.CallCount(""))
	}
}

func TestAdminLoopbackOnly(t *testing.T) {
	t.Parallel()
	s := New(Options{Jobs: DefaultJobs()})
	r := httptest.NewRequest("GET", "/_admin/jobs", nil)
	r.RemoteAddr = "192.0.2.7:4000"
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != http.StatusForbidden {
		t.Fatalf("non-loopback admin request answered %d", w.Code)
	}
	r.RemoteAddr = "[::1]:4000"
	w = httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		t.Fatalf("loopback admin request answered %d", w.Code)
	}
}

func TestAdminQuotas(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs()})
	st, body := admin(t, s, "POST", "/_admin/faults/quotas", `{"documented":true,"quotas":[{"action":"DescribeSynchronizationJobStatus","rate":5}]}`)
	if st != 200 || len(body["quotas"].([]any)) != 3 {
		t.Fatalf("set: %d %v", st, body)
	}
	if q := body["quotas"].([]any)[0].(map[string]any); q["action"] != "DescribeDtsJobDetail" || q["rate"] != 40.0 {
		t.Fatalf("first quota %v", q)
	}
	st, _ = admin(t, s, "POST", "/_admin/faults/quotas", `{"quotas":[{"action":"DescribeDtsJobs","rate":-1}]}`)
	if st != 400 || len(s.CurrentQuotas()) != 3 {
		t.Fatalf("bad quota: %d, quotas now %v", st, s.CurrentQuotas())
	}
	st, _ = admin(t, s, "DELETE", "/_admin/faults", "")
	if st != 204 || len(s.CurrentQuotas()) != 0 {
		t.Fatalf("clear: %d %v", st, s.CurrentQuotas())
	}
}

func TestAdminTaskIDAndCreator(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs()})
	st, body := admin(t, s, "POST", "/_admin/jobs", `{"id":"dtsadmin00000002","dts_job_id":"admintask000002","created_by":"dts_job"}`)
	if st != 201 || body["dts_job_id"] != "admintask000002" || body["created_by"] != "dts_job" {
		t.Fatalf("create: %d %v", st, body)
	}
	st, body = admin(t, s, "GET", "/_admin/jobs/"+DefaultOrdersJobID, "")
	if st != 200 || body["dts_job_id"] != "l3m1213ye7l0001" || body["created_by"] != "synchronization_job" {
		t.Fatalf("default job: %d %v", st, body)
	}
	st, body = admin(t, s, "POST", "/_admin/jobs", `{"id":"dtsadmin00000003","dts_job_id":"admintask000002"}`)
	if st != 400 {
		t.Fatalf("duplicate task ID: %d %v", st, body)
	}
	mustDts(t, s, "SuspendDtsJob", map[string]string{"DtsJobId": "admintask000002"})
}

func TestAdminBehaviorAndProfiles(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs()})
	st, body := admin(t, s, "GET", "/_admin/behavior", "")
	if st != 200 || body["long_pause"] != "failed" || body["business_error_status"] != 200.0 ||
		body["not_found_code"] != CodeInstanceNotFound || body["pending_status"] != "old" || body["page_sizes"] != "range" {
		t.Fatalf("defaults: %d %v", st, body)
	}
	// A POST changes the fields it names and keeps the others.
	st, body = admin(t, s, "POST", "/_admin/behavior", `{"not_found_code":"InvalidJobId"}`)
	if st != 200 || body["not_found_code"] != CodeInvalidJobID || body["long_pause"] != "failed" {
		t.Fatalf("set: %d %v", st, body)
	}
	status, resp := call(t, s, describe, map[string]string{"SynchronizationJobId": "dtsnosuch0000001"})
	wantBusiness(t, status, resp, CodeInvalidJobID)
	st, body = admin(t, s, "POST", "/_admin/behavior", `{"long_pause":"forever"}`)
	if st != 400 || !bytes.Contains([]byte(body["error"].(string)), []byte("forever")) {
		t.Fatalf("bad value: %d %v", st, body)
	}
	st, _ = admin(t, s, "POST", "/_admin/behavior", `{"reject_repeats":true}`)
	if st != 400 {
		t.Fatalf("unknown field accepted: %d", st)
	}

	st, body = admin(t, s, "GET", "/_admin/profiles", "")
	if st != 200 || len(body["profiles"].([]any)) != len(Profiles()) {
		t.Fatalf("profiles: %d %v", st, body)
	}
	st, body = admin(t, s, "POST", "/_admin/profile", `{"name":"strict"}`)
	if st != 200 || body["reject_repeated_change"] != true || body["business_error_status"] != 403.0 {
		t.Fatalf("profile strict: %d %v", st, body)
	}
	st, body = admin(t, s, "POST", "/_admin/profile", `{"name":"nope"}`)
	if st != 400 || !bytes.Contains([]byte(body["error"].(string)), []byte("known profiles: default")) {
		t.Fatalf("unknown profile: %d %v", st, body)
	}
	st, body = admin(t, s, "POST", "/_admin/profile", `{"name":"default"}`)
	if st != 200 || body["reject_repeated_change"] != false || body["not_found_code"] != CodeInstanceNotFound {
		t.Fatalf("back to default: %d %v", st, body)
	}
}
