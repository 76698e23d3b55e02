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
