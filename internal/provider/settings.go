package provider

import (
	"cmp"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

const (
	defaultMaxRetries = 5
	signatureV3       = "ACS3-HMAC-SHA256"
	signatureV1       = "HMAC-SHA1"
)

// Environment variable names, in order of precedence: the ALIBABA_CLOUD_*
// names of the SDKs and CLI first, then the ALICLOUD_* names of the official
// Terraform provider.
var (
	envAccessKey     = []string{"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"}
	envSecretKey     = []string{"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"}
	envSecurityToken = []string{"ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"}
	envRegion        = []string{"ALIBABA_CLOUD_REGION", "ALICLOUD_REGION"}
	envProfile       = []string{"ALIBABA_CLOUD_PROFILE", "ALICLOUD_PROFILE"}
	envEndpoint      = []string{"ALIBABA_CLOUD_ENDPOINT_DTS"}
	// The names below are the official provider's. ALIBABA_CLOUD_CONFIG_FILE,
	// ALIBABA_CLOUD_ECS_METADATA and ALIBABA_CLOUD_ROLE_ARN are read by
	// credentials-go itself, in the default chain.
	envSharedCredentialsFile = []string{"ALICLOUD_SHARED_CREDENTIALS_FILE"}
	envECSRoleName           = []string{"ALICLOUD_ECS_ROLE_NAME"}
	envAssumeRoleARN         = []string{"ALICLOUD_ASSUME_ROLE_ARN"}
	envAssumeRoleSession     = []string{"ALICLOUD_ASSUME_ROLE_SESSION_NAME"}
	envAssumeRoleExpiration  = []string{"ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION"}
	envSTSEndpoint           = []string{"ALIBABA_CLOUD_STS_ENDPOINT", "ALICLOUD_STS_ENDPOINT"}
)

// sdkDebugFlags are the DEBUG values that make the Alibaba Cloud SDK and
// credentials-go print requests, headers and credentials. The SDK reads
// DEBUG when the process starts, so the provider cannot silence it, only
// refuse to send anything while it is set.
var sdkDebugFlags = map[string]bool{"dara": true, "tea": true, "credential": true}

func noEnv(string) (string, bool) { return "", false }

// settings is the provider configuration after environment fallbacks.
type settings struct {
	AccessKey, SecretKey, SecurityToken                 string
	Region, Profile, SharedCredentialsFile, ECSRoleName string
	AssumeRole                                          *assumeRoleSettings
	STSEndpoint                                         string // host[:port], called over HTTPS; "" means STS of the region
	Endpoint, Protocol                                  string // Endpoint is host[:port], "" for the region's host
	MaxRetries                                          int
	RequestTimeout                                      time.Duration
	SignatureAlgorithm                                  string
	DisableBatchStatusReads                             bool   // batch_status_reads = false
	API                                                 string // apiAuto, apiDtsJob or apiSynchronizationJob
}

type assumeRoleSettings struct {
	RoleARN, SessionName, ExternalID, Policy string
	SessionExpiration                        int
}

// resolveSettings merges the configuration with the environment. Explicit
// arguments always win. It returns nil settings without error when a value
// is not known yet, so the provider stays unconfigured for this plan.
func resolveSettings(cfg providerModel, lookupEnv func(string) (string, bool)) (*settings, diag.Diagnostics) {
	var diags diag.Diagnostics
	if anyUnknown(cfg) {
		return nil, diags
	}

	// A profile or an ECS role named in the provider block is explicit
	// configuration, so it wins over credentials that only come from the
	// environment.
	keyEnv, profileEnv := lookupEnv, lookupEnv
	explicitProfile := !cfg.Profile.IsNull() || !cfg.SharedCredentialsFile.IsNull()
	explicitECSRole := !cfg.ECSRoleName.IsNull()
	if (explicitProfile || explicitECSRole) && cfg.AccessKey.IsNull() && cfg.SecretKey.IsNull() {
		keyEnv = noEnv
	}
	if explicitECSRole && !explicitProfile {
		profileEnv = noEnv
	}
	s := &settings{
		AccessKey:             firstOf(cfg.AccessKey, keyEnv, envAccessKey),
		SecretKey:             firstOf(cfg.SecretKey, keyEnv, envSecretKey),
		SecurityToken:         firstOf(cfg.SecurityToken, keyEnv, envSecurityToken),
		Region:                firstOf(cfg.Region, lookupEnv, envRegion),
		Profile:               firstOf(cfg.Profile, profileEnv, envProfile),
		SharedCredentialsFile: firstOf(cfg.SharedCredentialsFile, profileEnv, envSharedCredentialsFile),
		ECSRoleName:           firstOf(cfg.ECSRoleName, lookupEnv, envECSRoleName),
		MaxRetries:            defaultMaxRetries,
		SignatureAlgorithm:    cmp.Or(cfg.SignatureAlgorithm.ValueString(), signatureV3),
		API:                   cmp.Or(cfg.API.ValueString(), apiAuto),
		// Unset (null) batch_status_reads means true.
		DisableBatchStatusReads: !cfg.BatchStatusReads.IsNull() && !cfg.BatchStatusReads.ValueBool(),
	}
	if !cfg.MaxRetries.IsNull() {
		s.MaxRetries = int(cfg.MaxRetries.ValueInt64())
	}
	if v := cfg.RequestTimeout.ValueString(); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			diags.AddAttributeError(path.Root("request_timeout"), "Invalid Request Timeout",
				fmt.Sprintf("request_timeout %q must be a positive Go duration such as 30s or 1m.", v))
		}
		s.RequestTimeout = d
	}

	// An access key ID without its secret (or the reverse) is never what the
	// user meant; say which half is missing and where it may come from.
	if (s.AccessKey == "") != (s.SecretKey == "") {
		missing, names := "secret_key", envSecretKey
		if s.AccessKey == "" {
			missing, names = "access_key", envAccessKey
		}
		diags.AddAttributeError(path.Root(missing), "Incomplete Access Key",
			"Only one half of the access key pair is set. Set "+missing+" in the provider block or the "+
				names[0]+" (or "+names[1]+") environment variable, or remove the other half to use a profile or the default credential chain.")
	}
	if s.SecurityToken != "" && s.AccessKey == "" {
		diags.AddAttributeError(path.Root("security_token"), "Security Token Without Access Key",
			"security_token is set, but an STS token is only valid together with the temporary access_key and secret_key it was issued with.")
	}
	if !cfg.AccessKey.IsNull() && explicitProfile {
		diags.AddAttributeError(path.Root("profile"), "Conflicting Credentials",
			"Both an access key and a profile (profile or shared_credentials_file) are configured in the provider block. Use one of them.")
	}
	if explicitECSRole && (!cfg.AccessKey.IsNull() || explicitProfile) {
		diags.AddAttributeError(path.Root("ecs_role_name"), "Conflicting Credentials",
			"ecs_role_name and an access key or a profile are configured in the provider block. Use one of them.")
	}

	if v, ok := lookupEnv("DEBUG"); ok {
		for _, flag := range strings.Split(v, ",") {
			if sdkDebugFlags[flag] {
				diags.AddError("Alibaba Cloud SDK Debug Output Would Print Secrets",
					fmt.Sprintf("The environment sets DEBUG=%s. With %q, the Alibaba Cloud SDK prints every request it signs, "+
						"signature and STS token included, to the provider's output, which Terraform writes to its log. "+
						"Unset DEBUG (or remove %s from it); TF_LOG=DEBUG or TRACE shows every request without its secrets.", v, flag, flag))
				break
			}
		}
	}

	if s.Region != "" {
		if err := validateRegion(s.Region); err != nil {
			diags.AddAttributeError(path.Root("region"), "Invalid Region", err.Error())
		}
	}

	if raw := firstOf(cfg.Endpoint, lookupEnv, envEndpoint); raw != "" {
		host, protocol, err := parseEndpoint(raw, cfg.AllowInsecureHTTP.ValueBool())
		if err != nil {
			diags.AddAttributeError(path.Root("endpoint"), "Invalid Endpoint", err.Error())
		}
		s.Endpoint, s.Protocol = host, protocol
	}

	s.AssumeRole = resolveAssumeRole(cfg.AssumeRole, lookupEnv, &diags)
	if raw := firstOf(cfg.STSEndpoint, lookupEnv, envSTSEndpoint); raw != "" {
		host, protocol, err := dtsclient.ParseEndpoint(raw)
		if err == nil && protocol != "https" {
			err = fmt.Errorf("sts_endpoint %q uses http: credentials-go sends AssumeRole over HTTPS only; give a host name or an https:// URL", dtsclient.RedactUserinfo(raw))
		}
		if err != nil {
			diags.AddAttributeError(path.Root("sts_endpoint"), "Invalid STS Endpoint", err.Error())
		}
		s.STSEndpoint = host
	}

	if diags.HasError() {
		return nil, diags
	}
	return s, diags
}

// resolveAssumeRole merges the assume_role block with the official
// provider's ALICLOUD_ASSUME_ROLE_* variables: they fill what the block leaves
// unset, and ALICLOUD_ASSUME_ROLE_ARN alone assumes the role, as it does for
// the alicloud provider, rather than being silently ignored.
func resolveAssumeRole(block *assumeRoleModel, lookupEnv func(string) (string, bool), diags *diag.Diagnostics) *assumeRoleSettings {
	if block == nil {
		block = &assumeRoleModel{}
		if firstOf(types.StringNull(), lookupEnv, envAssumeRoleARN) == "" {
			return nil
		}
	}
	ar := &assumeRoleSettings{
		RoleARN:     firstOf(block.RoleARN, lookupEnv, envAssumeRoleARN),
		SessionName: firstOf(block.SessionName, lookupEnv, envAssumeRoleSession),
		ExternalID:  block.ExternalID.ValueString(),
		Policy:      block.Policy.ValueString(),
	}
	at := path.Root("assume_role")
	if ar.RoleARN == "" {
		diags.AddAttributeError(at.AtName("role_arn"), "Missing Role ARN",
			"The assume_role block needs role_arn (or the "+envAssumeRoleARN[0]+" environment variable), e.g. acs:ram::123456789012****:role/dts-operator.")
	}
	if ar.SessionName == "" {
		ar.SessionName = "terraform-provider-dts"
	}
	ar.SessionExpiration = int(block.SessionExpiration.ValueInt64())
	if block.SessionExpiration.IsNull() {
		if v := firstOf(types.StringNull(), lookupEnv, envAssumeRoleExpiration); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 900 || n > 43200 {
				diags.AddAttributeError(at.AtName("session_expiration"), "Invalid Session Expiration",
					fmt.Sprintf("%s is %q; it must be a number of seconds from 900 to 43200.", envAssumeRoleExpiration[0], v))
			}
			ar.SessionExpiration = n
		}
	}
	return ar
}

func firstOf(v types.String, lookupEnv func(string) (string, bool), names []string) string {
	if !v.IsNull() {
		return v.ValueString()
	}
	for _, n := range names {
		if e, ok := lookupEnv(n); ok && e != "" {
			return e
		}
	}
	return ""
}

func anyUnknown(cfg providerModel) bool {
	values := []interface{ IsUnknown() bool }{
		cfg.AccessKey, cfg.AllowInsecureHTTP, cfg.API, cfg.BatchStatusReads, cfg.Endpoint, cfg.MaxRetries, cfg.Profile, cfg.Region,
		cfg.RequestTimeout, cfg.SecretKey, cfg.SecurityToken, cfg.SharedCredentialsFile, cfg.SignatureAlgorithm,
		cfg.ECSRoleName, cfg.STSEndpoint,
	}
	if ar := cfg.AssumeRole; ar != nil {
		values = append(values, ar.ExternalID, ar.Policy, ar.RoleARN, ar.SessionExpiration, ar.SessionName)
	}
	for _, v := range values {
		if v.IsUnknown() {
			return true
		}
	}
	return false
}

// parseEndpoint parses the endpoint argument with the client's one parser and
// adds the provider's policy: plain http only to loopback unless allowed.
func parseEndpoint(raw string, allowInsecureHTTP bool) (host, protocol string, err error) {
	host, protocol, err = dtsclient.ParseEndpoint(raw)
	if err != nil {
		return "", "", err
	}
	name := (&url.URL{Host: host}).Hostname()
	ip := net.ParseIP(name)
	if protocol == "http" && !allowInsecureHTTP && !strings.EqualFold(name, "localhost") && (ip == nil || !ip.IsLoopback()) {
		return "", "", fmt.Errorf("endpoint %q uses plain http to a host that is not loopback, so request contents would travel unencrypted; "+
			"use https, or set allow_insecure_http = true if the network path is trusted", dtsclient.RedactUserinfo(strings.TrimSpace(raw)))
	}
	return host, protocol, nil
}
