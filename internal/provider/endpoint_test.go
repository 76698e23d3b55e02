package provider

import "testing"

func TestParseEndpoint(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		raw, host, protocol string
		insecure            bool
		wantErr             bool
	}{
		"bare host is https":         {raw: "dts.aliyuncs.com", host: "dts.aliyuncs.com", protocol: "https"},
		"https with port":            {raw: "https://dts.example.com:8443/", host: "dts.example.com:8443", protocol: "https"},
		"loopback http for the fake": {raw: "http://127.0.0.1:39211", host: "127.0.0.1:39211", protocol: "http"},
		"localhost http":             {raw: "http://localhost:8080", host: "localhost:8080", protocol: "http"},
		"ipv6 loopback":              {raw: "http://[::1]:8080", host: "[::1]:8080", protocol: "http"},
		"remote http refused":        {raw: "http://10.0.0.5:8080", wantErr: true},
		"remote http allowed":        {raw: "http://10.0.0.5:8080", insecure: true, host: "10.0.0.5:8080", protocol: "http"},
		"not a url":                  {raw: "::::", wantErr: true},
		"empty host":                 {raw: "https://", wantErr: true},
		"query string":               {raw: "https://dts.aliyuncs.com?x=1", wantErr: true},
		"user info":                  {raw: "https://me:pw@dts.aliyuncs.com", wantErr: true},
	}
	for name, tc := range cases {
		host, protocol, err := parseEndpoint(tc.raw, tc.insecure)
		if tc.wantErr {
			if err == nil {
				t.Errorf("%s: parseEndpoint(%q) accepted it", name, tc.raw)
			}
			continue
		}
		if err != nil || host != tc.host || protocol != tc.protocol {
			t.Errorf("%s: parseEndpoint(%q) = %q, %q, %v; want %q, %q", name, tc.raw, host, protocol, err, tc.host, tc.protocol)
		}
	}
}
