package provider

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

// parseEndpoint parses the endpoint argument with the client's one parser and
// adds the provider's policy: plain http only to loopback unless allowed.
func parseEndpoint(raw string, allowInsecureHTTP bool) (host, protocol string, err error) {
	host, protocol, err = dtsclient.ParseEndpoint(raw)
	if err != nil {
		return "", "", err
	}
	if protocol == "http" && !allowInsecureHTTP && !isLoopback((&url.URL{Host: host}).Hostname()) {
		return "", "", fmt.Errorf("endpoint %q uses plain http to a host that is not loopback, so request contents would travel unencrypted; "+
			"use https, or set allow_insecure_http = true if the network path is trusted", dtsclient.RedactUserinfo(strings.TrimSpace(raw)))
	}
	return host, protocol, nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
