package dtsclient

import "testing"

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
