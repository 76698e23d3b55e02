package acctest

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// Interposer sits between the provider and the fake DTS endpoint, so a test
// can script what no fake fault covers: an answer slower than the request
// timeout, a body from another server, a business error with a code DTS
// never documented, or a change to the job while the provider waits.
type Interposer struct {
	Fake *fakedts.Server
	URL  string

	mu     sync.Mutex
	counts map[string]int
	hook   Hook
}

// Hook sees each API request with the action and how many requests of that
// action came before it (0-based). Returning true means the hook answered.
type Hook func(w http.ResponseWriter, r *http.Request, action string, n int, next http.Handler) bool

// NewInterposed starts the fake (as NewFake does, under the test profile)
// and an interposing server in front of it.
func NewInterposed(t *testing.T, hook Hook, jobs ...fakedts.Job) *Interposer {
	t.Helper()
	fake := fakedts.New(fakeOptions(t, jobs))
	ip := &Interposer{Fake: fake, counts: map[string]int{}, hook: hook}
	srv := httptest.NewServer(ip)
	t.Cleanup(srv.Close)
	ip.URL = srv.URL
	return ip
}

// ServeHTTP counts the request's action, then lets the hook answer or
// passes the request to the fake.
func (ip *Interposer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	action := r.Header.Get("x-acs-action")
	if action == "" {
		action = r.URL.Query().Get("Action")
	}
	ip.mu.Lock()
	n := ip.counts[action]
	ip.counts[action]++
	ip.mu.Unlock()
	if ip.hook != nil && ip.hook(w, r, action, n, ip.Fake) {
		return
	}
	ip.Fake.ServeHTTP(w, r)
}

// ProviderConfig points the provider at the interposer.
func (ip *Interposer) ProviderConfig(extra string) string {
	return providerConfigURL(ip.URL, extra)
}

// Rewrite answers r with the fake's answer passed through edit: a response
// shape a real DTS may send that the fake does not.
func Rewrite(w http.ResponseWriter, r *http.Request, next http.Handler, edit func([]byte) []byte) {
	rec := httptest.NewRecorder()
	next.ServeHTTP(rec, r)
	for k, v := range rec.Header() {
		if k != "Content-Length" {
			w.Header()[k] = v
		}
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(edit(rec.Body.Bytes()))
}
