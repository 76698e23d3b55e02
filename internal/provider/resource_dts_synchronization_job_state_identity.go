package provider

import (
	"cmp"
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
	DtsJobID                 types.String `tfsdk:"dts_job_id"`
	RegionID                 types.String `tfsdk:"region_id"`
	SynchronizationDirection types.String `tfsdk:"synchronization_direction"`
	SynchronizationJobID     types.String `tfsdk:"synchronization_job_id"`
}

func (r *synchronizationJobStateResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"dts_job_id": identityschema.StringAttribute{
				Description: "Task ID of the job (DtsJobId), as the maintained DTS API and the console show it. " +
					"Give it, synchronization_job_id, or both on import. Null when the job was first tracked without it " +
					"(its state was written by an earlier provider version, or DTS did not report the task ID then): an " +
					"identity does not change once written.",
				OptionalForImport: true,
			},
			"region_id": identityschema.StringAttribute{
				Description:       "Region of the job, e.g. cn-hangzhou. Defaults to the provider's region on import.",
				OptionalForImport: true,
			},
			"synchronization_direction": identityschema.StringAttribute{
				Description:       "Forward or Reverse. Defaults to Forward on import.",
				OptionalForImport: true,
			},
			"synchronization_job_id": identityschema.StringAttribute{
				Description:       "ID of the synchronization job (instance), e.g. dtsmr1q4mc2152xxxx. Give it, dts_job_id, or both on import.",
				OptionalForImport: true,
			},
		},
	}
}

// jobStateIdentity is the identity of a resource model; the one place that
// maps state to identity.
func jobStateIdentity(m *synchronizationJobStateModel) jobStateIdentityModel {
	id := jobStateIdentityModel{
		DtsJobID:                 m.DtsJobID,
		RegionID:                 m.RegionID,
		SynchronizationDirection: m.SynchronizationDirection,
		SynchronizationJobID:     m.SynchronizationJobID,
	}
	if id.RegionID.ValueString() == "" {
		// An endpoint override with no region leaves region_id empty.
		id.RegionID = types.StringNull()
	}
	if id.DtsJobID.IsUnknown() {
		id.DtsJobID = types.StringNull()
	}
	return id
}

// keepGaps leaves null what the stored identity was written without.
// Terraform refuses an identity that changes, and a job can learn its task
// ID after its identity was written: tracked under api = synchronization_job
// and then under auto, or stored by a provider version before dts_job_id.
// The identity still names the same job.
func (id jobStateIdentityModel) keepGaps(stored jobStateIdentityModel) jobStateIdentityModel {
	if stored.DtsJobID.IsNull() {
		id.DtsJobID = types.StringNull()
	}
	if stored.SynchronizationJobID.IsNull() {
		id.SynchronizationJobID = types.StringNull()
	}
	return id
}

// importedKey marks, in private state, a resource that ImportState has just
// written: the Read that follows sets the whole identity, since the import's
// identity may name only the job.
const importedKey = "imported"

func markImported(ctx context.Context, resp *resource.ImportStateResponse) {
	if resp.Private != nil { // nil only outside the framework, in unit tests
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, importedKey, []byte(`true`))...)
	}
}

// followsImport reports whether this Read follows ImportState, and clears
// the mark so that later reads keep the identity.
func followsImport(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) bool {
	if req.Private == nil || resp.Private == nil {
		return false
	}
	mark, diags := req.Private.GetKey(ctx, importedKey)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, importedKey, nil)...)
	return len(mark) > 0
}

// setIdentityFromState writes the identity of the first of states that holds
// a resource. Create, Read and Update defer it with the state they write, so
// that every path that writes the state writes the identity too; Read adds
// the prior state, because the framework wants an identity even when a job
// that vanished is removed and Terraform (before 1.12) kept none. An
// identity already stored keeps its gaps (keepGaps) unless fresh is set.
func setIdentityFromState(ctx context.Context, identity *tfsdk.ResourceIdentity, fresh bool, diags *diag.Diagnostics, states ...*tfsdk.State) {
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
		id := jobStateIdentity(&m)
		if !fresh && !identity.Raw.IsFullyNull() {
			var stored jobStateIdentityModel
			if d := identity.Get(ctx, &stored); d.HasError() {
				diags.Append(d...)
				return
			}
			id = id.keepGaps(stored)
		}
		diags.Append(identity.Set(ctx, id)...)
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
		TaskID:    ident.DtsJobID.ValueString(),
		Direction: cmp.Or(ident.SynchronizationDirection.ValueString(), dtsclient.DirectionForward),
	}
	switch {
	case id.JobID == "" && id.TaskID == "":
		diags.AddAttributeError(path.Root("synchronization_job_id"), "Invalid Import Identity",
			"The identity names no job: set identity.synchronization_job_id (the instance ID, dts…), identity.dts_job_id "+
				"(the task ID), or both.")
	case id.JobID != "":
		if err := dtsclient.ValidateInstanceID(id.JobID); err != nil {
			diags.AddAttributeError(path.Root("synchronization_job_id"), "Invalid Import Identity", "identity.synchronization_job_id "+err.Error()+".")
		}
	}
	if id.TaskID != "" {
		if err := validateDtsJobID(id.TaskID); err != nil {
			diags.AddAttributeError(path.Root("dts_job_id"), "Invalid Import Identity", "identity.dts_job_id "+err.Error()+".")
		}
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
