package provider

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func envOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestResolveSettings(t *testing.T) {
	t.Parallel()
	fullEnv := map[string]string{
		"ALIBABA_CLOUD_ACCESS_KEY_ID":     "env-ak",
		"ALIBABA_CLOUD_ACCESS_KEY_SECRET": "env-sk",
		"ALIBABA_CLOUD_SECURITY_TOKEN":    "env-token",
		"ALIBABA_CLOUD_REGION":            "cn-shanghai",
		"ALIBABA_CLOUD_PROFILE":           "env-profile",
		"ALIBABA_CLOUD_ENDPOINT_DTS":      "dts.example.com",
		"ALICLOUD_ACCESS_KEY":             "legacy-ak",
		"ALICLOUD_SECRET_KEY":             "legacy-sk",
		"ALICLOUD_REGION":                 "cn-beijing",
	}
	cases := map[string]struct {
		cfg  providerModel
		env  map[string]string
		want settings
	}{
		"environment only": {
			env: fullEnv,
			want: settings{AccessKey: "env-ak", SecretKey: "env-sk", SecurityToken: "env-token", Region: "cn-shanghai",
				Profile: "env-profile", Endpoint: "dts.example.com", Protocol: "https", MaxRetries: defaultMaxRetries, SignatureAlgorithm: signatureV3, API: apiAuto},
		},
		"legacy ALICLOUD names when the new ones are absent": {
			env: map[string]string{"ALICLOUD_ACCESS_KEY": "legacy-ak", "ALICLOUD_SECRET_KEY": "legacy-sk", "ALICLOUD_REGION": "cn-beijing", "ALICLOUD_PROFILE": "p"},
			want: settings{AccessKey: "legacy-ak", SecretKey: "legacy-sk", Region: "cn-beijing", Profile: "p",
				MaxRetries: defaultMaxRetries, SignatureAlgorithm: signatureV3, API: apiAuto},
		},
		"explicit configuration wins over the environment": {
			cfg: providerModel{
				AccessKey: types.StringValue("cfg-ak"), SecretKey: types.StringValue("cfg-sk"), Region: types.StringValue("eu-central-1"),
				Endpoint: types.StringValue("http://127.0.0.1:8080"), MaxRetries: types.Int64Value(2),
				SignatureAlgorithm: types.StringValue(signatureV1),
			},
			env: fullEnv,
			want: settings{AccessKey: "cfg-ak", SecretKey: "cfg-sk", SecurityToken: "env-token", Region: "eu-central-1",
				Profile: "env-profile", Endpoint: "127.0.0.1:8080", Protocol: "http", MaxRetries: 2, SignatureAlgorithm: signatureV1, API: apiAuto},
		},
		"an explicit profile wins over access keys from the environment": {
			cfg:  providerModel{Profile: types.StringValue("ops"), SharedCredentialsFile: types.StringValue("/etc/aliyun.json")},
			env:  fullEnv,
			want: settings{Region: "cn-shanghai", Profile: "ops", SharedCredentialsFile: "/etc/aliyun.json", Endpoint: "dts.example.com", Protocol: "https", MaxRetries: defaultMaxRetries, SignatureAlgorithm: signatureV3, API: apiAuto},
		},
		"nothing set": {
			want: settings{MaxRetries: defaultMaxRetries, SignatureAlgorithm: signatureV3, API: apiAuto},
		},
		"api chooses the action family": {
			cfg:  providerModel{API: types.StringValue(apiSynchronizationJob)},
			want: settings{MaxRetries: defaultMaxRetries, SignatureAlgorithm: signatureV3, API: apiSynchronizationJob},
		},
		"assume role defaults its session name": {
			cfg: providerModel{AssumeRole: &assumeRoleModel{RoleARN: types.StringValue("acs:ram::1:role/ops")}},
			want: settings{MaxRetries: defaultMaxRetries, SignatureAlgorithm: signatureV3, API: apiAuto,
				AssumeRole: &assumeRoleSettings{RoleARN: "acs:ram::1:role/ops", SessionName: "terraform-provider-dts"}},
		},
		// The names the alicloud provider's users already export are honoured,
		// not ignored: a role set only in the environment is assumed.
		"the official provider's credential names": {
			env: map[string]string{
				"ALICLOUD_SHARED_CREDENTIALS_FILE": "/home/ops/.aliyun/creds.json", "ALICLOUD_PROFILE": "ops",
				"ALICLOUD_ECS_ROLE_NAME": "dts-runner", "ALICLOUD_ASSUME_ROLE_ARN": "acs:ram::1:role/dts-operator",
				"ALICLOUD_ASSUME_ROLE_SESSION_NAME": "pipeline", "ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION": "1800",
				"ALICLOUD_STS_ENDPOINT": "sts-vpc.cn-hangzhou.aliyuncs.com",
			},
			want: settings{Profile: "ops", SharedCredentialsFile: "/home/ops/.aliyun/creds.json", ECSRoleName: "dts-runner",
				STSEndpoint: "sts-vpc.cn-hangzhou.aliyuncs.com", MaxRetries: defaultMaxRetries, SignatureAlgorithm: signatureV3,
				AssumeRole: &assumeRoleSettings{RoleARN: "acs:ram::1:role/dts-operator", SessionName: "pipeline", SessionExpiration: 1800}},
		},
		"the assume_role block takes what it leaves unset from the environment": {
			cfg: providerModel{AssumeRole: &assumeRoleModel{SessionName: types.StringValue("cfg-session"), Policy: types.StringValue("{}")}},
			env: map[string]string{"ALICLOUD_ASSUME_ROLE_ARN": "acs:ram::1:role/env", "ALICLOUD_ASSUME_ROLE_SESSION_NAME": "env-session",
				"ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION": "900", "ALIBABA_CLOUD_STS_ENDPOINT": "https://sts.example.com:8443"},
			want: settings{MaxRetries: defaultMaxRetries, SignatureAlgorithm: signatureV3, STSEndpoint: "sts.example.com:8443",
				AssumeRole: &assumeRoleSettings{RoleARN: "acs:ram::1:role/env", SessionName: "cfg-session", Policy: "{}", SessionExpiration: 900}},
		},
		"an explicit ecs_role_name wins over keys and a profile from the environment": {
			cfg:  providerModel{ECSRoleName: types.StringValue("dts-runner")},
			env:  fullEnv,
			want: settings{Region: "cn-shanghai", ECSRoleName: "dts-runner", Endpoint: "dts.example.com", Protocol: "https", MaxRetries: defaultMaxRetries, SignatureAlgorithm: signatureV3},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, diags := resolveSettings(withNulls(tc.cfg), envOf(tc.env))
			if diags.HasError() {
				t.Fatalf("unexpected diagnostics: %v", diags)
			}
			if tc.want.API == "" {
				tc.want.API = apiAuto // the default when a case sets no api
			}
			if diff := cmp.Diff(&tc.want, got); diff != "" {
				t.Errorf("settings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestResolveSettings_invalid(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		cfg      providerModel
		env      map[string]string
		wantPath string
		wantIn   string
	}{
		"secret without access key": {
			cfg: providerModel{SecretKey: types.StringValue("sk")}, wantPath: "access_key", wantIn: "ALIBABA_CLOUD_ACCESS_KEY_ID",
		},
		"access key without secret from env": {
			env: map[string]string{"ALICLOUD_ACCESS_KEY": "ak"}, wantPath: "secret_key", wantIn: "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
		},
		"token without keys": {
			cfg: providerModel{SecurityToken: types.StringValue("tok")}, wantPath: "security_token", wantIn: "temporary access_key",
		},
		"keys and profile both explicit": {
			cfg:      providerModel{AccessKey: types.StringValue("a"), SecretKey: types.StringValue("b"), Profile: types.StringValue("p")},
			wantPath: "profile", wantIn: "Use one of them",
		},
		"endpoint that is not a URL": {
			cfg: providerModel{Endpoint: types.StringValue("ht!tp://x y")}, wantPath: "endpoint", wantIn: "not a valid URL or host",
		},
		"endpoint with a path": {
			cfg: providerModel{Endpoint: types.StringValue("https://dts.aliyuncs.com/v1")}, wantPath: "endpoint", wantIn: "must not have a path",
		},
		"plain http to a remote host": {
			cfg: providerModel{Endpoint: types.StringValue("http://dts.example.com")}, wantPath: "endpoint", wantIn: "allow_insecure_http",
		},
		"ftp endpoint": {
			cfg: providerModel{Endpoint: types.StringValue("ftp://127.0.0.1")}, wantPath: "endpoint", wantIn: `scheme "ftp"`,
		},
		"region from env in a wrong format": {
			env: map[string]string{"ALIBABA_CLOUD_REGION": "CN_Hangzhou"}, wantPath: "region", wantIn: "cn-hangzhou",
		},
		"assume role without arn": {
			cfg: providerModel{AssumeRole: &assumeRoleModel{}}, wantPath: "assume_role.role_arn", wantIn: "ALICLOUD_ASSUME_ROLE_ARN",
		},
		"session expiration from env out of range": {
			env:      map[string]string{"ALICLOUD_ASSUME_ROLE_ARN": "acs:ram::1:role/r", "ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION": "60"},
			wantPath: "assume_role.session_expiration", wantIn: "ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION",
		},
		"sts endpoint over plain http": {
			env: map[string]string{"ALICLOUD_STS_ENDPOINT": "http://127.0.0.1:9"}, wantPath: "sts_endpoint", wantIn: "HTTPS only",
		},
		"ecs role and keys both explicit": {
			cfg:      providerModel{AccessKey: types.StringValue("a"), SecretKey: types.StringValue("b"), ECSRoleName: types.StringValue("r")},
			wantPath: "ecs_role_name", wantIn: "Use one of them",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, diags := resolveSettings(withNulls(tc.cfg), envOf(tc.env))
			if !diags.HasError() || got != nil {
				t.Fatalf("want an error, got settings %+v", got)
			}
			if !diagsMention(diags, tc.wantIn) {
				t.Errorf("no error mentions %q: %v", tc.wantIn, diags)
			}
			if !diagsHavePath(diags, tc.wantPath) {
				t.Errorf("no error on attribute %s: %v", tc.wantPath, diags)
			}
		})
	}
}

func TestResolveSettings_unknownLeavesProviderUnconfigured(t *testing.T) {
	t.Parallel()
	got, diags := resolveSettings(withNulls(providerModel{Endpoint: types.StringUnknown()}), envOf(nil))
	if diags.HasError() || got != nil {
		t.Fatalf("want nil settings and no error, got %+v %v", got, diags)
	}
}

// withNulls turns the zero values of a test model into null values, as the
// framework would deliver an empty provider block.
func withNulls(m providerModel) providerModel {
	nullS := func(v types.String) types.String {
		if v.IsUnknown() || !v.IsNull() && v.ValueString() != "" {
			return v
		}
		if v == (types.String{}) {
			return types.StringNull()
		}
		return v
	}
	m.AccessKey, m.SecretKey, m.SecurityToken = nullS(m.AccessKey), nullS(m.SecretKey), nullS(m.SecurityToken)
	m.Region, m.Profile, m.SharedCredentialsFile = nullS(m.Region), nullS(m.Profile), nullS(m.SharedCredentialsFile)
	m.Endpoint, m.SignatureAlgorithm, m.API = nullS(m.Endpoint), nullS(m.SignatureAlgorithm), nullS(m.API)
	m.ECSRoleName, m.STSEndpoint = nullS(m.ECSRoleName), nullS(m.STSEndpoint)
	if m.MaxRetries == (types.Int64{}) {
		m.MaxRetries = types.Int64Null()
	}
	if m.AllowInsecureHTTP == (types.Bool{}) {
		m.AllowInsecureHTTP = types.BoolNull()
	}
	if ar := m.AssumeRole; ar != nil {
		ar.ExternalID, ar.Policy, ar.RoleARN, ar.SessionName = nullS(ar.ExternalID), nullS(ar.Policy), nullS(ar.RoleARN), nullS(ar.SessionName)
		if ar.SessionExpiration == (types.Int64{}) {
			ar.SessionExpiration = types.Int64Null()
		}
	}
	return m
}

// TestResolveSettings_sdkDebugOutputIsRefused: DEBUG=dara makes the SDK print
// signed requests, token included, where Terraform logs them.
func TestResolveSettings_sdkDebugOutputIsRefused(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"dara", "sdk,tea", "credential"} {
		got, diags := resolveSettings(withNulls(providerModel{}), envOf(map[string]string{"DEBUG": v}))
		if got != nil || !diagsMention(diags, "DEBUG="+v) {
			t.Errorf("DEBUG=%s: settings %+v, diagnostics %v; want an error naming it", v, got, diags)
		}
	}
	if _, diags := resolveSettings(withNulls(providerModel{}), envOf(map[string]string{"DEBUG": "sdk"})); diags.HasError() {
		t.Errorf("DEBUG=sdk prints nothing of the SDK's, but was refused: %v", diags)
	}
}
