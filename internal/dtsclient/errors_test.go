package dtsclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestErrorClassification(t *testing.T) {
	t.Parallel()
	type verdict struct{ NotFound, Throttled, Retryable, Conflict bool }
	netErr := &url.Error{Op: "Post", URL: "https://dts.aliyuncs.com/", Err: &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}}
	cases := map[string]struct {
		err  error
		want verdict
	}{
		"nil":                            {err: nil},
		"plain error":                    {err: errors.New("boom")},
		"not found business 200":         {err: &APIError{HTTPStatus: 200, Code: "Forbidden.InstanceNotFound", business: true}, want: verdict{NotFound: true}},
		"not found 403":                  {err: &APIError{HTTPStatus: 403, Code: "Forbidden.InstanceNotFound"}, want: verdict{NotFound: true}},
		"invalid job id 400":             {err: &APIError{HTTPStatus: 400, Code: "InvalidJobId"}, want: verdict{NotFound: true}},
		"not found wrapped":              {err: fmt.Errorf("read: %w", &APIError{Code: "InvalidJobId", business: true}), want: verdict{NotFound: true}},
		"InvalidApi.NotFound is not job": {err: &APIError{HTTPStatus: 404, Code: "InvalidApi.NotFound"}},
		"throttling 400":                 {err: &APIError{HTTPStatus: 400, Code: "Throttling"}, want: verdict{Throttled: true, Retryable: true}},
		"throttling user 400":            {err: &APIError{HTTPStatus: 400, Code: "Throttling.User"}, want: verdict{Throttled: true, Retryable: true}},
		"throttling api 400":             {err: &APIError{HTTPStatus: 400, Code: "Throttling.Api"}, want: verdict{Throttled: true, Retryable: true}},
		"rejected throttling business":   {err: &APIError{HTTPStatus: 200, Code: "Rejected.Throttling", business: true}, want: verdict{Throttled: true, Retryable: true}},
		"service unavailable 503":        {err: &APIError{HTTPStatus: 503, Code: "ServiceUnavailable"}, want: verdict{Retryable: true}},
		"service unavailable business":   {err: &APIError{HTTPStatus: 200, Code: "ServiceUnavailable", business: true}, want: verdict{Retryable: true}},
		"internal error 500":             {err: &APIError{HTTPStatus: 500, Code: "InternalError"}, want: verdict{Retryable: true}},
		"internal error 400":             {err: &APIError{HTTPStatus: 400, Code: "InternalError"}, want: verdict{Retryable: true}},
		"internal error business":        {err: &APIError{HTTPStatus: 200, Code: "InternalError", business: true}},
		"502 undecodable body":           {err: &APIError{HTTPStatus: 502, Err: errors.New("invalid character '<'")}, want: verdict{Retryable: true}},
		"504 no code":                    {err: &APIError{HTTPStatus: 504}, want: verdict{Retryable: true}},
		"empty body 200":                 {err: &APIError{HTTPStatus: 200, Err: errEmptyBody}, want: verdict{Retryable: true}},
		"truncated body 200":             {err: &APIError{HTTPStatus: 200, Err: io.ErrUnexpectedEOF}, want: verdict{Retryable: true}},
		"undecodable body 200":           {err: &APIError{HTTPStatus: 200, Err: errors.New("invalid character")}},
		"invalid parameter 400":          {err: &APIError{HTTPStatus: 400, Code: "InvalidParameter"}},
		"signature 400":                  {err: &APIError{HTTPStatus: 400, Code: "SignatureDoesNotMatch"}},
		"forbidden ram 403":              {err: &APIError{HTTPStatus: 403, Code: "Forbidden.RAM"}},
		"business invalid param":         {err: &APIError{HTTPStatus: 200, Code: "InvalidParameter", business: true}},
		"invalid job status":             {err: &APIError{HTTPStatus: 200, Code: "InvalidJobStatus", business: true}, want: verdict{Conflict: true}},
		"invalid task status":            {err: &APIError{HTTPStatus: 400, Code: "InvalidTaskStatus"}, want: verdict{Conflict: true}},
		"operation denied job status":    {err: &APIError{Code: "OperationDenied.JobStatus"}, want: verdict{Conflict: true}},
		"modifying":                      {err: &APIError{Code: "DTS.Msg.OperationDenied.JobStatusModifying"}, want: verdict{Conflict: true}},
		"not running":                    {err: &APIError{Code: "DTS.Msg.ModifyDenied.JobStatusNotRunning"}, want: verdict{Conflict: true}},
		"other JobStatus code":           {err: &APIError{Code: "Forbidden.JobStatusLocked"}, want: verdict{Conflict: true}},
		"network error":                  {err: &APIError{Err: netErr}, want: verdict{Retryable: true}},
		"raw network error":              {err: netErr, want: verdict{Retryable: true}},
		"attempt timeout":                {err: &APIError{Err: &attemptTimeoutError{timeout: time.Second, err: context.DeadlineExceeded}}, want: verdict{Retryable: true}},
		"caller canceled":                {err: &APIError{Err: context.Canceled}},
		"caller deadline":                {err: &APIError{Err: context.DeadlineExceeded}},
		"caller canceled while throttled": {
			err:  &APIError{HTTPStatus: 400, Code: "Throttling.User", Err: fmt.Errorf("%w (while waiting to retry)", context.Canceled)},
			want: verdict{Throttled: true},
		},
		"canceled network error":   {err: &APIError{Err: &url.Error{Op: "Post", URL: "x", Err: context.Canceled}}},
		"invalid input":            {err: &APIError{Err: fmt.Errorf("%w: job ID is required", ErrInvalidInput)}},
		"credential error":         {err: &APIError{Err: errors.New("the access key id is empty")}},
		"raw context canceled":     {err: context.Canceled},
		"raw unexpected EOF":       {err: io.ErrUnexpectedEOF, want: verdict{Retryable: true}},
		"lowercase not found code": {err: &APIError{Code: "forbidden.instancenotfound"}, want: verdict{NotFound: true}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := verdict{
				NotFound:  IsNotFound(tc.err),
				Throttled: IsThrottled(tc.err),
				Retryable: IsRetryable(tc.err),
				Conflict:  IsJobStateConflict(tc.err),
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("classification (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAPIErrorString(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		err  *APIError
		want string
	}{
		"throttled": {
			err: &APIError{
				Action: "SuspendSynchronizationJob", JobID: "dtsxxx", Direction: "Forward", HTTPStatus: 400,
				Code: "Throttling.User", Message: "Request was denied due to user flow control.", RequestID: "ABC",
			},
			want: `DTS SuspendSynchronizationJob job "dtsxxx" (Forward): HTTP 400 Throttling.User: Request was denied due to user flow control. (RequestId: ABC)`,
		},
		"network": {
			err:  &APIError{Action: "DescribeSynchronizationJobStatus", JobID: "dtsx", Err: errors.New("dial tcp: connection refused")},
			want: `DTS DescribeSynchronizationJobStatus job "dtsx": dial tcp: connection refused`,
		},
		"no job": {
			err:  &APIError{Action: "DescribeSynchronizationJobs", HTTPStatus: 503, Message: "Service Unavailable: empty response body", Err: errEmptyBody},
			want: `DTS DescribeSynchronizationJobs: HTTP 503 Service Unavailable: empty response body`,
		},
		"message and cause": {
			err:  &APIError{Action: "StartSynchronizationJob", JobID: "j", HTTPStatus: 502, Message: "Bad Gateway: response body is not valid JSON", Err: errors.New("invalid character '<'")},
			want: `DTS StartSynchronizationJob job "j": HTTP 502 Bad Gateway: response body is not valid JSON: invalid character '<'`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("Error() =\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestAPIErrorUnwrap(t *testing.T) {
	t.Parallel()
	cause := io.ErrUnexpectedEOF
	err := fmt.Errorf("wrapped: %w", &APIError{Err: cause})
	if !errors.Is(err, cause) {
		t.Errorf("errors.Is(err, cause) = false")
	}
	if _, ok := errors.AsType[*APIError](err); !ok {
		t.Errorf("errors.As(*APIError) = false")
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	cases := map[string]struct{ in, want string }{
		"v1 url": {
			in:   `Post "http://h/?AccessKeyId=testid&SecurityToken=testststoken&Signature=abc%2Bdef%3D&SignatureMethod=HMAC-SHA1": EOF`,
			want: `Post "http://h/?AccessKeyId=testid&SecurityToken=REDACTED&Signature=REDACTED&SignatureMethod=HMAC-SHA1": EOF`,
		},
		"string to sign echo": {
			in:   `server string to sign is:POST&%2F&AccessKeyId%3Dtestid%26SecurityToken%3Dtestststoken%26Version%3D2020-01-01`,
			want: `server string to sign is:POST&%2F&AccessKeyId%3Dtestid%26SecurityToken%3DREDACTED`,
		},
		"authorization header": {
			in:   "Authorization: ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host,Signature=0123abcd\nHost: h",
			want: "Authorization: REDACTED\nHost: h",
		},
		"signature in the Authorization value": {
			in:   `Credential=testid,SignedHeaders=host,Signature=0123abcd`,
			want: `Credential=testid,SignedHeaders=host,Signature=REDACTED`,
		},
		"json": {
			in:   `{"AccessKeySecret":"testsecret","SecurityToken":"testststoken"}`,
			want: `{"AccessKeySecret":"REDACTED","SecurityToken":"REDACTED"}`,
		},
		"aliyun CLI config, snake_case": {
			in:   `{"access_key_id": "testid", "access_key_secret": "testsecret", "sts_token": "testststoken", "oauth_refresh_token": "r", "oauth_access_token": "a"}`,
			want: `{"access_key_id": "testid", "access_key_secret": "REDACTED", "sts_token": "REDACTED", "oauth_refresh_token": "REDACTED", "oauth_access_token": "REDACTED"}`,
		},
		"credentials INI": {
			in:   "access_key_id = testid\naccess_key_secret = testsecret\nsecurity_token=testststoken",
			want: "access_key_id = testid\naccess_key_secret = REDACTED\nsecurity_token=REDACTED",
		},
		"XML answer": {
			in:   `<Credentials><AccessKeyId>testid</AccessKeyId><AccessKeySecret>testsecret</AccessKeySecret><SecurityToken>testststoken</SecurityToken></Credentials>`,
			want: `<Credentials><AccessKeyId>testid</AccessKeyId><AccessKeySecret>REDACTED</AccessKeySecret><SecurityToken>REDACTED</SecurityToken></Credentials>`,
		},
		"V3 canonical headers": {
			in:   "host:h\nx-acs-security-token:testststoken\nx-acs-signature-nonce:n",
			want: "host:h\nx-acs-security-token:REDACTED\nx-acs-signature-nonce:n",
		},
		"Go value": {
			in:   `{AccessKeyId:testid AccessKeySecret:testsecret SecurityToken:testststoken}`,
			want: `{AccessKeyId:testid AccessKeySecret:REDACTED SecurityToken:REDACTED}`,
		},
		"form body": {
			in:   `secret_key=testsecret&region=cn-hangzhou&password=hunter2`,
			want: `secret_key=REDACTED&region=cn-hangzhou&password=REDACTED`,
		},
		"harmless": {in: "Specified signature is not matched with our calculation.", want: "Specified signature is not matched with our calculation."},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := Redact(tc.in); got != tc.want {
				t.Errorf("Redact() =\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

// secretsIn lists credential material found in s.
func secretsIn(s string, signatures ...string) []string {
	var found []string
	for _, secret := range append([]string{testAccessKeySecret, testSecurityToken}, signatures...) {
		if secret != "" && strings.Contains(s, secret) {
			found = append(found, secret)
		}
	}
	return found
}

// TestErrorStringsHideSecrets drives real failures in both signing modes and checks
// that neither Error() nor the log fields contain the secret, token or signature.
func TestErrorStringsHideSecrets(t *testing.T) {
	t.Parallel()
	for _, alg := range []string{"", "HMAC-SHA1"} {
		t.Run("alg="+alg, func(t *testing.T) {
			t.Parallel()
			// A server that echoes the request in its error message, as
			// SignatureDoesNotMatch does with the string to sign.
			f := newFakeDTS(t, func(_ int, r *http.Request) reply {
				return reply{status: 400, body: fmt.Sprintf(`{"RequestId":"R","Code":"SignatureDoesNotMatch","Message":"server string to sign is:%s %s"}`,
					jsonEscape(r.URL.RawQuery), jsonEscape(r.Header.Get("Authorization")))}
			})
			var logs []string
			cfg := testConfig(t, f)
			cfg.SignatureAlgorithm = alg
			cfg.Credential = stsCredential(t)
			cfg.Logger = func(_ context.Context, level, msg string, fields map[string]any) {
				logs = append(logs, fmt.Sprint(level, msg, fields))
			}
			c := newTestClient(t, cfg)
			_, err := c.SuspendSynchronizationJob(testContext(t), JobRef{JobID: "dtsx"})
			if err == nil {
				t.Fatal("expected an error")
			}
			r := f.requests()[0]
			sig := r.Query.Get("Signature")
			if auth := r.Header.Get("Authorization"); auth != "" {
				parts, perr := parseV3Authorization(auth)
				if perr != nil {
					t.Fatal(perr)
				}
				sig = parts["Signature"]
			}
			if found := secretsIn(err.Error(), sig); len(found) > 0 {
				t.Errorf("Error() leaks %q: %s", found, err)
			}
			for _, l := range logs {
				if found := secretsIn(l, sig); len(found) > 0 {
					t.Errorf("log leaks %q: %s", found, l)
				}
			}

			// Network failure: darabonba's *url.Error holds the signed URL.
			f.Close()
			_, err = c.SuspendSynchronizationJob(testContext(t), JobRef{JobID: "dtsx"})
			if err == nil || !IsRetryable(err) {
				t.Fatalf("err = %v, want a retryable network error", err)
			}
			if strings.Contains(err.Error(), "Signature=") || len(secretsIn(err.Error())) > 0 {
				t.Errorf("network Error() leaks request details: %s", err)
			}
		})
	}
}

func jsonEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s)
}
