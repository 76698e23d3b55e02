package dtsclient

import (
	"strings"
	"testing"
)

func TestEndpointForRegion(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"cn-hangzhou":                 "dts.aliyuncs.com",
		"cn-qingdao":                  "dts.aliyuncs.com",
		"cn-wulanchabu":               "dts.aliyuncs.com",
		"cn-fujian":                   "dts.aliyuncs.com",
		"ap-southeast-5":              "dts.aliyuncs.com",
		"ap-south-1":                  "dts.aliyuncs.com",
		"eu-central-1":                "dts.aliyuncs.com",
		"us-east-1":                   "dts.aliyuncs.com",
		"me-east-1":                   "dts.aliyuncs.com",
		"cn-shanghai-finance-1":       "dts.aliyuncs.com",
		"cn-hangzhou-finance":         "dts.aliyuncs.com",
		"cn-north-2-gov-1":            "dts.aliyuncs.com",
		"cn-chengdu-gov-9":            "dts.aliyuncs.com",
		"cn-shenzhen-finance-2":       "dts.aliyuncs.com",
		"cn-hangzhou-internal-test-1": "dts.aliyuncs.com",
		"rus-west-1-pop":              "dts.aliyuncs.com",
		" CN-HANGZHOU ":               "dts.aliyuncs.com",
		"":                            "dts.aliyuncs.com",
		"ap-northeast-1":              "dts.ap-northeast-1.aliyuncs.com",
		"cn-heyuan":                   "dts.cn-heyuan.aliyuncs.com",
		"cn-guangzhou":                "dts.cn-guangzhou.aliyuncs.com",
		"me-central-1":                "dts.me-central-1.aliyuncs.com",
		"ap-southeast-6":              "dts.ap-southeast-6.aliyuncs.com",
	}
	for region, want := range cases {
		if got := EndpointForRegion(region); got != want {
			t.Errorf("EndpointForRegion(%q) = %q, want %q", region, got, want)
		}
	}
}

func TestParseEndpoint(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		raw, host, protocol string
		wantErr             string
	}{
		"bare host is https":   {raw: " dts.aliyuncs.com ", host: "dts.aliyuncs.com", protocol: "https"},
		"host and port":        {raw: "127.0.0.1:8443", host: "127.0.0.1:8443", protocol: "https"},
		"http url":             {raw: "http://127.0.0.1:39211/", host: "127.0.0.1:39211", protocol: "http"},
		"empty":                {raw: "", wantErr: "endpoint is empty"},
		"other scheme":         {raw: "ftp://dts.aliyuncs.com", wantErr: `uses scheme "ftp"`},
		"password is redacted": {raw: "https://me:secret@dts.aliyuncs.com", wantErr: "must not have a path, query, user or fragment"},
		// A URL that does not parse, or has another scheme, is quoted too.
		"unparsable with password":   {raw: "https://me:secret%zz@dts.aliyuncs.com", wantErr: "is not a valid URL or host"},
		"other scheme with password": {raw: "ftp://me:secret@dts.aliyuncs.com", wantErr: `uses scheme "ftp"`},
		"user name is redacted too":  {raw: "https://secret@dts.aliyuncs.com", wantErr: "REDACTED@dts.aliyuncs.com"},
	}
	for name, tc := range cases {
		host, protocol, err := ParseEndpoint(tc.raw)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || strings.Contains(err.Error(), "secret") {
				t.Errorf("%s: ParseEndpoint(%q) error = %v, want one containing %q and no password", name, tc.raw, err, tc.wantErr)
			}
			continue
		}
		if err != nil || host != tc.host || protocol != tc.protocol {
			t.Errorf("%s: ParseEndpoint(%q) = %q, %q, %v; want %q, %q", name, tc.raw, host, protocol, err, tc.host, tc.protocol)
		}
	}
}
