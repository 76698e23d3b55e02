// Package ststest is a stand-in for Alibaba Cloud STS: an HTTPS server that
// answers AssumeRole, counts the calls and hands out sessions from a list,
// so that the provider's assume_role runs in tests without a network.
//
// credentials-go calls STS over HTTPS only and trusts the system roots, so
// a test binary that uses this server calls TrustTestCertificates first,
// before anything in the process verifies a certificate.
package ststest

import (
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Session is one set of temporary credentials STS hands out.
type Session struct {
	AccessKeyID     string
	AccessKeySecret string
	SecurityToken   string
}

// Options shape the server's answers.
type Options struct {
	// Sessions are handed out in turn, one per AssumeRole call; the last
	// repeats. Empty means one fixed session.
	Sessions []Session
	// Lifetime is how long a session is valid; 0 means one hour.
	// credentials-go renews a session 3 minutes before it expires, so a
	// shorter lifetime makes every use a renewal.
	Lifetime time.Duration
	// Delay holds each answer, so that concurrent callers overlap.
	Delay time.Duration
	// RefuseStatus and RefuseBody, when set, are the answer to every call.
	RefuseStatus int
	RefuseBody   string
}

// Request is what one AssumeRole call asked for.
type Request struct {
	RoleArn         string
	RoleSessionName string
	DurationSeconds string
	ExternalID      string
	AccessKeyID     string
}

// Server is a running stub STS.
type Server struct {
	srv  *httptest.Server
	opts Options

	mu          sync.Mutex
	requests    []Request
	inFlight    int
	maxInFlight int
}

// NewServer starts a stub STS, closed when the test ends.
func NewServer(t testing.TB, opts Options) *Server {
	t.Helper()
	if len(opts.Sessions) == 0 {
		opts.Sessions = []Session{{AccessKeyID: "STS.ststest0001", AccessKeySecret: "ststest-session-secret-0001", SecurityToken: "ststest-session-token-0001"}}
	}
	if opts.Lifetime == 0 {
		opts.Lifetime = time.Hour
	}
	s := &Server{opts: opts}
	s.srv = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

// Endpoint is the host:port to give as the STS endpoint.
func (s *Server) Endpoint() string { return s.srv.Listener.Addr().String() }

// Calls is the number of AssumeRole calls so far.
func (s *Server) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// MaxInFlight is the largest number of AssumeRole calls answered at once.
func (s *Server) MaxInFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxInFlight
}

// Requests returns what every call asked for, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || r.Form.Get("Action") != "AssumeRole" {
		http.Error(w, `{"Code":"InvalidAction.NotFound","RequestId":"ststest-bad-action"}`, http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	n := len(s.requests)
	s.requests = append(s.requests, Request{
		RoleArn: r.Form.Get("RoleArn"), RoleSessionName: r.Form.Get("RoleSessionName"),
		DurationSeconds: r.Form.Get("DurationSeconds"), ExternalID: r.Form.Get("ExternalId"), AccessKeyID: r.Form.Get("AccessKeyId"),
	})
	s.inFlight++
	s.maxInFlight = max(s.maxInFlight, s.inFlight)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inFlight--
		s.mu.Unlock()
	}()

	time.Sleep(s.opts.Delay)
	w.Header().Set("Content-Type", "application/json")
	if s.opts.RefuseStatus != 0 {
		w.WriteHeader(s.opts.RefuseStatus)
		_, _ = w.Write([]byte(s.opts.RefuseBody))
		return
	}
	session := s.opts.Sessions[min(n, len(s.opts.Sessions)-1)]
	_ = json.NewEncoder(w).Encode(map[string]any{
		"RequestId": fmt.Sprintf("ststest-%04d", n+1),
		"Credentials": map[string]string{
			"AccessKeyId":     session.AccessKeyID,
			"AccessKeySecret": session.AccessKeySecret,
			"SecurityToken":   session.SecurityToken,
			"Expiration":      time.Now().Add(s.opts.Lifetime).UTC().Format("2006-01-02T15:04:05Z"),
		},
		"AssumedRoleUser": map[string]string{"Arn": r.Form.Get("RoleArn") + "/" + r.Form.Get("RoleSessionName")},
	})
}

// TrustTestCertificates makes the process trust the certificate every
// httptest TLS server presents, by pointing SSL_CERT_FILE at it. Go reads
// that variable once, when the process first verifies a certificate, so
// call this from TestMain before the tests run.
func TrustTestCertificates() error {
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	defer srv.Close()
	dir, err := os.MkdirTemp("", "ststest-")
	if err != nil {
		return err
	}
	path := filepath.Join(dir, "httptest-ca.pem")
	block := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(path, block, 0o600); err != nil {
		return err
	}
	return os.Setenv("SSL_CERT_FILE", path)
}
