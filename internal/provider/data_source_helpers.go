package provider

import (
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

// What dts_synchronization_job and dts_synchronization_jobs share: the
// region and client of a read, the endpoint schema and model, and the
// conversions of DTS's empty values to null.

// dataSourceJobs resolves the region of a data source or the list resource
// and the jobAPI that reads it.
func dataSourceJobs(data *providerData, regionID types.String) (jobAPI, string, diag.Diagnostics) {
	_, region, diags := regionClient(data, regionID)
	if data == nil {
		return nil, region, diags
	}
	return data.jobs, region, diags
}

// regionClient resolves the region of a data source, list or action (its
// region_id, else the provider's) and the client of that region.
func regionClient(data *providerData, regionID types.String) (*dtsclient.Client, string, diag.Diagnostics) {
	var diags diag.Diagnostics
	if data == nil {
		diags.Append(providerNotConfiguredDiag())
		return nil, "", diags
	}
	region, diags := data.resolveRegion(regionID)
	if diags.HasError() {
		return nil, "", diags
	}
	c, err := data.client(region)
	if err != nil {
		diags.Append(endpointErrorDiag(err))
	}
	return c, region, diags
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
// null when DTS reported none (reported false), so that an unknown delay
// does not read as a job that is caught up.
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

// jobEndpointAttributes is the schema of a source or destination database.
func jobEndpointAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"engine_name": schema.StringAttribute{
			MarkdownDescription: "Database engine, such as `MySQL`.",
			Computed:            true,
		},
		"instance_id": schema.StringAttribute{
			MarkdownDescription: "ID of the database instance, e.g. `rm-bp1162kryivb8xxxx`; empty for self-managed databases reached by IP.",
			Computed:            true,
		},
		"instance_type": schema.StringAttribute{
			MarkdownDescription: "Kind of instance, such as `RDS`, `ECS` or `Express`.",
			Computed:            true,
		},
		"ip": schema.StringAttribute{
			MarkdownDescription: "IP address of the database, when DTS reports one.",
			Computed:            true,
		},
		"port": schema.Int64Attribute{
			MarkdownDescription: "Port of the database, e.g. `3306`. Null when DTS reports none.",
			Computed:            true,
		},
		"user_name": schema.StringAttribute{
			MarkdownDescription: "Database account the job uses. The password is never read.",
			Computed:            true,
		},
	}
}
