// Package provider implements the dts Terraform provider.
package provider

import (
	"context"
	"os"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ provider.Provider            = (*dtsProvider)(nil)
	_ provider.ProviderWithActions = (*dtsProvider)(nil)
)

// New returns a constructor for the provider at the given version.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &dtsProvider{version: version, lookupEnv: os.LookupEnv}
	}
}

type dtsProvider struct {
	version string
	// lookupEnv reads the environment; tests replace it so that they do not
	// depend on the developer's own variables.
	lookupEnv func(string) (string, bool)
}

type providerModel struct {
	AccessKey             types.String     `tfsdk:"access_key"`
	AllowInsecureHTTP     types.Bool       `tfsdk:"allow_insecure_http"`
	API                   types.String     `tfsdk:"api"`
	AssumeRole            *assumeRoleModel `tfsdk:"assume_role"`
	BatchStatusReads      types.Bool       `tfsdk:"batch_status_reads"`
	ECSRoleName           types.String     `tfsdk:"ecs_role_name"`
	Endpoint              types.String     `tfsdk:"endpoint"`
	MaxRetries            types.Int64      `tfsdk:"max_retries"`
	Profile               types.String     `tfsdk:"profile"`
	Region                types.String     `tfsdk:"region"`
	RequestTimeout        types.String     `tfsdk:"request_timeout"`
	SecretKey             types.String     `tfsdk:"secret_key"`
	SecurityToken         types.String     `tfsdk:"security_token"`
	SharedCredentialsFile types.String     `tfsdk:"shared_credentials_file"`
	SignatureAlgorithm    types.String     `tfsdk:"signature_algorithm"`
	STSEndpoint           types.String     `tfsdk:"sts_endpoint"`
}

type assumeRoleModel struct {
	ExternalID        types.String `tfsdk:"external_id"`
	Policy            types.String `tfsdk:"policy"`
	RoleARN           types.String `tfsdk:"role_arn"`
	SessionExpiration types.Int64  `tfsdk:"session_expiration"`
	SessionName       types.String `tfsdk:"session_name"`
}

func (p *dtsProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "dts"
	resp.Version = p.version
}

func (p *dtsProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The `dts` provider declares the run state of " +
			"[Alibaba Cloud Data Transmission Service (DTS)](https://www.alibabacloud.com/product/data-transmission-service) " +
			"synchronization jobs, so that pausing and resuming them is reviewed, applied and drift-checked like any other change. " +
			"Credentials come from the first of: `access_key` and `secret_key` (with `security_token` for STS); `profile` or " +
			"`shared_credentials_file` (the `aliyun` CLI configuration); `ecs_role_name`; and, when none is given, the " +
			"[credentials-go default chain](https://github.com/aliyun/credentials-go) (environment, OIDC, the `aliyun` CLI " +
			"profile, `~/.alibabacloud/credentials.ini`, the ECS instance's RAM role). An `assume_role` block (or " +
			"`ALICLOUD_ASSUME_ROLE_ARN`) then acts as a RAM role with them. Each argument falls back to the environment " +
			"variables it names, the `ALIBABA_CLOUD_*` names of the Alibaba Cloud SDKs first, then the `ALICLOUD_*` names of " +
			"the official alicloud provider; a source set in the provider block wins over one set only in the environment. " +
			"The provider never writes a secret key, STS token or signature into a diagnostic or a log, and says of a " +
			"credential source that fails which one it was, which file, and what kind of failure, never the file's content.",
		Attributes: map[string]schema.Attribute{
			"access_key": sensitiveString("AccessKey ID. " + envDoc(envAccessKey)),
			"allow_insecure_http": schema.BoolAttribute{
				MarkdownDescription: "Allow an `http://` `endpoint` that is not a loopback address. Requests are signed, " +
					"but their content travels in clear text; leave this off unless the network path is trusted. Default `false`.",
				Optional: true,
			},
			"api": optionalString("Which DTS action family reads and changes jobs. `auto` (default) uses the maintained family "+
				"(`DescribeDtsJobDetail`, `SuspendDtsJob`, `StartDtsJob`, `DescribeDtsJobs`) and falls back to the legacy "+
				"family, for one job and one action, when the maintained family answers that it does not know the job "+
				"(`Forbidden.InstanceNotFound`, `InvalidJobId`, an invalid `DtsJobId`) or does not offer the action "+
				"(`InvalidApi.NotFound`, `Unsupported*`); the family that served a job is "+
				"tried first for it for the rest of the run, and the debug log names it. Any other answer (throttling, a "+
				"status conflict, arrears) is the result, so a job is never changed twice. An action the credential may "+
				"not call (`Forbidden*`, `NoPermission*`) fails with that error, naming the action to allow: the provider "+
				"never walks around a RAM policy through the other family, nor reads a denial as a deleted job. `dts_job` uses only the "+
				"maintained family, as the official alicloud provider does. `synchronization_job` uses only the legacy "+
				"family (`DescribeSynchronizationJobStatus`, `SuspendSynchronizationJob`, `StartSynchronizationJob`, "+
				"`DescribeSynchronizationJobStatusList`, `DescribeSynchronizationJobs`); "+
				"it addresses jobs by `synchronization_job_id` only. Alibaba documents the legacy family "+
				"as no longer maintained, and no source says whether its actions act on jobs created through the new API, "+
				"which is why `auto` tries the maintained family first.", stringvalidator.OneOf(apiValues...)),
			"batch_status_reads": schema.BoolAttribute{
				MarkdownDescription: "Coalesce the status reads of `dts_synchronization_job_state` resources that run at the same " +
					"time in one region (Terraform works on up to `-parallelism`, default 10, at once), so that plans and applies " +
					"of many jobs stay under the DTS rate limits: the reads of a refresh and the polls of every wait share one " +
					"call per region, and the plan-time reads of creates share one listing of the region. In the maintained " +
					"family (`api` = `auto` or `dts_job`) that call is a `DescribeDtsJobs` listing of the region (100 jobs a " +
					"page), which answers the refresh reads that arrive while it is read, and those within 5 seconds after at once, without waiting for a batch; when a " +
					"listing would take more calls than the jobs asked about, `auto` reads them with " +
					"`DescribeSynchronizationJobStatusList` instead. In the legacy family (`api = \"synchronization_job\"`) it " +
					"is one `DescribeSynchronizationJobStatusList` call instead of one `DescribeSynchronizationJobStatus` call per " +
					"resource. A call is sent once no further read has arrived for 15 ms, and at most 100 ms after the first " +
					"read of its batch. One legacy call carries at most 50 job IDs (DTS " +
					"documents no limit; 50 is a conservative choice). A job missing from the answer is confirmed with a single read before it is " +
					"removed from the state; a job whose status is not `Synchronizing` or `Suspending`, or changed since the " +
					"last refresh, or that was just imported, is also read on its own, for its error message, name and pay " +
					"type. A batched call that still fails after `max_retries` is tried once more if the failure may pass " +
					"(throttling, 5xx, network), then each job is read on its own. Trade-offs: a " +
					"refresh may wait up to 100 ms longer, a status may be up to 5 seconds older than a single read's, and a job's " +
					"`job_name` and `pay_type` are re-read only when its status changes. Default `true`; `false` reads every job on its own.",
				Optional: true,
			},
			"ecs_role_name": optionalString("Name of the RAM role attached to the ECS instance Terraform runs on; the credentials come from " +
				"the instance metadata service. " + envDoc(envECSRoleName) + " (Without any credential argument, the " +
				"default chain also finds the instance's role, named by `ALIBABA_CLOUD_ECS_METADATA` or discovered.)"),
			"endpoint": optionalString("DTS API endpoint, overriding the host chosen from `region`. A host name (HTTPS is used), " +
				"`https://host[:port]`, or `http://127.0.0.1:PORT` for a local fake endpoint. " + envDoc(envEndpoint)),
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: "How many times one API call is retried after a 5xx answer or a network error, with " +
					"exponential backoff and jitter. Default `" + strconv.Itoa(defaultMaxRetries) + "`; `0` disables retries. Throttling " +
					"does not count against it: the provider paces its calls and retries a throttled call until the operation's " +
					"deadline (the resource's `timeouts`, or 5 minutes for a read). A pause or resume call that may have reached " +
					"DTS (a timeout, a 5xx or a connection lost after sending) is not retried: the provider reads the job and " +
					"sends the call again only if the read shows it did not take.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 100)},
			},
			"profile": optionalString("Profile name in the `aliyun` CLI configuration file (`shared_credentials_file`); default: " +
				"the file's current profile. " + envDoc(envProfile)),
			"region": optionalString("Default region of the jobs, e.g. `cn-hangzhou`. Resources may override it with `region_id`. "+
				envDoc(envRegion), regionValidator()),
			"request_timeout": optionalString("How long one HTTP request to DTS may take before it is abandoned and, if retries remain, "+
				"retried; a Go duration such as `30s` or `1m`. Default `30s`. Waiting for a job to change state is bounded "+
				"separately, by the resource's `timeouts`.", durationValidator()),
			"secret_key":     sensitiveString("AccessKey secret. " + envDoc(envSecretKey)),
			"security_token": sensitiveString("STS security token, for temporary credentials. " + envDoc(envSecurityToken)),
			"shared_credentials_file": optionalString("Path of the `aliyun` CLI configuration file that holds `profile`. " +
				envDoc(envSharedCredentialsFile) + " Default: `ALIBABA_CLOUD_CONFIG_FILE`, then `~/.aliyun/config.json`."),
			"sts_endpoint": optionalString("STS endpoint that `assume_role` calls, as a host name or `https://host[:port]` (STS is " +
				"always called over HTTPS). Default: STS of `region` (`sts.<region>.aliyuncs.com`), or `sts.aliyuncs.com` without one. " +
				envDoc(envSTSEndpoint)),
			"signature_algorithm": optionalString("How requests are signed: `ACS3-HMAC-SHA256` (default, the V3 signature) or "+
				"`HMAC-SHA1` (the V1 RPC signature, for gateways that only accept it).", stringvalidator.OneOf(signatureV3, signatureV1)),
		},
		Blocks: map[string]schema.Block{
			"assume_role": schema.SingleNestedBlock{
				MarkdownDescription: "Assume a RAM role with the credentials above (STS `AssumeRole`) and call DTS as that role. " +
					"Without the block, `ALICLOUD_ASSUME_ROLE_ARN` (with `ALICLOUD_ASSUME_ROLE_SESSION_NAME` and " +
					"`ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION`) assumes the role, as it does for the alicloud provider. The role " +
					"session is shared by every request and renewed once, shortly before it expires.",
				Attributes: map[string]schema.Attribute{
					"external_id": optionalString("External ID the role's trust policy requires."),
					"policy":      optionalString("A JSON policy that further restricts the assumed role's permissions."),
					"role_arn": optionalString("ARN of the role, e.g. `acs:ram::123456789012****:role/dts-operator`. Required in the block. "+
						envDoc(envAssumeRoleARN), stringvalidator.LengthAtLeast(1)),
					"session_expiration": schema.Int64Attribute{
						MarkdownDescription: "Lifetime of the role session in seconds, 900 to 43200. Default 3600. " +
							envDoc(envAssumeRoleExpiration),
						Optional:   true,
						Validators: []validator.Int64{int64validator.Between(900, 43200)},
					},
					"session_name": optionalString("Session name shown in ActionTrail. Default `terraform-provider-dts`. " +
						envDoc(envAssumeRoleSession)),
				},
			},
		},
	}
}

func (p *dtsProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	settings, diags := resolveSettings(cfg, p.lookupEnv)
	resp.Diagnostics.Append(diags...)
	// settings is nil after an error, and while a value is unknown (from a
	// resource not yet created): then resources skip API reads this plan.
	if settings == nil {
		return
	}

	data, err := newProviderData(ctx, settings, p.version)
	if err != nil {
		resp.Diagnostics.AddError("Unable to Configure the DTS Provider", err.Error())
		return
	}
	resp.DataSourceData, resp.ResourceData, resp.ActionData, resp.ListResourceData = data, data, data, data
}

func (p *dtsProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewSynchronizationJobStateResource}
}

func (p *dtsProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewSynchronizationJobDataSource, NewSynchronizationJobsDataSource}
}

// Actions need Terraform 1.14 or newer; older CLIs ignore them.
func (p *dtsProvider) Actions(_ context.Context) []func() action.Action {
	return []func() action.Action{NewSynchronizationJobResumeAction, NewSynchronizationJobSuspendAction}
}

// ListResources serve terraform query (Terraform 1.14 or newer).
func (p *dtsProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{NewSynchronizationJobStateListResource}
}

// optionalString is a provider argument that is a string; most are.
func optionalString(markdown string, validators ...validator.String) schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: markdown, Optional: true, Validators: validators}
}

func sensitiveString(markdown string) schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: markdown, Optional: true, Sensitive: true}
}

// envDoc names the environment variables an argument falls back to.
func envDoc(names []string) string { return "Environment: `" + strings.Join(names, "`, then `") + "`." }
