package fakedts

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// v1Req describes a hand-built, tea-rpc style V1 request: common
// parameters in the query, action parameters in a form body (or in the
// query for GET).
type v1Req struct {
	method    string             // default POST
	action    string             // Action parameter
	version   string             // default APIVersion; "-" omits it
	params    map[string]string  // action parameters
	cred      *Credential        // default DefaultCredential()
	token     string             // SecurityToken to send; default cred's
	noToken   bool               // send no SecurityToken even if cred has one
	ts        time.Time          // default s.Now()
	tsRaw     string             // Timestamp as given, overriding ts
	nonce     string             // default random
	omit      []string           // common parameters to leave out
	tamper    func(q url.Values) // change the query after signing
	signedFor string             // sign with this secret instead of cred's
}

func randomNonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// doV1 sends r to s and decodes the JSON answer.
func doV1(t *testing.T, s *Server, r v1Req) (int, map[string]any) {
	t.Helper()
	status, body := doV1Raw(t, s, r)
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("answer is not JSON: %v: %s", err, body)
	}
	return status, m
}

func doV1Raw(t *testing.T, s *Server, r v1Req) (int, []byte) {
	t.Helper()
	req := buildV1(t, s, r)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("request: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return resp.StatusCode, body
}

func buildV1(t *testing.T, s *Server, r v1Req) *http.Request {
	t.Helper()
	if r.method == "" {
		r.method = http.MethodPost
	}
	cred := DefaultCredential()
	if r.cred != nil {
		cred = *r.cred
	}
	if r.ts.IsZero() {
		r.ts = s.Now()
	}
	if r.nonce == "" {
		r.nonce = randomNonce()
	}
	q := url.Values{}
	q.Set("Action", r.action)
	q.Set("Format", "json")
	if r.version != "-" {
		v := r.version
		if v == "" {
			v = APIVersion
		}
		q.Set("Version", v)
	}
	ts := r.ts.UTC().Format("2006-01-02T15:04:05Z")
	if r.tsRaw != "" {
		ts = r.tsRaw
	}
	q.Set("Timestamp", ts)
	q.Set("SignatureNonce", r.nonce)
	q.Set("SignatureMethod", "HMAC-SHA1")
	q.Set("SignatureVersion", "1.0")
	q.Set("AccessKeyId", cred.AccessKeyID)
	token := cred.SecurityToken
	if r.token != "" {
		token = r.token
	}
	if token != "" && !r.noToken {
		q.Set("SecurityToken", token)
	}
	for _, k := range r.omit {
		q.Del(k)
	}
	form := url.Values{}
	for k, v := range r.params {
		if r.method == http.MethodGet {
			q.Set(k, v)
		} else {
			form.Set(k, v)
		}
	}
	all := url.Values{}
	for k, v := range q {
		all[k] = v
	}
	for k, v := range form {
		all[k] = v
	}
	secret := cred.AccessKeySecret
	if r.signedFor != "" {
		secret = r.signedFor
	}
	if !contains(r.omit, "Signature") {
		q.Set("Signature", v1Signature(secret, v1StringToSign(r.method, all)))
	}
	if r.tamper != nil {
		r.tamper(q)
	}
	var body io.Reader
	if len(form) > 0 {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(r.method, s.URL()+"/?"+q.Encode(), body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("x-acs-action", r.action)
	return req
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// v3Req describes a hand-built V3 request.
type v3Req struct {
	action     string
	query      map[string]string
	body       string // form body
	cred       *Credential
	date       time.Time
	nonce      string
	signed     []string // signed header names; default all host/x-acs-*/content-type
	dropHeader string   // header removed after signing
	badHash    bool     // send a wrong x-acs-content-sha256
	token      string   // x-acs-security-token
}

func doV3(t *testing.T, s *Server, r v3Req) (int, map[string]any) {
	t.Helper()
	cred := DefaultCredential()
	if r.cred != nil {
		cred = *r.cred
	}
	if r.date.IsZero() {
		r.date = s.Now()
	}
	if r.nonce == "" {
		r.nonce = randomNonce()
	}
	q := url.Values{}
	for k, v := range r.query {
		q.Set(k, v)
	}
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	req, err := http.NewRequest(http.MethodPost, s.URL()+"/?"+q.Encode(), body)
	if err != nil {
		t.Fatal(err)
	}
	hash := hexSHA256([]byte(r.body))
	if r.badHash {
		hash = hexSHA256([]byte("something else"))
	}
	req.Header.Set("x-acs-action", r.action)
	req.Header.Set("x-acs-version", APIVersion)
	req.Header.Set("x-acs-date", r.date.UTC().Format("2006-01-02T15:04:05Z"))
	req.Header.Set("x-acs-signature-nonce", r.nonce)
	req.Header.Set("x-acs-content-sha256", hash)
	if r.body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if r.token != "" {
		req.Header.Set("x-acs-security-token", r.token)
		req.Header.Set("x-acs-accesskey-id", cred.AccessKeyID)
	}
	signed := r.signed
	if signed == nil {
		signed = []string{"host"}
		for k := range req.Header {
			lk := strings.ToLower(k)
			if strings.HasPrefix(lk, "x-acs-") || lk == "content-type" {
				signed = append(signed, lk)
			}
		}
	}
	sortStrings(signed)
	req.Host = s.Endpoint()
	ch, err := v3CanonicalHeaders(req, signed)
	if err != nil {
		t.Fatal(err)
	}
	canon := v3CanonicalRequest(http.MethodPost, "/", canonicalQuery(q), ch, strings.Join(signed, ";"), hash)
	sig := v3Signature(cred.AccessKeySecret, v3StringToSign(canon))
	req.Header.Set("Authorization", v3Algorithm+" Credential="+cred.AccessKeyID+",SignedHeaders="+
		strings.Join(signed, ";")+",Signature="+sig)
	if r.dropHeader != "" {
		req.Header.Del(r.dropHeader)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("request: %v", err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return resp.StatusCode, m
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// call is doV1 for an action with parameters, the common case.
func call(t *testing.T, s *Server, action string, params map[string]string) (int, map[string]any) {
	t.Helper()
	return doV1(t, s, v1Req{action: action, params: params})
}

// wantGateway checks a gateway error answer.
func wantGateway(t *testing.T, status int, body map[string]any, wantStatus int, wantCode string) {
	t.Helper()
	if status != wantStatus || body["Code"] != wantCode {
		t.Fatalf("got HTTP %d %v, want HTTP %d %s; body %v", status, body["Code"], wantStatus, wantCode, body)
	}
	for _, k := range []string{"RequestId", "HostId", "Code", "Message", "Recommend"} {
		if v, ok := body[k].(string); !ok || v == "" {
			t.Errorf("gateway error field %s = %#v, want a non-empty string", k, body[k])
		}
	}
}

// wantBusiness checks a Success "false" answer.
func wantBusiness(t *testing.T, status int, body map[string]any, wantCode string) {
	t.Helper()
	if status != http.StatusOK || body["Success"] != "false" || body["ErrCode"] != wantCode {
		t.Fatalf("got HTTP %d Success=%#v ErrCode=%v, want HTTP 200 Success \"false\" %s; body %v",
			status, body["Success"], body["ErrCode"], wantCode, body)
	}
	if m, ok := body["ErrMessage"].(string); !ok || m == "" {
		t.Errorf("ErrMessage = %#v", body["ErrMessage"])
	}
	wantRequestID(t, body)
}

func wantOK(t *testing.T, status int, body map[string]any) {
	t.Helper()
	if status != http.StatusOK || body["Success"] != "true" {
		t.Fatalf("got HTTP %d %v, want success", status, body)
	}
	wantRequestID(t, body)
}

func wantRequestID(t *testing.T, body map[string]any) {
	t.Helper()
	id, _ := body["RequestId"].(string)
	if len(id) != 36 || strings.ToUpper(id) != id {
		t.Errorf("RequestId %q is not an upper-case UUID", id)
	}
}

// manual returns a manual clock at the real now, so real clients' stamps
// stay in the window.
func manual() *ManualClock { return NewManualClock(time.Now()) }

// newTestServer starts a fake on a loopback port for one test. It mirrors
// fakedtstest.NewServer, which these in-package tests cannot import.
func newTestServer(t testing.TB, opts Options) *Server {
	t.Helper()
	s := New(opts)
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatalf("start fake: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}
