package dtsclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestNewValidation(t *testing.T) {
	t.Parallel()
	cred := akCredential(t)
	cases := map[string]struct {
		cfg     Config
		wantErr string
	}{
		"missing endpoint":    {cfg: Config{Credential: cred}, wantErr: "endpoint is empty"},
		"missing credential":  {cfg: Config{Endpoint: "dts.aliyuncs.com"}, wantErr: "Credential is required"},
		"bad algorithm":       {cfg: Config{Endpoint: "dts.aliyuncs.com", Credential: cred, SignatureAlgorithm: "HMAC-MD5"}, wantErr: "unsupported SignatureAlgorithm"},
		"bad protocol":        {cfg: Config{Endpoint: "dts.aliyuncs.com", Credential: cred, Protocol: "ftp"}, wantErr: "must be https or http"},
		"path in endpoint":    {cfg: Config{Endpoint: "dts.aliyuncs.com/x", Credential: cred}, wantErr: "must not have a path"},
		"scheme conflict":     {cfg: Config{Endpoint: "http://127.0.0.1:1", Protocol: "https", Credential: cred}, wantErr: "conflicts with Protocol"},
		"url with path":       {cfg: Config{Endpoint: "http://127.0.0.1:1/api", Credential: cred}, wantErr: "must not have a path"},
		"host":                {cfg: Config{Endpoint: "dts.aliyuncs.com", Credential: cred}},
		"host and port":       {cfg: Config{Endpoint: "127.0.0.1:8443", Protocol: "HTTP", Credential: cred, SignatureAlgorithm: "hmac-sha1"}},
		"url":                 {cfg: Config{Endpoint: "http://127.0.0.1:8443/", Credential: cred}},
		"explicit v3":         {cfg: Config{Endpoint: "dts.aliyuncs.com", Credential: cred, SignatureAlgorithm: "ACS3-HMAC-SHA256"}},
		"negative retries ok": {cfg: Config{Endpoint: "dts.aliyuncs.com", Credential: cred, MaxRetries: -1}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, err := New(tc.cfg)
			if tc.wantErr == "" {
				if err != nil || c == nil {
					t.Fatalf("New() = %v, %v", c, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("New() error = %v, want containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestNewDefaults(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, Config{Endpoint: "http://127.0.0.1:1", Credential: akCredential(t), MaxRetries: -3})
	got := []any{c.protocol, c.maxRetries, c.requestTimeout, c.baseDelay, c.maxDelay}
	want := []any{"http", DefaultMaxRetries, DefaultRequestTimeout, DefaultRetryBaseDelay, DefaultRetryMaxDelay}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
	if host := *c.dara.Endpoint; host != "127.0.0.1:1" {
		t.Errorf("endpoint = %q", host)
	}
}

func TestInvalidInputSendsNothing(t *testing.T) {
	t.Parallel()
	f := newFakeDTS(t, always(200, okBody))
	c := newTestClient(t, testConfig(t, f))
	ctx := testContext(t)
	calls := map[string]func() error{
		"empty job id": func() error {
			_, err := c.SuspendSynchronizationJob(ctx, JobRef{JobID: "  "})
			return err
		},
		"bad direction": func() error {
			_, err := c.StartSynchronizationJob(ctx, JobRef{JobID: "dtsx", Direction: "Sideways"})
			return err
		},
		"describe without id": func() error {
			_, err := c.DescribeSynchronizationJobStatus(ctx, JobRef{})
			return err
		},
		"empty id list": func() error {
			_, err := c.DescribeSynchronizationJobStatusList(ctx, "cn-hangzhou", []string{"", " "})
			return err
		},
		"tag without key": func() error {
			_, err := c.DescribeSynchronizationJobs(ctx, ListJobsInput{Tags: []Tag{{Value: "v"}}})
			return err
		},
	}
	for name, call := range calls {
		err := call()
		var ae *APIError
		if !errors.As(err, &ae) || !errors.Is(err, ErrInvalidInput) || IsRetryable(err) {
			t.Errorf("%s: err = %#v, want non-retryable *APIError wrapping ErrInvalidInput", name, err)
		}
	}
	if got := f.count(); got != 0 {
		t.Errorf("requests = %d, want 0", got)
	}
}

func TestCancelledBeforeStart(t *testing.T) {
	t.Parallel()
	f := newFakeDTS(t, always(200, okBody))
	c := newTestClient(t, testConfig(t, f))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.SuspendSynchronizationJob(ctx, JobRef{JobID: "dtsx"})
	var ae *APIError
	if !errors.As(err, &ae) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want *APIError wrapping context.Canceled", err)
	}
	if got := f.count(); got != 0 {
		t.Errorf("requests = %d, want 0", got)
	}
}

// TestConcurrentUse runs many calls on one Client under -race, in both signing
// modes; darabonba writes Client.Headers on every RPC call, so this guards the
// per-call copy.
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	for _, alg := range []string{"", "HMAC-SHA1"} {
		t.Run("alg="+alg, func(t *testing.T) {
			t.Parallel()
			f := newFakeDTS(t, func(_ int, r *http.Request) reply {
				if err := verifyRequest(r, alg); err != nil {
					return reply{status: 400, body: fmt.Sprintf(`{"Code":"SignatureDoesNotMatch","Message":%q}`, err.Error())}
				}
				id := r.URL.Query().Get("SynchronizationJobId")
				return reply{body: fmt.Sprintf(`{"RequestId":"R-%s","Success":"true","SynchronizationJobId":%q,"Status":"Synchronizing"}`, id, id)}
			})
			cfg := testConfig(t, f)
			cfg.SignatureAlgorithm = alg
			c := newTestClient(t, cfg)
			ctx := testContext(t)
			var wg sync.WaitGroup
			errs := make(chan error, 64)
			for i := range 64 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					id := fmt.Sprintf("dts%02d", i)
					st, err := c.DescribeSynchronizationJobStatus(ctx, JobRef{JobID: id})
					if err != nil {
						errs <- err
						return
					}
					if st.JobID != id || st.RequestID != "R-"+id {
						errs <- fmt.Errorf("got %+v for %s", st, id)
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
		})
	}
}

// verifyRequest checks the signature of a live request in the test server.
func verifyRequest(r *http.Request, alg string) error {
	rec := recordedRequest{Method: r.Method, Path: r.URL.Path, Host: r.Host, Query: r.URL.Query(), Header: r.Header}
	if alg == "" {
		return verifyV3(rec, testAccessKeySecret)
	}
	return verifyV1(rec, testAccessKeySecret)
}

func TestInjectedHTTPClient(t *testing.T) {
	t.Parallel()
	f := newFakeDTS(t, always(200, sampleSuspendOK))
	var mu sync.Mutex
	seen := 0
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		seen++
		mu.Unlock()
		return http.DefaultTransport.RoundTrip(r)
	})}
	cfg := testConfig(t, f)
	cfg.HTTPClient = hc
	c := newTestClient(t, cfg)
	if _, err := c.SuspendSynchronizationJob(testContext(t), JobRef{JobID: "dtsx"}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if seen != 1 {
		t.Errorf("injected client saw %d requests, want 1", seen)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestProxyEnvIgnoredForDarabonba makes sure a malformed proxy variable cannot
// break darabonba's per-request transport setup.
func TestProxyEnvIgnoredForDarabonba(t *testing.T) {
	f := newFakeDTS(t, always(200, sampleSuspendOK))
	t.Setenv("HTTP_PROXY", "://bad proxy")
	t.Setenv("http_proxy", "://bad proxy")
	c := newTestClient(t, testConfig(t, f))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := c.SuspendSynchronizationJob(ctx, JobRef{JobID: "dtsx"}); err != nil {
		t.Fatalf("SuspendSynchronizationJob: %v", err)
	}
}

// TestCrossHostRedirectIsRefused: an endpoint that redirects to another host
// must not make the client send that host the STS token or a signature.
func TestCrossHostRedirectIsRefused(t *testing.T) {
	t.Parallel()
	for _, alg := range []string{"", "HMAC-SHA1"} {
		t.Run("alg="+alg, func(t *testing.T) {
			t.Parallel()
			other := newFakeDTS(t, always(200, `{"RequestId":"R","Success":true}`))
			f := newFakeDTS(t, func(_ int, r *http.Request) reply {
				return reply{status: http.StatusTemporaryRedirect, header: map[string]string{"Location": other.URL + r.URL.RequestURI()}}
			})
			cfg := testConfig(t, f)
			cfg.SignatureAlgorithm = alg
			cfg.Credential = stsCredential(t)
			// A long attempt timeout: on a loaded machine a timed-out attempt
			// would be retried, which is not what this test is about.
			cfg.RequestTimeout = 2 * time.Minute
			_, err := newTestClient(t, cfg).DescribeSynchronizationJobStatus(testContext(t), JobRef{RegionID: "cn-hangzhou", JobID: "dtsredirect01"})
			if err == nil || !strings.Contains(err.Error(), "redirect") {
				t.Fatalf("error = %v, want the redirect refused", err)
			}
			if n := other.count(); n != 0 {
				t.Errorf("the other host received %d requests (token %q)", n, other.requests()[0].Header.Get("x-acs-security-token"))
			}
			if n := f.count(); n != 1 {
				t.Errorf("the endpoint was asked %d times; a refused redirect is not worth repeating", n)
			}
		})
	}
}
