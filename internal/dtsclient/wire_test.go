package dtsclient

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/aliyun/credentials-go/credentials"
	"github.com/google/go-cmp/cmp"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/*.golden")

// wireCase is one action call and the action parameters it must send.
type wireCase struct {
	name   string
	do     func(ctx context.Context, c *Client) error
	action string
	params map[string]string
}

func wireCases() []wireCase {
	ref := JobRef{RegionID: "cn-hangzhou", JobID: "dtsmr1q4mc2152xxxx", Direction: "Reverse"}
	jobParams := map[string]string{
		"SynchronizationJobId": "dtsmr1q4mc2152xxxx", "RegionId": "cn-hangzhou", "SynchronizationDirection": "Reverse",
	}
	return []wireCase{
		{
			name: "describe status", action: "DescribeSynchronizationJobStatus", params: jobParams,
			do: func(ctx context.Context, c *Client) error {
				_, err := c.DescribeSynchronizationJobStatus(ctx, ref)
				return err
			},
		},
		{
			name: "suspend", action: "SuspendSynchronizationJob", params: jobParams,
			do: func(ctx context.Context, c *Client) error {
				_, err := c.SuspendSynchronizationJob(ctx, ref)
				return err
			},
		},
		{
			name: "start", action: "StartSynchronizationJob", params: jobParams,
			do: func(ctx context.Context, c *Client) error {
				_, err := c.StartSynchronizationJob(ctx, ref)
				return err
			},
		},
		{
			name: "status list", action: "DescribeSynchronizationJobStatusList",
			params: map[string]string{
				"SynchronizationJobIdListJsonStr": `["dtsexjk1alb116xxxx","dtskfq1149w254xxxx"]`,
				"RegionId":                        "cn-hangzhou",
			},
			do: func(ctx context.Context, c *Client) error {
				_, err := c.DescribeSynchronizationJobStatusList(ctx, "cn-hangzhou", []string{"dtsexjk1alb116xxxx", "dtskfq1149w254xxxx"})
				return err
			},
		},
		{
			name: "list jobs", action: "DescribeSynchronizationJobs",
			params: map[string]string{
				"RegionId": "cn-hangzhou", "PageNum": "2", "PageSize": "50",
				"SynchronizationJobName": "orders sync*",
				"Tag.1.Key":              "env", "Tag.1.Value": "prod",
				"Tag.2.Key": "team",
			},
			do: func(ctx context.Context, c *Client) error {
				_, err := c.DescribeSynchronizationJobs(ctx, ListJobsInput{
					RegionID: "cn-hangzhou", Name: "orders sync*", PageSize: 50, PageNumber: 2,
					Tags: []Tag{{Key: "env", Value: "prod"}, {Key: "team"}},
				})
				return err
			},
		},
		{
			name: "dts job detail", action: "DescribeDtsJobDetail", params: dtsJobDetailParams,
			do: func(ctx context.Context, c *Client) error {
				_, err := c.DescribeDtsJobDetail(ctx, dtsRef)
				return err
			},
		},
		{
			name: "suspend dts job", action: "SuspendDtsJob", params: dtsJobParams,
			do: func(ctx context.Context, c *Client) error {
				_, err := c.SuspendDtsJob(ctx, dtsRef)
				return err
			},
		},
		{
			name: "start dts job", action: "StartDtsJob", params: dtsJobParams,
			do: func(ctx context.Context, c *Client) error {
				_, err := c.StartDtsJob(ctx, dtsRef)
				return err
			},
		},
		{
			name: "dts jobs", action: "DescribeDtsJobs",
			params: map[string]string{
				"JobType": "SYNC", "Region": "cn-hangzhou", "RegionId": "cn-hangzhou", "PageNumber": "2", "PageSize": "50",
				"WithoutDbList": "true", "DtsJobId": "mr1q4mc2152xxxx", "Type": "name", "Params": "orders sync*",
				"Tags": `[{"key":"env","value":"prod"},{"key":"team","value":""}]`,
			},
			do: func(ctx context.Context, c *Client) error {
				_, err := c.DescribeDtsJobs(ctx, ListDtsJobsInput{
					RegionID: "cn-hangzhou", DtsJobID: "mr1q4mc2152xxxx", Name: "orders sync*", PageSize: 50, PageNumber: 2,
					Tags: []Tag{{Key: "env", Value: "prod"}, {Key: "team"}},
				})
				return err
			},
		},
	}
}

// The maintained family's single-job cases: both IDs, Reverse. The detail
// spells its instance parameter DtsInstanceID, the commands DtsInstanceId.
var (
	dtsRef = JobRef{RegionID: "cn-hangzhou", JobID: "dtsmr1q4mc2152xxxx", DtsJobID: "mr1q4mc2152xxxx", Direction: "Reverse"}

	dtsJobParams = map[string]string{
		"DtsJobId": "mr1q4mc2152xxxx", "DtsInstanceId": "dtsmr1q4mc2152xxxx", "DtsInstanceID": "",
		"RegionId": "cn-hangzhou", "SynchronizationDirection": "Reverse", "SynchronizationJobId": "",
	}
	dtsJobDetailParams = map[string]string{
		"DtsJobId": "mr1q4mc2152xxxx", "DtsInstanceID": "dtsmr1q4mc2152xxxx", "DtsInstanceId": "",
		"RegionId": "cn-hangzhou", "SynchronizationDirection": "Reverse", "SynchronizationJobId": "",
	}
)

// okBody answers every action well enough to decode.
const okBody = `{"RequestId":"R-OK","Success":"true","Status":"Synchronizing","PageNumber":1,"TotalRecordCount":0}`

func TestWire(t *testing.T) {
	t.Parallel()
	modes := []struct {
		name string
		alg  string
		v1   bool
	}{
		{name: "v3", alg: ""},
		{name: "v3 explicit", alg: "ACS3-HMAC-SHA256"},
		{name: "v1", alg: "HMAC-SHA1", v1: true},
		{name: "v1 alias", alg: "v2", v1: true},
	}
	creds := []struct {
		name string
		sts  bool
		make func(testing.TB) credentials.Credential
	}{
		{name: "ak", make: akCredential},
		{name: "sts", sts: true, make: stsCredential},
	}
	for _, mode := range modes {
		for _, cred := range creds {
			for _, tc := range wireCases() {
				t.Run(mode.name+"/"+cred.name+"/"+tc.name, func(t *testing.T) {
					t.Parallel()
					f := newFakeDTS(t, always(200, okBody))
					cfg := testConfig(t, f)
					cfg.SignatureAlgorithm = mode.alg
					cfg.Credential = cred.make(t)
					c := newTestClient(t, cfg)
					if err := tc.do(testContext(t), c); err != nil {
						t.Fatalf("call: %v", err)
					}
					reqs := f.requests()
					if len(reqs) != 1 {
						t.Fatalf("got %d requests, want 1", len(reqs))
					}
					r := reqs[0]
					checkCommonWire(t, r, tc.action, f.host())
					gotParams := map[string]string{}
					for k := range tc.params {
						gotParams[k] = r.Query.Get(k)
					}
					if diff := cmp.Diff(tc.params, gotParams); diff != "" {
						t.Errorf("action params (-want +got):\n%s", diff)
					}
					if mode.v1 {
						checkV1Wire(t, r, tc.action, cred.sts)
					} else {
						checkV3Wire(t, r, cred.sts)
					}
				})
			}
		}
	}
}

func checkCommonWire(t *testing.T, r recordedRequest, action, host string) {
	t.Helper()
	if r.Method != http.MethodPost {
		t.Errorf("method = %q, want POST", r.Method)
	}
	if r.Path != "/" {
		t.Errorf("path = %q, want /", r.Path)
	}
	if r.Host != host {
		t.Errorf("Host = %q, want %q", r.Host, host)
	}
	if r.Body != "" {
		t.Errorf("body = %q, want empty (action params go in the query)", r.Body)
	}
	if got := r.Header.Get("x-acs-action"); got != action {
		t.Errorf("x-acs-action = %q, want %q", got, action)
	}
	if got := r.Header.Get("x-acs-version"); got != APIVersion {
		t.Errorf("x-acs-version = %q, want %q", got, APIVersion)
	}
	ua := r.Header.Get("User-Agent")
	if !strings.HasSuffix(ua, " terraform-provider-dts/test") || !strings.HasPrefix(ua, "AlibabaCloud (") {
		t.Errorf("User-Agent = %q, want darabonba's UA followed by cfg.UserAgent", ua)
	}
}

var (
	v3AuthRE = regexp.MustCompile(`^ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=([a-z0-9;-]+),Signature=[0-9a-f]{64}$`)
	nonceRE  = regexp.MustCompile(`^[0-9a-f]{32}$`)
	dateRE   = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)
)

func checkV3Wire(t *testing.T, r recordedRequest, sts bool) {
	t.Helper()
	auth := r.Header.Get("Authorization")
	m := v3AuthRE.FindStringSubmatch(auth)
	if m == nil {
		t.Fatalf("Authorization = %q, want ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=...,Signature=<64 hex>", auth)
	}
	signed := strings.Split(m[1], ";")
	if !sort.StringsAreSorted(signed) {
		t.Errorf("SignedHeaders %v not sorted", signed)
	}
	for _, h := range []string{"host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"} {
		if !contains(signed, h) {
			t.Errorf("SignedHeaders %v lacks %q", signed, h)
		}
	}
	if got := r.Header.Get("x-acs-content-sha256"); got != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Errorf("x-acs-content-sha256 = %q, want hash of empty body", got)
	}
	if !dateRE.MatchString(r.Header.Get("x-acs-date")) {
		t.Errorf("x-acs-date = %q", r.Header.Get("x-acs-date"))
	}
	if !nonceRE.MatchString(r.Header.Get("x-acs-signature-nonce")) {
		t.Errorf("x-acs-signature-nonce = %q", r.Header.Get("x-acs-signature-nonce"))
	}
	for _, p := range []string{"Action", "Version", "Signature", "AccessKeyId", "SecurityToken"} {
		if r.Query.Has(p) {
			t.Errorf("v3 request has V1 query param %q", p)
		}
	}
	if sts {
		if got := r.Header.Get("x-acs-security-token"); got != testSecurityToken {
			t.Errorf("x-acs-security-token = %q, want %q", got, testSecurityToken)
		}
		if !contains(signed, "x-acs-security-token") {
			t.Errorf("x-acs-security-token not signed: %v", signed)
		}
	} else if r.Header.Get("x-acs-security-token") != "" {
		t.Errorf("access_key credential sent a security token")
	}
	if err := verifyV3(r, testAccessKeySecret); err != nil {
		t.Errorf("v3 signature: %v", err)
	}
}

func checkV1Wire(t *testing.T, r recordedRequest, action string, sts bool) {
	t.Helper()
	want := map[string]string{
		"Action": action, "Version": APIVersion, "Format": "json",
		"SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "AccessKeyId": testAccessKeyID,
	}
	got := map[string]string{}
	for k := range want {
		got[k] = r.Query.Get(k)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("v1 common params (-want +got):\n%s", diff)
	}
	if !dateRE.MatchString(r.Query.Get("Timestamp")) {
		t.Errorf("Timestamp = %q", r.Query.Get("Timestamp"))
	}
	if r.Query.Get("SignatureNonce") == "" || r.Query.Get("Signature") == "" {
		t.Errorf("SignatureNonce/Signature missing: %v", r.Query)
	}
	if r.Header.Get("Authorization") != "" {
		t.Errorf("v1 request has an Authorization header")
	}
	if sts {
		if got := r.Query.Get("SecurityToken"); got != testSecurityToken {
			t.Errorf("SecurityToken = %q, want %q", got, testSecurityToken)
		}
	} else if r.Query.Has("SecurityToken") {
		t.Errorf("access_key credential sent SecurityToken")
	}
	if err := verifyV1(r, testAccessKeySecret); err != nil {
		t.Errorf("v1 signature: %v", err)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// volatile request values, masked in golden files.
var volatileParams = map[string]bool{
	"Timestamp": true, "SignatureNonce": true, "Signature": true,
	"x-acs-date": true, "x-acs-signature-nonce": true, "authorization": true,
	"user-agent": true, "host": true,
}

// TestWireGolden pins the full request shape of every action in both signing
// modes; run with -update-golden to rewrite testdata.
func TestWireGolden(t *testing.T) {
	t.Parallel()
	for _, mode := range []struct{ file, alg string }{
		{"requests_v3.golden", ""},
		{"requests_v1.golden", "HMAC-SHA1"},
	} {
		t.Run(mode.file, func(t *testing.T) {
			t.Parallel()
			var b strings.Builder
			for _, tc := range wireCases() {
				f := newFakeDTS(t, always(200, okBody))
				cfg := testConfig(t, f)
				cfg.SignatureAlgorithm = mode.alg
				cfg.Credential = stsCredential(t)
				if err := tc.do(testContext(t), newTestClient(t, cfg)); err != nil {
					t.Fatalf("%s: %v", tc.name, err)
				}
				b.WriteString(describeRequest(f.requests()[0]))
			}
			path := filepath.Join("testdata", mode.file)
			if *updateGolden {
				if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update-golden to create it)", err)
			}
			if diff := cmp.Diff(string(want), b.String()); diff != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
			}
		})
	}
}

// describeRequest renders a request with volatile values masked.
func describeRequest(r recordedRequest) string {
	var b strings.Builder
	fmt.Fprintf(&b, "== %s %s %s\n", r.Header.Get("x-acs-action"), r.Method, r.Path)
	b.WriteString("query:\n")
	keys := make([]string, 0, len(r.Query))
	for k := range r.Query {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := r.Query.Get(k)
		if volatileParams[k] {
			v = "<volatile>"
		}
		fmt.Fprintf(&b, "  %s=%s\n", k, v)
	}
	b.WriteString("headers:\n")
	names := make([]string, 0, len(r.Header))
	for k := range r.Header {
		names = append(names, strings.ToLower(k))
	}
	sort.Strings(names)
	for _, n := range names {
		v := r.Header.Get(n)
		switch {
		case n == "authorization":
			if m := v3AuthRE.FindStringSubmatch(v); m != nil {
				v = "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=" + m[1] + ",Signature=<volatile>"
			} else {
				v = "<unexpected>"
			}
		case volatileParams[n]:
			v = "<volatile>"
		}
		fmt.Fprintf(&b, "  %s: %s\n", n, v)
	}
	fmt.Fprintf(&b, "body: %q\n\n", r.Body)
	return b.String()
}
