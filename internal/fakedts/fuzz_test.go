package fakedts

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzServeAPI sends arbitrary requests to the API path: the fake must never
// panic, must answer JSON with a RequestId, and must never run an action for
// a request nobody signed.
func FuzzServeAPI(f *testing.F) {
	f.Add("POST", "Action=SuspendSynchronizationJob&Version=2020-01-01&SynchronizationJobId=dtsl3m1213ye7l0001", "", "")
	f.Add("GET", "Action=DescribeSynchronizationJobStatus&Version=2020-01-01&AccessKeyId=LTAIfakedts000000001&Signature=abc&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&SignatureNonce=1&Timestamp=2024-05-01T08:00:00Z&Format=json", "", "")
	f.Add("POST", "", "SynchronizationJobId=x&RegionId=cn-hangzhou", "ACS3-HMAC-SHA256 Credential=LTAIfakedts000000001,SignedHeaders=host;x-acs-action,Signature=00")
	f.Add("POST", "%zz=%", "a=%", "ACS3-HMAC-SHA256 ,,,=")
	f.Add("POST", "Action=SuspendDtsJob&Version=2020-01-01&DtsJobId=l3m1213ye7l0001&DtsInstanceId=dtsl3m1213ye7l0001", "", "")
	f.Add("GET", "Action=DescribeDtsJobDetail&Version=2020-01-01&DtsInstanceID=dtsl3m1213ye7l0001&SynchronizationDirection=Reverse", "", "")
	f.Add("POST", "Action=DescribeDtsJobs&Version=2020-01-01", "JobType=SYNC&PageSize=20&Tags=%5B%7B%22key%22%3A1%7D%5D", "")
	f.Fuzz(func(t *testing.T, method, query, body, authorization string) {
		if method != "GET" {
			method = "POST"
		}
		s := New(Options{Jobs: DefaultJobs(), Seed: 1})
		req := httptest.NewRequest(method, "http://127.0.0.1/", strings.NewReader(body))
		req.URL.RawQuery = query
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("x-acs-action", "SuspendSynchronizationJob")
		req.Header.Set("x-acs-version", "2020-01-01")
		if authorization != "" {
			req.Header.Set("Authorization", authorization)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)

		var answer map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil {
			t.Fatalf("answer %d is not JSON: %q", rec.Code, rec.Body.String())
		}
		if id, _ := answer["RequestId"].(string); id == "" {
			t.Fatalf("answer has no RequestId: %s", rec.Body.String())
		}
		if rec.Code == http.StatusOK {
			t.Fatalf("an unsigned request was answered 200: %s", rec.Body.String())
		}
		if n := s.CallCount("SuspendSynchronizationJob"); n > 0 {
			for _, c := range s.Calls() {
				if c.Authenticated {
					t.Fatalf("an unsigned request passed authentication: %+v", c)
				}
			}
		}
	})
}

// FuzzParseV3Authorization never panics on a malformed header.
func FuzzParseV3Authorization(f *testing.F) {
	f.Add("ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-action,Signature=c14994f3")
	f.Add("ACS3-HMAC-SHA256 Credential=,SignedHeaders=,Signature=")
	f.Add("Bearer x")
	f.Fuzz(func(_ *testing.T, h string) {
		_, _ = parseV3Authorization(h)
	})
}
