package dtsclient

import (
	"fmt"
	"net/url"
	"strings"
)

// centralRegions are the regions the DTS SDK's EndpointMap sends to the central
// host (alibabacloud-go/dts-20200101 client.go, docs/development/dts-api.md §1).
var centralRegions = map[string]bool{
	"cn-qingdao": true, "cn-beijing": true, "cn-zhangjiakou": true, "cn-huhehaote": true,
	"cn-hangzhou": true, "cn-shanghai": true, "cn-shenzhen": true, "cn-hongkong": true,
	"cn-chengdu": true, "cn-wulanchabu": true, "cn-wuhan": true, "cn-fujian": true,
	"ap-southeast-1": true, "ap-southeast-2": true, "ap-southeast-3": true, "ap-southeast-5": true,
	"ap-south-1": true, "eu-west-1": true, "eu-central-1": true, "us-west-1": true,
	"us-east-1": true, "me-east-1": true,
	// Finance, government and internal regions named in the SDK map.
	"cn-hangzhou-finance": true, "cn-shanghai-finance-1": true, "cn-shenzhen-finance-1": true,
	"cn-beijing-finance-1": true, "cn-beijing-finance-pop": true, "cn-hongkong-finance-pop": true,
	"cn-north-2-gov-1": true, "cn-beijing-gov-1": true, "ap-northeast-2-pop": true,
	"cn-beijing-nu16-b01": true, "cn-edge-1": true, "cn-haidian-cm12-c01": true,
	"cn-hangzhou-bj-b01": true, "cn-hangzhou-internal-prod-1": true,
	"cn-hangzhou-internal-test-1": true, "cn-hangzhou-internal-test-2": true,
	"cn-hangzhou-internal-test-3": true, "cn-hangzhou-test-306": true,
	"cn-huhehaote-nebula-1": true, "cn-qingdao-nebula": true, "cn-shanghai-et15-b01": true,
	"cn-shanghai-et2-b01": true, "cn-shanghai-inner": true, "cn-shanghai-internal-test-1": true,
	"cn-shenzhen-inner": true, "cn-shenzhen-st4-d01": true, "cn-shenzhen-su18-b01": true,
	"cn-yushanfang": true, "cn-zhangbei-na61-b01": true, "cn-zhangjiakou-na62-a01": true,
	"cn-zhengzhou-nebula-1": true, "eu-west-1-oxs": true, "rus-west-1-pop": true,
}

// CentralEndpoint is the DTS host shared by the centrally mapped regions.
const CentralEndpoint = "dts.aliyuncs.com"

// EndpointForRegion returns the DTS host for a region per docs/development/dts-api.md §1: the central
// host for centrally mapped, finance and gov regions (and for ""), else
// "dts.<region>.aliyuncs.com".
func EndpointForRegion(region string) string {
	r := strings.ToLower(strings.TrimSpace(region))
	if r == "" || centralRegions[r] {
		return CentralEndpoint
	}
	if strings.HasPrefix(r, "cn-") && (strings.Contains(r, "-finance-") || strings.Contains(r, "-gov-")) {
		return CentralEndpoint
	}
	return "dts." + r + ".aliyuncs.com"
}

// endpointsAccepted says what ParseEndpoint accepts, for its errors.
const endpointsAccepted = "expected a host name such as dts.aliyuncs.com, https://host[:port], or http://127.0.0.1:PORT for a local fake endpoint"

// ParseEndpoint is the one endpoint parser: it accepts "host[:port]" (HTTPS)
// or an http(s) URL with no path, query, user or fragment, and returns the
// host to sign and the protocol to use.
func ParseEndpoint(raw string) (host, protocol string, err error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", "", fmt.Errorf("endpoint is empty: %s", endpointsAccepted)
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, perr := url.Parse(raw)
	// Every message quotes the endpoint without its user and password.
	shown := RedactUserinfo(raw)
	if perr != nil || u.Host == "" || u.Hostname() == "" {
		return "", "", fmt.Errorf("endpoint %q is not a valid URL or host: %s", shown, endpointsAccepted)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", "", fmt.Errorf("endpoint %q uses scheme %q: %s", shown, u.Scheme, endpointsAccepted)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil || u.Fragment != "" {
		return "", "", fmt.Errorf("endpoint %q must not have a path, query, user or fragment: %s", shown, endpointsAccepted)
	}
	return u.Host, u.Scheme, nil
}
