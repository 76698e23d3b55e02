package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

// What the data sources and the list resource share.

// dataSourceJobs resolves the region of a data source, list or action (its
// region_id, else the provider's) and the jobAPI that reads it; it fails
// when no client can be made for that region.
func dataSourceJobs(data *providerData, regionID types.String) (jobAPI, string, diag.Diagnostics) {
	if data == nil {
		return nil, "", diag.Diagnostics{providerNotConfiguredDiag()}
	}
	region, diags := data.resolveRegion(regionID)
	if diags.HasError() {
		return nil, "", diags
	}
	if _, err := data.client(region); err != nil {
		diags.Append(endpointErrorDiag(err))
	}
	return data.jobs, region, diags
}

// dataSourceBase is the Configure both data sources share.
type dataSourceBase struct {
	data *providerData
}

func (b *dataSourceBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	data, diags := providerDataFrom(req.ProviderData, "Data Source")
	resp.Diagnostics.Append(diags...)
	b.data = data
}

// compileNameRegex compiles name_regex, nil when unset. Its validator
// rejects an invalid expression earlier; this guards a value unknown then.
func compileNameRegex(v types.String) (*regexp.Regexp, diag.Diagnostics) {
	var diags diag.Diagnostics
	if v.IsNull() {
		return nil, diags
	}
	re, err := regexp.Compile(v.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("name_regex"), "Invalid Regular Expression",
			fmt.Sprintf("name_regex %q is not a valid RE2 regular expression: %s", v.ValueString(), err))
	}
	return re, diags
}

func listErrorDetail(region string, err error) string {
	detail := fmt.Sprintf("Unable to list the synchronization jobs of region %s, got error: %s", region, err)
	var ae *dtsclient.APIError
	if errors.As(err, &ae) {
		detail += "\n\n" + apiErrorAdvice(ae)
	}
	return detail
}

func computedString(desc string) schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
}

func computedInt64(desc string) schema.Int64Attribute {
	return schema.Int64Attribute{MarkdownDescription: desc, Computed: true}
}

func computedBool(desc string) schema.BoolAttribute {
	return schema.BoolAttribute{MarkdownDescription: desc, Computed: true}
}

func optionalRegionID(desc string) schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: desc, Optional: true, Computed: true,
		Validators: []validator.String{regionValidator()}}
}

// computedEndpoint is the schema of a source or destination database.
func computedEndpoint(desc string) schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{MarkdownDescription: desc, Computed: true, Attributes: map[string]schema.Attribute{
		"engine_name":   computedString("Database engine, such as `MySQL`."),
		"instance_id":   computedString("ID of the database instance, e.g. `rm-bp1162kryivb8xxxx`; empty for self-managed databases reached by IP."),
		"instance_type": computedString("Kind of instance, such as `RDS`, `ECS` or `Express`."),
		"ip":            computedString("IP address of the database, when DTS reports one."),
		"port":          computedInt64("Port of the database, e.g. `3306`. Null when DTS reports none."),
		"user_name":     computedString("Database account the job uses. The password is never read."),
	}}
}

// jobModel is what both data sources show of a job.
type jobModel struct {
	DelaySeconds        types.Int64       `tfsdk:"delay_seconds"`
	DestinationEndpoint *jobEndpointModel `tfsdk:"destination_endpoint"`
	DtsJobID            types.String      `tfsdk:"dts_job_id"`
	ErrorMessage        types.String      `tfsdk:"error_message"`
	ID                  types.String      `tfsdk:"id"`
	JobClass            types.String      `tfsdk:"job_class"`
	JobName             types.String      `tfsdk:"job_name"`
	PayType             types.String      `tfsdk:"pay_type"`
	SourceEndpoint      *jobEndpointModel `tfsdk:"source_endpoint"`
	Status              types.String      `tfsdk:"status"`
}

func newJobModel(j dtsclient.JobSummary) jobModel {
	return jobModel{
		DelaySeconds:        delaySecondsOrNull(j.Delay, j.DelayReported),
		DestinationEndpoint: endpointModel(j.Destination),
		DtsJobID:            stringOrNull(j.DtsJobID),
		ErrorMessage:        stringOrNull(j.ErrorMessage),
		ID:                  types.StringValue(j.JobID),
		JobClass:            types.StringValue(j.Class),
		JobName:             types.StringValue(j.Name),
		PayType:             types.StringValue(j.PayType),
		SourceEndpoint:      endpointModel(j.Source),
		Status:              types.StringValue(j.Status.String()),
	}
}

// jobEndpointModel is a source or destination database. DTS sends no
// password, and none is stored.
type jobEndpointModel struct {
	EngineName   types.String `tfsdk:"engine_name"`
	InstanceID   types.String `tfsdk:"instance_id"`
	InstanceType types.String `tfsdk:"instance_type"`
	IP           types.String `tfsdk:"ip"`
	Port         types.Int64  `tfsdk:"port"`
	UserName     types.String `tfsdk:"user_name"`
}

// endpointModel maps a client endpoint; a port that is not a number is null.
func endpointModel(e dtsclient.Endpoint) *jobEndpointModel {
	port := types.Int64Null()
	if n, err := strconv.ParseInt(strings.TrimSpace(e.Port), 10, 64); err == nil {
		port = types.Int64Value(n)
	}
	return &jobEndpointModel{
		EngineName:   types.StringValue(e.EngineName),
		InstanceID:   types.StringValue(e.InstanceID),
		InstanceType: types.StringValue(e.InstanceType),
		IP:           types.StringValue(e.IP),
		Port:         port,
		UserName:     types.StringValue(e.UserName),
	}
}

func stringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func int64OrNull(n int64) types.Int64 {
	if n == 0 {
		return types.Int64Null()
	}
	return types.Int64Value(n)
}

// delaySecondsOrNull is a replication delay in whole seconds, rounded down;
// null when DTS reported none, so that an unknown delay does not read as a
// job that is caught up.
func delaySecondsOrNull(d time.Duration, reported bool) types.Int64 {
	if !reported {
		return types.Int64Null()
	}
	return types.Int64Value(int64(d / time.Second))
}

// unixTimeOrNull formats Unix seconds as RFC 3339 in UTC; 0 is null.
func unixTimeOrNull(sec int64) types.String {
	if sec == 0 {
		return types.StringNull()
	}
	return types.StringValue(time.Unix(sec, 0).UTC().Format(time.RFC3339))
}
