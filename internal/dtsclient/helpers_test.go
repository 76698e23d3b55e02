package dtsclient

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/credentials-go/credentials"
)

const (
	testAccessKeyID     = "testid"
	testAccessKeySecret = "testsecret"
	testSecurityToken   = "testststoken"
)

// akCredential builds a static access key credential without touching the
// environment or the home directory.
func akCredential(t testing.TB) credentials.Credential {
	t.Helper()
	cred, err := credentials.NewCredential(&credentials.Config{
		Type:            strPtr("access_key"),
		AccessKeyId:     strPtr(testAccessKeyID),
		AccessKeySecret: strPtr(testAccessKeySecret),
	})
	if err != nil {
		t.Fatalf("NewCredential: %v", err)
	}
	return cred
}

func stsCredential(t testing.TB) credentials.Credential {
	t.Helper()
	cred, err := credentials.NewCredential(&credentials.Config{
		Type:            strPtr("sts"),
		AccessKeyId:     strPtr(testAccessKeyID),
		AccessKeySecret: strPtr(testAccessKeySecret),
		SecurityToken:   strPtr(testSecurityToken),
	})
	if err != nil {
		t.Fatalf("NewCredential: %v", err)
	}
	return cred
}

func strPtr(s string) *string { return &s }

// recordedRequest is what the test server saw.
type recordedRequest struct {
	Method string
	Path   string
	Host   string
	Query  url.Values
	Header http.Header
	Body   string
}

// reply is one canned answer.
type reply struct {
	status int
	header map[string]string
	body   string
}

// fakeDTS is an httptest server that records requests and answers with replyFn,
// called with the 0-based request number.
type fakeDTS struct {
	*httptest.Server
	mu      sync.Mutex
	reqs    []recordedRequest
	replyFn func(n int, r *http.Request) reply
}

func newFakeDTS(t testing.TB, replyFn func(n int, r *http.Request) reply) *fakeDTS {
	t.Helper()
	f := &fakeDTS{replyFn: replyFn}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		n := len(f.reqs)
		f.reqs = append(f.reqs, recordedRequest{
			Method: r.Method, Path: r.URL.Path, Host: r.Host,
			Query: r.URL.Query(), Header: r.Header.Clone(), Body: string(body),
		})
		f.mu.Unlock()
		rep := f.replyFn(n, r)
		for k, v := range rep.header {
			w.Header().Set(k, v)
		}
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", "application/json;charset=utf-8")
		}
		if rep.status == 0 {
			rep.status = http.StatusOK
		}
		w.WriteHeader(rep.status)
		_, _ = io.WriteString(w, rep.body)
	}))
	t.Cleanup(f.Close)
	return f
}

// always answers every request with the same reply.
func always(status int, body string) func(int, *http.Request) reply {
	return func(int, *http.Request) reply { return reply{status: status, body: body} }
}

func (f *fakeDTS) requests() []recordedRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recordedRequest(nil), f.reqs...)
}

func (f *fakeDTS) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.reqs)
}

// host returns the server's host:port.
func (f *fakeDTS) host() string { return strings.TrimPrefix(f.URL, "http://") }

// testConfig is a fast-retrying config pointed at f.
func testConfig(t testing.TB, f *fakeDTS) Config {
	t.Helper()
	return Config{
		Endpoint:       f.host(),
		Protocol:       "http",
		Credential:     akCredential(t),
		MaxRetries:     3,
		RequestTimeout: 5 * time.Second,
		RetryBaseDelay: time.Millisecond,
		RetryMaxDelay:  5 * time.Millisecond,
		UserAgent:      "terraform-provider-dts/test",
	}
}

func newTestClient(t testing.TB, cfg Config) *Client {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func testContext(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}
