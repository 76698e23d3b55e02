package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

var _ resource.ResourceWithIdentity = (*synchronizationJobStateResource)(nil)

// jobStateIdentityModel is the resource identity (Terraform 1.12+): what an
// import block's identity names, and what terraform query's results carry.
type jobStateIdentityModel struct {
	RegionID                 types.String `tfsdk:"region_id"`
	SynchronizationDirection types.String `tfsdk:"synchronization_direction"`
	SynchronizationJobID     types.String `tfsdk:"synchronization_job_id"`
}

func (r *synchronizationJobStateResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"region_id": identityschema.StringAttribute{
				Description:       "Region of the job, e.g. cn-hangzhou. Defaults to the provider's region on import.",
				OptionalForImport: true,
			},
			"synchronization_direction": identityschema.StringAttribute{
				Description:       "Forward or Reverse. Defaults to Forward on import.",
				OptionalForImport: true,
			},
			"synchronization_job_id": identityschema.StringAttribute{
				Description:       "ID of the synchronization job (instance), e.g. dtsmr1q4mc2152xxxx.",
				RequiredForImport: true,
			},
		},
	}
}

// jobStateIdentity is the identity of a resource model; the one place that
// maps state to identity.
func jobStateIdentity(m *synchronizationJobStateModel) jobStateIdentityModel {
	id := jobStateIdentityModel{
		RegionID:                 m.RegionID,
		SynchronizationDirection: m.SynchronizationDirection,
		SynchronizationJobID:     m.SynchronizationJobID,
	}
	if id.RegionID.ValueString() == "" {
		// An endpoint override with no region leaves region_id empty.
		id.RegionID = types.StringNull()
	}
	return id
}

// setIdentityFromState writes the identity of the first of states that holds
// a resource. Create, Read and Update defer it with the state they write, so
// that every path that writes the state writes the identity too; Read adds
// the prior state, because the framework wants an identity even when a job
// that vanished is removed and Terraform (before 1.12) kept none.
func setIdentityFromState(ctx context.Context, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics, states ...*tfsdk.State) {
	if identity == nil {
		return
	}
	for _, state := range states {
		if state.Raw.IsNull() {
			continue
		}
		var m synchronizationJobStateModel
		if d := state.Get(ctx, &m); d.HasError() {
			diags.Append(d...)
			return
		}
		diags.Append(identity.Set(ctx, jobStateIdentity(&m))...)
		return
	}
}

// importIDFrom reads the import target from either form of import: a string
// ID (terraform import, or an import block's id) or an import block's
// identity.
func importIDFrom(ctx context.Context, req resource.ImportStateRequest) (importID, diag.Diagnostics) {
	var diags diag.Diagnostics
	if req.ID != "" || req.Identity == nil || req.Identity.Raw.IsNull() {
		id, err := parseImportID(req.ID)
		if err != nil {
			diags.AddError("Invalid Import ID", err.Error())
		}
		return id, diags
	}
	var ident jobStateIdentityModel
	diags.Append(req.Identity.Get(ctx, &ident)...)
	if diags.HasError() {
		return importID{}, diags
	}
	id := importID{
		Region:    ident.RegionID.ValueString(),
		JobID:     ident.SynchronizationJobID.ValueString(),
		Direction: ident.SynchronizationDirection.ValueString(),
	}
	if id.Direction == "" {
		id.Direction = dtsclient.DirectionForward
	}
	if err := validateJobID(id.JobID); err != nil {
		diags.AddAttributeError(path.Root("synchronization_job_id"), "Invalid Import Identity", "identity.synchronization_job_id "+err.Error()+".")
	}
	if id.Direction != dtsclient.DirectionForward && id.Direction != dtsclient.DirectionReverse {
		diags.AddAttributeError(path.Root("synchronization_direction"), "Invalid Import Identity",
			fmt.Sprintf("identity.synchronization_direction %q must be Forward or Reverse (the case matters).", id.Direction))
	}
	if id.Region != "" {
		if err := validateRegion(id.Region); err != nil {
			diags.AddAttributeError(path.Root("region_id"), "Invalid Import Identity", "identity.region_id: "+err.Error()+".")
		}
	}
	return id, diags
}
