// Command alicloud-stub is a stand-in for the official alicloud provider
// (aliyun/alicloud), which cannot be downloaded where the install check runs
// (scripts/check-install.sh). It serves only alicloud_dts_synchronization_job,
// with the arguments the provider's install and migration examples use, and
// calls no API: a create stores the configuration and sets id to the task ID,
// which for the jobs of the fake DTS endpoint is the instance ID without its
// "dts" prefix. It is never shipped.
package main

import (
	"context"
	"log"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func main() {
	err := providerserver.Serve(context.Background(), func() provider.Provider { return stubProvider{} },
		providerserver.ServeOpts{Address: "registry.terraform.io/aliyun/alicloud"})
	if err != nil {
		log.Fatal(err)
	}
}

type stubProvider struct{}

func (stubProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "alicloud"
}

func (stubProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = pschema.Schema{Attributes: map[string]pschema.Attribute{
		"region":     pschema.StringAttribute{Optional: true},
		"access_key": pschema.StringAttribute{Optional: true, Sensitive: true},
		"secret_key": pschema.StringAttribute{Optional: true, Sensitive: true},
		"profile":    pschema.StringAttribute{Optional: true},
	}}
}

func (stubProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (stubProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return jobResource{} }}
}

func (stubProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// The arguments of alicloud_dts_synchronization_job that the examples set,
// with the real resource's types; a real configuration may set more.
var (
	requiredStrings = []string{"dts_instance_id", "dts_job_name", "source_endpoint_instance_type",
		"source_endpoint_engine_name", "source_endpoint_region", "destination_endpoint_instance_type",
		"destination_endpoint_engine_name", "destination_endpoint_region", "db_list"}
	optionalStrings = []string{"source_endpoint_instance_id", "source_endpoint_user_name", "destination_endpoint_instance_id",
		"destination_endpoint_user_name", "synchronization_direction"}
	sensitiveStrings = []string{"source_endpoint_password", "destination_endpoint_password"}
	requiredBools    = []string{"structure_initialization", "data_initialization", "data_synchronization"}
)

type jobResource struct{}

func (jobResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = "alicloud_dts_synchronization_job"
}

func (jobResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"id": schema.StringAttribute{Computed: true,
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
		// Optional and computed, as in the real resource: Synchronizing or Suspending.
		"status": schema.StringAttribute{Optional: true, Computed: true,
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
	}
	for _, n := range requiredStrings {
		attrs[n] = schema.StringAttribute{Required: true}
	}
	for _, n := range optionalStrings {
		attrs[n] = schema.StringAttribute{Optional: true}
	}
	for _, n := range sensitiveStrings {
		attrs[n] = schema.StringAttribute{Optional: true, Sensitive: true}
	}
	for _, n := range requiredBools {
		attrs[n] = schema.BoolAttribute{Required: true}
	}
	resp.Schema = schema.Schema{Attributes: attrs}
}

func (jobResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.State.Raw = req.Plan.Raw.Copy()
	var instanceID, status types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("dts_instance_id"), &instanceID)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("status"), &status)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), strings.TrimPrefix(instanceID.ValueString(), "dts"))...)
	if status.IsUnknown() {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("status"), "Synchronizing")...)
	}
}

func (jobResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (jobResource) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = req.Plan.Raw.Copy()
}

func (jobResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
