package fakedts

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestPercentEncode(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"abcXYZ019-_.~":        "abcXYZ019-_.~",
		"a b":                  "a%20b",
		"*":                    "%2A",
		"2024-05-01T08:00:00Z": "2024-05-01T08%3A00%3A00Z",
		"/":                    "%2F",
		"+=&":                  "%2B%3D%26",
		"é":                    "%C3%A9",
	}
	for in, want := range cases {
		if got := percentEncode(in); got != want {
			t.Errorf("percentEncode(%q) = %q, want %q", in, got, want)
		}
	}
}

func describeRegionsParams() url.Values {
	return url.Values{
		"AccessKeyId":      {"testid"},
		"Action":           {"DescribeRegions"},
		"Format":           {"XML"},
		"SignatureMethod":  {"HMAC-SHA1"},
		"SignatureNonce":   {"3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
		"SignatureVersion": {"1.0"},
		"Timestamp":        {"2016-02-23T12:46:24Z"},
		"Version":          {"2014-05-26"},
	}
}

func TestV1PublishedVectors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, method, secret string
		params               url.Values
		want                 string
	}{
		{"DescribeRegions GET", "GET", "testsecret", describeRegionsParams(), "OLeaidS1JvxuMvnyHOwuJ+uX5qY="},
		{"DescribeRegions POST", "POST", "testsecret", describeRegionsParams(), "MxbnVAM4w6sft9xjVpe/GCKueuk="},
		{"SDK unit vector", "", "accessKeySecret", url.Values{"test": {"ok"}}, "jHx/oHoHNrbVfhncHEvPdHXZwHU="},
	}
	for _, c := range cases {
		if got := v1Signature(c.secret, v1StringToSign(c.method, c.params)); got != c.want {
			t.Errorf("%s: signature %s, want %s", c.name, got, c.want)
		}
	}
}

func dtsV1Params() url.Values {
	return url.Values{
		"Action": {"SuspendDtsJob"}, "Format": {"json"}, "Version": {"2020-01-01"},
		"Timestamp": {"2024-05-01T08:00:00Z"}, "SignatureNonce": {"5f1c3a0e9d2b4c7e8a6f0b1d2c3e4f5a"},
		"SignatureMethod": {"HMAC-SHA1"}, "SignatureVersion": {"1.0"}, "AccessKeyId": {"testid"},
		"DtsJobId": {"l3m1213ye7lxxxx"}, "RegionId": {"cn-hangzhou"}, "SynchronizationDirection": {"Forward"},
	}
}

func TestV1DTSVector(t *testing.T) {
	t.Parallel()
	const wantSTS = "POST&%2F&AccessKeyId%3Dtestid%26Action%3DSuspendDtsJob%26DtsJobId%3Dl3m1213ye7lxxxx%26Format%3Djson%26RegionId%3Dcn-hangzhou%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D5f1c3a0e9d2b4c7e8a6f0b1d2c3e4f5a%26SignatureVersion%3D1.0%26SynchronizationDirection%3DForward%26Timestamp%3D2024-05-01T08%253A00%253A00Z%26Version%3D2020-01-01"
	sts := v1StringToSign("POST", dtsV1Params())
	if sts != wantSTS {
		t.Fatalf("string to sign\n got %s\nwant %s", sts, wantSTS)
	}
	if got := v1Signature("testsecret", sts); got != "i3sHx2kdkGlsKmuMtXbVP/PPy5A=" {
		t.Fatalf("signature %s", got)
	}
	// A Signature parameter is never part of what is signed.
	p := dtsV1Params()
	p.Set("Signature", "whatever")
	if v1StringToSign("POST", p) != wantSTS {
		t.Fatal("Signature leaked into the string to sign")
	}
}

// TestV1DTSVectorThroughServer verifies the published request the way the
// server receives it, with the action parameters in the form body and in
// the query.
func TestV1DTSVectorThroughServer(t *testing.T) {
	t.Parallel()
	ts, _ := time.Parse(time.RFC3339, "2024-05-01T08:00:00Z")
	for _, inBody := range []bool{true, false} {
		s := New(Options{
			Credentials: []Credential{{AccessKeyID: "testid", AccessKeySecret: "testsecret"}},
			Clock:       NewManualClock(ts.Add(time.Minute)),
		})
		q, form := url.Values{}, url.Values{}
		for k, v := range dtsV1Params() {
			switch {
			case inBody && (k == "DtsJobId" || k == "RegionId" || k == "SynchronizationDirection"):
				form[k] = v
			default:
				q[k] = v
			}
		}
		q.Set("Signature", "i3sHx2kdkGlsKmuMtXbVP/PPy5A=")
		r := httptest.NewRequest(http.MethodPost, "/?"+q.Encode(), strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req, e := parseAPIRequest(httptest.NewRecorder(), r)
		if e != nil {
			t.Fatal(e)
		}
		res, e := s.authenticate(req)
		if e != nil || !res.ok || res.signature != "v1" {
			t.Fatalf("inBody=%v: %+v %v", inBody, res, e)
		}
		// The same request again is a replay.
		if _, e := s.authenticate(req); e == nil || e.code != CodeSignatureNonceUsed {
			t.Fatalf("replay: %v", e)
		}
	}
}
