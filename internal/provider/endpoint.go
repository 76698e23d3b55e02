package provider

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// parseEndpoint accepts "host[:port]" (HTTPS) or an http(s) URL with no path,
// and returns the host to sign and the protocol to use.
func parseEndpoint(raw string, allowInsecureHTTP bool) (host, protocol string, err error) {
	const accepted = "expected a host name such as dts.aliyuncs.com, https://host[:port], or http://127.0.0.1:PORT for a local fake endpoint"
	raw = strings.TrimSpace(raw)
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, perr := url.Parse(raw)
	if perr != nil || u.Host == "" || u.Hostname() == "" {
		return "", "", fmt.Errorf("endpoint %q is not a valid URL or host: %s", raw, accepted)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", "", fmt.Errorf("endpoint %q uses scheme %q: %s", raw, u.Scheme, accepted)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil || u.Fragment != "" {
		// Redacted keeps a password in the URL out of the error.
		return "", "", fmt.Errorf("endpoint %q must not have a path, query, user or fragment: %s", u.Redacted(), accepted)
	}
	if u.Scheme == "http" && !allowInsecureHTTP && !isLoopback(u.Hostname()) {
		return "", "", fmt.Errorf("endpoint %q uses plain http to a host that is not loopback, so request contents would travel unencrypted; "+
			"use https, or set allow_insecure_http = true if the network path is trusted", raw)
	}
	return u.Host, u.Scheme, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
