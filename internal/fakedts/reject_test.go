package fakedts

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

const describe = "DescribeSynchronizationJobStatus"

var ordersParams = map[string]string{"SynchronizationJobId": DefaultOrdersJobID}

func TestRejectSignatures(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: manual()})

	status, body := doV1(t, s, v1Req{action: describe, params: ordersParams,
		tamper: func(q url.Values) { q.Set("Format", "JSON") }})
	wantGateway(t, status, body, 400, CodeSignatureDoesNotMatch)
	if !strings.Contains(body["Message"].(string), "server string to sign is:POST&%2F&") {
		t.Errorf("message should show the server's string to sign: %s", body["Message"])
	}
	status, body = doV1(t, s, v1Req{action: describe, params: ordersParams, signedFor: "wrong-secret"})
	wantGateway(t, status, body, 400, CodeSignatureDoesNotMatch)
	wrong := DefaultCredential()
	wrong.AccessKeySecret = "wrong"
	status, body = doV3(t, s, v3Req{action: describe, query: ordersParams, cred: &wrong})
	wantGateway(t, status, body, 400, CodeSignatureDoesNotMatch)
	status, body = doV3(t, s, v3Req{action: describe, query: ordersParams, badHash: true})
	wantGateway(t, status, body, 400, CodeSignatureDoesNotMatch)

	unknown := Credential{AccessKeyID: "LTAIunknown000000", AccessKeySecret: "x"}
	status, body = doV1(t, s, v1Req{action: describe, params: ordersParams, cred: &unknown})
	wantGateway(t, status, body, 404, CodeInvalidAccessKeyNotFound)
	status, body = doV3(t, s, v3Req{action: describe, query: ordersParams, cred: &unknown})
	wantGateway(t, status, body, 404, CodeInvalidAccessKeyNotFound)

	// Authentication failures are logged as such.
	for _, c := range s.Calls() {
		if c.Stage != StageAuth || c.Authenticated || c.HTTPStatus == 200 || c.Signature == "" {
			t.Errorf("call %+v should be an auth rejection", c)
		}
	}
}

func TestRejectMissingSignatureParts(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: manual()})
	for _, p := range v1RequiredParams {
		status, body := doV1(t, s, v1Req{action: describe, params: ordersParams, omit: []string{p}})
		wantGateway(t, status, body, 400, CodeMissingParameter)
		if !strings.Contains(body["Message"].(string), `"`+p+`"`) {
			t.Errorf("missing %s: message %s", p, body["Message"])
		}
	}
	status, body := doV1(t, s, v1Req{action: describe, params: ordersParams,
		tamper: func(q url.Values) { q.Set("SignatureMethod", "HMAC-SHA256") }})
	wantGateway(t, status, body, 400, CodeInvalidSignatureMethod)

	// V3: mandatory headers not signed, or absent.
	all := []string{"host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"}
	for _, leave := range []string{"host", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256", "x-acs-action"} {
		var signed []string
		for _, h := range all {
			if h != leave {
				signed = append(signed, h)
			}
		}
		status, body = doV3(t, s, v3Req{action: describe, query: ordersParams, signed: signed})
		wantGateway(t, status, body, 400, CodeIncompleteSignature)
	}
	status, body = doV3(t, s, v3Req{action: describe, query: ordersParams, dropHeader: "x-acs-date"})
	wantGateway(t, status, body, 400, CodeIncompleteSignature)

	for _, auth := range []string{"ACS3-HMAC-SHA256 Credential=LTAIfakedts000000001,SignedHeaders=host",
		"ACS3-HMAC-SHA256 garbage"} {
		req, _ := http.NewRequest(http.MethodPost, s.URL()+"/", nil)
		req.Header.Set("x-acs-action", describe)
		req.Header.Set("x-acs-version", APIVersion)
		req.Header.Set("Authorization", auth)
		status, body = send(t, req)
		wantGateway(t, status, body, 400, CodeIncompleteSignature)
	}
	// No authentication at all is judged as V1 and misses AccessKeyId.
	status, body = send(t, mustRequest(t, http.MethodGet, s.URL()+"/?Action="+describe+"&Version="+APIVersion+
		"&SynchronizationJobId="+DefaultOrdersJobID))
	wantGateway(t, status, body, 400, CodeMissingParameter)
}

func TestRejectReusedNonce(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: manual()})
	nonce := randomNonce()
	status, body := doV1(t, s, v1Req{action: describe, params: ordersParams, nonce: nonce})
	wantOK(t, status, body)
	status, body = doV1(t, s, v1Req{action: describe, params: ordersParams, nonce: nonce})
	wantGateway(t, status, body, 400, CodeSignatureNonceUsed)

	status, body = doV3(t, s, v3Req{action: describe, query: ordersParams, nonce: "v3-nonce-1"})
	wantOK(t, status, body)
	status, body = doV3(t, s, v3Req{action: describe, query: ordersParams, nonce: "v3-nonce-1"})
	wantGateway(t, status, body, 400, CodeSignatureNonceUsed)

	// A forged request does not burn a nonce.
	status, body = doV1(t, s, v1Req{action: describe, params: ordersParams, nonce: "fresh", signedFor: "bad"})
	wantGateway(t, status, body, 400, CodeSignatureDoesNotMatch)
	status, body = doV1(t, s, v1Req{action: describe, params: ordersParams, nonce: "fresh"})
	wantOK(t, status, body)
}

func TestNonceCacheBounded(t *testing.T) {
	t.Parallel()
	c := newNonceCache(time.Minute, 100)
	now := time.Now()
	for i := range 1000 {
		if !c.use(string(rune('a'+i%26))+time.Duration(i).String(), now) {
			t.Fatal("fresh nonce refused")
		}
	}
	if c.len() != 100 {
		t.Fatalf("cache holds %d nonces, want 100", c.len())
	}
	if !c.use("x", now) || c.use("x", now.Add(59*time.Second)) {
		t.Fatal("replay within ttl accepted")
	}
	if !c.use("x", now.Add(2*time.Minute)) {
		t.Fatal("nonce past ttl still remembered")
	}
	if len(c.queue)-c.head > 101 {
		t.Fatalf("queue grew to %d", len(c.queue)-c.head)
	}
}

func TestRejectTimestamps(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: manual()})
	signedAt := s.Now()
	s.AdvanceClock(14 * time.Minute)
	status, body := doV1(t, s, v1Req{action: describe, params: ordersParams, ts: signedAt})
	wantOK(t, status, body)
	s.AdvanceClock(2 * time.Minute) // now 16 minutes after signing
	status, body = doV1(t, s, v1Req{action: describe, params: ordersParams, ts: signedAt})
	wantGateway(t, status, body, 400, CodeInvalidTimeStampExpired)
	status, body = doV3(t, s, v3Req{action: describe, query: ordersParams, date: signedAt})
	wantGateway(t, status, body, 400, CodeInvalidTimeStampExpired)
	status, body = doV1(t, s, v1Req{action: describe, params: ordersParams, ts: s.Now().Add(16 * time.Minute)})
	wantGateway(t, status, body, 400, CodeInvalidTimeStampExpired)

	status, body = doV1(t, s, v1Req{action: describe, params: ordersParams, tsRaw: "2024/05/01 08:00:00"})
	wantGateway(t, status, body, 400, CodeInvalidTimeStampFormat)

	// A negative window turns the check off.
	off := newTestServer(t, Options{Jobs: DefaultJobs(), TimestampWindow: -1})
	status, body = doV1(t, off, v1Req{action: describe, params: ordersParams, ts: time.Now().Add(-48 * time.Hour)})
	wantOK(t, status, body)
}

func TestRejectSecurityTokens(t *testing.T) {
	t.Parallel()
	sts := Credential{AccessKeyID: "STS.fake01", AccessKeySecret: "sts-secret", SecurityToken: "token-1"}
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Credentials: []Credential{DefaultCredential(), sts}, Clock: manual()})

	status, body := doV1(t, s, v1Req{action: describe, params: ordersParams, cred: &sts})
	wantOK(t, status, body)
	status, body = doV1(t, s, v1Req{action: describe, params: ordersParams, cred: &sts, token: "token-2"})
	wantGateway(t, status, body, 400, CodeSecurityTokenMismatch)
	status, body = doV1(t, s, v1Req{action: describe, params: ordersParams, cred: &sts, noToken: true})
	wantGateway(t, status, body, 400, CodeMissingSecurityToken)
	status, body = doV1(t, s, v1Req{action: describe, params: ordersParams, token: "token-1"})
	wantGateway(t, status, body, 400, CodeSecurityTokenMismatch)

	status, body = doV3(t, s, v3Req{action: describe, query: ordersParams, cred: &sts, token: "token-1"})
	wantOK(t, status, body)
	status, body = doV3(t, s, v3Req{action: describe, query: ordersParams, cred: &sts, token: "wrong"})
	wantGateway(t, status, body, 400, CodeSecurityTokenMismatch)
	status, body = doV3(t, s, v3Req{action: describe, query: ordersParams, cred: &sts})
	wantGateway(t, status, body, 400, CodeMissingSecurityToken)
}

func TestRejectRouting(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: manual()})
	status, body := doV1(t, s, v1Req{action: describe, params: ordersParams, version: "2016-08-01"})
	wantGateway(t, status, body, 400, CodeInvalidVersion)
	status, body = doV1(t, s, v1Req{action: describe, params: ordersParams, version: "-"})
	wantGateway(t, status, body, 400, CodeMissingParameter)
	status, body = doV1(t, s, v1Req{action: "ResetDtsJob", params: ordersParams})
	wantGateway(t, status, body, 404, CodeInvalidAPINotFound)
	status, body = doV1(t, s, v1Req{action: "", params: ordersParams})
	wantGateway(t, status, body, 400, CodeMissingParameter)

	status, body = send(t, mustRequest(t, http.MethodPut, s.URL()+"/?Action="+describe))
	wantGateway(t, status, body, 400, CodeUnsupportedHTTPMethod)
	status, body = send(t, mustRequest(t, http.MethodPost, s.URL()+"/other?Action="+describe))
	wantGateway(t, status, body, 404, CodeInvalidAPINotFound)
	// The admin path never serves DTS actions.
	resp, err := http.Get(s.URL() + "/_admin/?Action=" + describe)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("admin path answered a DTS action with %d", resp.StatusCode)
	}
	for _, c := range s.Calls() {
		if c.Code == CodeInvalidVersion || c.Code == CodeInvalidAPINotFound || c.Code == CodeUnsupportedHTTPMethod {
			if c.Stage != StageRoute || c.Authenticated {
				t.Errorf("routing rejection logged as %+v", c)
			}
		}
	}
}

func TestRejectParameters(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: manual()})
	for _, action := range []string{"SuspendSynchronizationJob", "StartSynchronizationJob", describe} {
		status, body := call(t, s, action, map[string]string{"RegionId": "cn-hangzhou"})
		wantGateway(t, status, body, 400, CodeMissingParameter)
		status, body = call(t, s, action, map[string]string{"SynchronizationJobId": DefaultOrdersJobID,
			"SynchronizationDirection": "Sideways"})
		wantGateway(t, status, body, 400, CodeInvalidParameter)
		status, body = call(t, s, action, map[string]string{"SynchronizationJobId": "dtsnosuchjob0000"})
		wantBusiness(t, status, body, CodeInstanceNotFound)
		status, body = call(t, s, action, map[string]string{"SynchronizationJobId": DefaultOrdersJobID,
			"RegionId": "cn-beijing"})
		wantBusiness(t, status, body, CodeInstanceNotFound)
		status, body = call(t, s, action, map[string]string{"SynchronizationJobId": DefaultOrdersJobID,
			"SynchronizationDirection": "Reverse"})
		wantBusiness(t, status, body, CodeInvalidParameter)
	}
	status, body := call(t, s, "DescribeSynchronizationJobStatusList", nil)
	wantGateway(t, status, body, 400, CodeMissingParameter)
	status, body = call(t, s, "DescribeSynchronizationJobStatusList", map[string]string{
		"SynchronizationJobIdListJsonStr": "dtsl3m1213ye7l0001"})
	wantGateway(t, status, body, 400, CodeInvalidParameter)
	for _, p := range []map[string]string{{"PageSize": "0"}, {"PageSize": "101"}, {"PageNum": "0"}, {"PageNum": "x"},
		{"Tag.21.Key": "a"}, {"Tag.1.Foo": "a"}} {
		status, body = call(t, s, "DescribeSynchronizationJobs", p)
		wantGateway(t, status, body, 400, CodeInvalidParameter)
	}
	status, body = call(t, s, "DescribeSynchronizationJobs", map[string]string{"Tag.1.Value": "x"})
	wantGateway(t, status, body, 400, CodeMissingParameter)
}

func TestRejectJobStates(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: manual()})
	// Suspend from anything but Synchronizing.
	for _, id := range []string{DefaultArchiveJobID, DefaultPaymentsJobID} {
		status, body := call(t, s, "SuspendSynchronizationJob", map[string]string{"SynchronizationJobId": id,
			"RegionId": map[string]string{DefaultArchiveJobID: "cn-beijing"}[id]})
		wantBusiness(t, status, body, CodeInvalidJobStatus)
	}
	// Start from a state that cannot be started.
	for _, st := range []string{StatusSynchronizing, StatusPrecheckFailed, StatusFinished} {
		if err := s.SetStatus(DefaultUsersJobID, "", st); err != nil {
			t.Fatal(err)
		}
		status, body := call(t, s, "StartSynchronizationJob", map[string]string{"SynchronizationJobId": DefaultUsersJobID})
		wantBusiness(t, status, body, CodeInvalidJobStatus)
		if !strings.Contains(body["ErrMessage"].(string), st) {
			t.Errorf("message should name the status %s: %s", st, body["ErrMessage"])
		}
	}
	// Resume after more than 7 days of pause: the default turns the
	// direction Failed (TestLongPause covers both variants).
	status, body := call(t, s, "SuspendSynchronizationJob", ordersParams)
	wantOK(t, status, body)
	s.AdvanceClock(7*24*time.Hour + time.Minute)
	status, body = call(t, s, "StartSynchronizationJob", ordersParams)
	wantBusiness(t, status, body, CodeInvalidJobStatus)
	if j, _ := s.Job(DefaultOrdersJobID); j.Forward.Status != StatusFailed {
		t.Fatalf("status after 7 days of pause is %s, want Failed", j.Forward.Status)
	}
}

func TestResumeAfterConfiguredLimit(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: manual()})
	if err := s.SetJobFault(DefaultOrdersJobID, JobFault{FailResumeAfter: 6 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	mustOK(t, s, "SuspendSynchronizationJob", ordersParams)
	s.AdvanceClock(5 * time.Hour)
	mustOK(t, s, "StartSynchronizationJob", ordersParams)
	mustOK(t, s, "SuspendSynchronizationJob", ordersParams)
	s.AdvanceClock(6*time.Hour + time.Second)
	status, body := call(t, s, "StartSynchronizationJob", ordersParams)
	wantBusiness(t, status, body, CodeJobSuspendedTooLong)
}

func TestBusinessErrorStatusOption(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Behavior: Behavior{BusinessErrorStatus: http.StatusForbidden}})
	status, body := call(t, s, "SuspendSynchronizationJob", map[string]string{"SynchronizationJobId": "dtsnosuch"})
	if status != http.StatusForbidden || body["Success"] != "false" || body["ErrCode"] != CodeInstanceNotFound ||
		body["Code"] != CodeInstanceNotFound {
		t.Fatalf("%d %v", status, body)
	}
}

// mustOK calls action and fails the test unless it succeeds.
func mustOK(t *testing.T, s *Server, action string, params map[string]string) map[string]any {
	t.Helper()
	status, body := call(t, s, action, params)
	wantOK(t, status, body)
	return body
}

func mustRequest(t *testing.T, method, u string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func send(t *testing.T, r *http.Request) (int, map[string]any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("not JSON: %s", data)
	}
	return resp.StatusCode, m
}
