package fakedts

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

const emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

func TestV3RunInstancesDocVector(t *testing.T) {
	t.Parallel()
	q := url.Values{"ImageId": {"win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"}, "RegionId": {"cn-shanghai"}}
	r := httptest.NewRequest(http.MethodPost, "/?"+q.Encode(), nil)
	r.Host = "ecs.cn-shanghai.aliyuncs.com"
	r.Header.Set("x-acs-action", "RunInstances")
	r.Header.Set("x-acs-version", "2014-05-26")
	r.Header.Set("x-acs-date", "2023-10-26T10:22:32Z")
	r.Header.Set("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d")
	r.Header.Set("x-acs-content-sha256", emptyHash)
	signed := []string{"host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"}
	ch, err := v3CanonicalHeaders(r, signed)
	if err != nil {
		t.Fatal(err)
	}
	canon := v3CanonicalRequest("POST", v3CanonicalURI(r.URL.EscapedPath()), canonicalQuery(r.URL.Query()), ch,
		strings.Join(signed, ";"), emptyHash)
	if got := hexSHA256([]byte(canon)); got != "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259" {
		t.Fatalf("hashed canonical request %s\n%s", got, canon)
	}
	if got := v3Signature("YourAccessKeySecret", v3StringToSign(canon)); got != "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0" {
		t.Fatalf("signature %s", got)
	}
}

func TestV3DarabonbaUnitVector(t *testing.T) {
	t.Parallel()
	// Duplicate header names join their sorted values with ','.
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header["X-Acs-Test"] = []string{"https", "http"}
	ch, err := v3CanonicalHeaders(r, []string{"x-acs-test"})
	if err != nil {
		t.Fatal(err)
	}
	if ch != "x-acs-test:http,https\n" {
		t.Fatalf("canonical headers %q", ch)
	}
	q := url.Values{"test": {"ok"}, "empty": {""}}
	canon := v3CanonicalRequest("", v3CanonicalURI(""), canonicalQuery(q), ch, "x-acs-test",
		"55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23")
	if got := v3Signature("secret", v3StringToSign(canon)); got != "4ab59fffe3c5738ff8a2729f90cc04fe18b02a4b15b2102cbaf92f9ff3df2ea3" {
		t.Fatalf("signature %s", got)
	}
}

func dtsV3Request() *http.Request {
	q := url.Values{"DtsJobId": {"l3m1213ye7lxxxx"}, "RegionId": {"cn-hangzhou"}, "SynchronizationDirection": {"Forward"}}
	r := httptest.NewRequest(http.MethodPost, "/?"+q.Encode(), nil)
	r.Host = "dts.cn-hangzhou.aliyuncs.com"
	r.Header.Set("x-acs-action", "SuspendDtsJob")
	r.Header.Set("x-acs-version", "2020-01-01")
	r.Header.Set("x-acs-date", "2024-05-01T08:00:00Z")
	r.Header.Set("x-acs-signature-nonce", "5f1c3a0e9d2b4c7e8a6f0b1d2c3e4f5a")
	r.Header.Set("x-acs-content-sha256", emptyHash)
	r.Header.Set("Accept", "application/json")
	r.Header.Set("User-Agent", "AlibabaCloud (linux; amd64) Go/1.26 Core/1.5.4 TeaDSL/2")
	return r
}

func TestV3DTSVector(t *testing.T) {
	t.Parallel()
	const wantCanon = "POST\n/\nDtsJobId=l3m1213ye7lxxxx&RegionId=cn-hangzhou&SynchronizationDirection=Forward\n" +
		"host:dts.cn-hangzhou.aliyuncs.com\nx-acs-action:SuspendDtsJob\nx-acs-content-sha256:" + emptyHash + "\n" +
		"x-acs-date:2024-05-01T08:00:00Z\nx-acs-signature-nonce:5f1c3a0e9d2b4c7e8a6f0b1d2c3e4f5a\nx-acs-version:2020-01-01\n\n" +
		"host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n" + emptyHash
	r := dtsV3Request()
	signed := []string{"host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"}
	ch, err := v3CanonicalHeaders(r, signed)
	if err != nil {
		t.Fatal(err)
	}
	canon := v3CanonicalRequest(r.Method, v3CanonicalURI(r.URL.EscapedPath()), canonicalQuery(r.URL.Query()), ch,
		strings.Join(signed, ";"), hexSHA256(nil))
	if canon != wantCanon {
		t.Fatalf("canonical request\n got %q\nwant %q", canon, wantCanon)
	}
	if got := hexSHA256([]byte(canon)); got != "9eb106cb7428e6db17dba76aee0858c43acc6d7dbe607b938db9748b6e32fd58" {
		t.Fatalf("hash %s", got)
	}
	if got := v3Signature("testsecret", v3StringToSign(canon)); got != "c14994f3a27dbd23b554e08361c70229dea884bc137b33a024f68961beba8bcd" {
		t.Fatalf("signature %s", got)
	}
}

func TestV3DTSVectorThroughServer(t *testing.T) {
	t.Parallel()
	ts, _ := time.Parse(time.RFC3339, "2024-05-01T08:00:00Z")
	s := New(Options{
		Credentials: []Credential{{AccessKeyID: "testid", AccessKeySecret: "testsecret"}},
		Clock:       NewManualClock(ts.Add(-time.Minute)),
	})
	r := dtsV3Request()
	r.Header.Set("Authorization", "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=c14994f3a27dbd23b554e08361c70229dea884bc137b33a024f68961beba8bcd")
	req, e := parseAPIRequest(httptest.NewRecorder(), r)
	if e != nil {
		t.Fatal(e)
	}
	if res, e := s.authenticate(req); e != nil || !res.ok || res.signature != "v3" || res.accessKeyID != "testid" {
		t.Fatalf("%+v %v", res, e)
	}
	// The host is signed exactly as received, port included.
	r2 := dtsV3Request()
	r2.Host = "dts.cn-hangzhou.aliyuncs.com:443"
	r2.Header.Set("x-acs-signature-nonce", "another")
	r2.Header.Set("Authorization", r.Header.Get("Authorization"))
	req2, _ := parseAPIRequest(httptest.NewRecorder(), r2)
	if _, e := s.authenticate(req2); e == nil || e.code != CodeSignatureDoesNotMatch {
		t.Fatalf("host with port: %v", e)
	}
}

func TestParseV3Authorization(t *testing.T) {
	t.Parallel()
	bad := []string{
		"",
		"ACS3-HMAC-SHA256",
		"ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host",
		"ACS3-HMAC-SHA256 SignedHeaders=host,Signature=x",
		"ACS3-HMAC-SHA256 Credential=a,Signature=x",
		"ACS3-HMAC-SHA256 Credential=a,SignedHeaders,Signature=x",
	}
	for _, h := range bad {
		if _, err := parseV3Authorization(h); err == nil {
			t.Errorf("%q parsed", h)
		}
	}
	a, err := parseV3Authorization("ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host;x-acs-date,Signature=abc")
	if err != nil || a.accessKeyID != "id" || len(a.signedHeaders) != 2 || a.signature != "abc" {
		t.Fatalf("%+v %v", a, err)
	}
}
