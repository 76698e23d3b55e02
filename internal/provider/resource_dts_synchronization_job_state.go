package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

var (
	_ resource.Resource                = (*synchronizationJobStateResource)(nil)
	_ resource.ResourceWithConfigure   = (*synchronizationJobStateResource)(nil)
	_ resource.ResourceWithImportState = (*synchronizationJobStateResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*synchronizationJobStateResource)(nil)
)

const defaultJobStateTimeout = 30 * time.Minute

// NewSynchronizationJobStateResource returns the dts_synchronization_job_state resource.
func NewSynchronizationJobStateResource() resource.Resource {
	return &synchronizationJobStateResource{}
}

type synchronizationJobStateResource struct {
	data *providerData
	// now is the clock for paused-duration warnings; tests may replace it.
	now func() time.Time
}

type synchronizationJobStateModel struct {
	ID                       types.String   `tfsdk:"id"`
	JobName                  types.String   `tfsdk:"job_name"`
	PayType                  types.String   `tfsdk:"pay_type"`
	RegionID                 types.String   `tfsdk:"region_id"`
	ResumeOnDestroy          types.Bool     `tfsdk:"resume_on_destroy"`
	State                    types.String   `tfsdk:"state"`
	Status                   types.String   `tfsdk:"status"`
	SuspendedAt              types.String   `tfsdk:"suspended_at"`
	SynchronizationDirection types.String   `tfsdk:"synchronization_direction"`
	SynchronizationJobID     types.String   `tfsdk:"synchronization_job_id"`
	Timeouts                 timeouts.Value `tfsdk:"timeouts"`
}

func (r *synchronizationJobStateResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_synchronization_job_state"
}

func (r *synchronizationJobStateResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Declares whether one direction of a DTS synchronization job runs (`Synchronizing`) or is paused " +
			"(`Suspended`). Apply calls `SuspendSynchronizationJob` or `StartSynchronizationJob` only when the job is not " +
			"already in that state, and returns when DTS reports it there. Refresh shows drift when someone paused or " +
			"resumed the job outside Terraform. The resource does not create or delete jobs.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`<synchronization_job_id>:<synchronization_direction>`, e.g. `dtsmr1q4mc2152xxxx:Forward`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"job_name": schema.StringAttribute{
				MarkdownDescription: "The job's name in DTS, for reviewers.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"pay_type": schema.StringAttribute{
				MarkdownDescription: "`PrePaid` (subscription) or `PostPaid` (pay-as-you-go). A paused PostPaid job keeps billing.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"region_id": schema.StringAttribute{
				MarkdownDescription: "Region of the job, e.g. `cn-hangzhou`. Defaults to the provider's `region`. Changing it replaces the resource.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{regionValidator()},
				PlanModifiers: []planmodifier.String{
					stringplanmodifier.UseStateForUnknown(),
					stringplanmodifier.RequiresReplace(),
				},
			},
			"resume_on_destroy": schema.BoolAttribute{
				MarkdownDescription: "When `true`, destroying the resource resumes a paused direction and waits until it runs, " +
					"which suits configurations that exist only for a maintenance window. When `false` (default), destroy " +
					"leaves the job as it is and says so in a warning.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"state": schema.StringAttribute{
				MarkdownDescription: "Desired state: `Synchronizing` (running) or `Suspended` (paused; DTS reports it as " +
					"`Suspending`). After a refresh it holds what DTS reports, so a job paused or resumed outside Terraform, " +
					"or one that is `Failed`, shows up in the plan.",
				Required: true,
				Validators: []validator.String{
					stringvalidator.OneOf(stateSynchronizing, stateSuspended),
					suspendingHintValidator{},
				},
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "The raw status DTS reported at the last apply or refresh, such as `Synchronizing`, " +
					"`Suspending` or `Failed`.",
				Computed: true,
			},
			"suspended_at": schema.StringAttribute{
				MarkdownDescription: "When the direction was paused (RFC 3339), as far as it can be known: exact when this " +
					"resource paused it, otherwise the job's checkpoint, which is never later than the pause. Null while running.",
				Computed: true,
			},
			"synchronization_direction": schema.StringAttribute{
				MarkdownDescription: "`Forward` (default) or `Reverse`. `Reverse` exists only for two-way synchronization. " +
					"Changing it replaces the resource.",
				Optional: true,
				Computed: true,
				Default:  stringdefault.StaticString(dtsclient.DirectionForward),
				Validators: []validator.String{
					stringvalidator.OneOf(dtsclient.DirectionForward, dtsclient.DirectionReverse),
				},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"synchronization_job_id": schema.StringAttribute{
				MarkdownDescription: "ID of the synchronization job (instance), e.g. `dtsmr1q4mc2152xxxx`, as " +
					"`DescribeSynchronizationJobs` and the DTS console show it. Changing it replaces the resource.",
				Required: true,
				Validators: []validator.String{
					stringvalidator.RegexMatches(jobIDPattern, "must be 1 to 64 ASCII letters and digits with no spaces, such as dtsmr1q4mc2152xxxx"),
				},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"timeouts": timeouts.Attributes(ctx, timeouts.Opts{
				Create:            true,
				Update:            true,
				Delete:            true,
				CreateDescription: "How long apply waits for the job to reach `state` when the resource is created. Default `30m`.",
				UpdateDescription: "How long apply waits for the job to reach a changed `state`. Default `30m`.",
				DeleteDescription: "How long destroy waits for a resume when `resume_on_destroy` is true. Default `30m`.",
			}),
		},
	}
}

func (r *synchronizationJobStateResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := providerDataFrom(req.ProviderData, "Resource")
	resp.Diagnostics.Append(diags...)
	r.data = data
}

func (r *synchronizationJobStateResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer setIdentityFromState(ctx, resp.Identity, &resp.Diagnostics, &resp.State)
	var plan synchronizationJobStateModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultJobStateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.apply(ctx, &plan, nil, timeout, "timeouts.create", &resp.State, &resp.Diagnostics)
}

func (r *synchronizationJobStateResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer setIdentityFromState(ctx, resp.Identity, &resp.Diagnostics, &resp.State, &req.State)
	var state synchronizationJobStateModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	c, ref, diags := r.clientAndRef(&state)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	st, err := r.refreshStatus(ctx, c, ref, &state)
	if dtsclient.IsNotFound(err) {
		resp.Diagnostics.AddWarning("Synchronization Job Not Found",
			fmt.Sprintf("Job %s (%s) no longer exists in region %s (DTS answered: %s), so it was removed from the Terraform state. "+
				"Remove the resource from the configuration, or point it at another job.", ref.JobID, ref.Direction, ref.RegionID, err))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Unable to Read Synchronization Job Status", apiErrorDetail("read the status of", ref, err))
		return
	}

	r.setObserved(&state, ref, st, false)
	if !st.Status.IsSteady() {
		resp.Diagnostics.Append(unsteadyWarning(ref.JobID, ref.Direction, st.Status, st.ErrorMessage))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *synchronizationJobStateResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer setIdentityFromState(ctx, resp.Identity, &resp.Diagnostics, &resp.State)
	var plan, state synchronizationJobStateModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Only resume_on_destroy or timeouts changed: nothing to do at DTS.
	if plan.State.Equal(state.State) && !plan.Status.IsUnknown() {
		plan.Status, plan.SuspendedAt = state.Status, state.SuspendedAt
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, defaultJobStateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.apply(ctx, &plan, &state, timeout, "timeouts.update", &resp.State, &resp.Diagnostics)
}

func (r *synchronizationJobStateResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state synchronizationJobStateModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	jobID, direction := state.SynchronizationJobID.ValueString(), state.SynchronizationDirection.ValueString()
	if !state.ResumeOnDestroy.ValueBool() {
		resp.Diagnostics.AddWarning("Synchronization Job Left As It Is",
			fmt.Sprintf("Destroying dts_synchronization_job_state only stops Terraform from managing job %s (%s); the job stays %s. "+
				"Set resume_on_destroy = true to resume a paused job on destroy.", jobID, direction, state.Status.ValueString()))
		return
	}

	timeout, diags := state.Timeouts.Delete(ctx, defaultJobStateTimeout)
	resp.Diagnostics.Append(diags...)
	c, ref, cdiags := r.clientAndRef(&state)
	resp.Diagnostics.Append(cdiags...)
	if resp.Diagnostics.HasError() {
		return
	}
	st, err := c.DescribeSynchronizationJobStatus(ctx, ref)
	if dtsclient.IsNotFound(err) {
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Unable to Resume Synchronization Job on Destroy", apiErrorDetail("read the status of", ref, err))
		return
	}
	if !st.Status.IsPaused() {
		tflog.Info(ctx, "resume_on_destroy: the direction is not paused; leaving it as it is", map[string]any{"status": st.Status})
		return
	}
	res, err := converge(ctx, c, ref, stateSynchronizing, timeout)
	if err != nil {
		// The resource stays in the state, so record what DTS reported.
		if res.Last != nil {
			r.setObserved(&state, ref, res.Last, res.Mutated)
			resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
		}
		resp.Diagnostics.Append(convergeErrorDiag("resume", ref, err, "timeouts.delete"))
	}
}

func (r *synchronizationJobStateResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, diags := importIDFrom(ctx, req)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), resourceID(id.JobID, id.Direction))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("synchronization_job_id"), id.JobID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("synchronization_direction"), id.Direction)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("resume_on_destroy"), false)...)
	if id.Region != "" {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("region_id"), id.Region)...)
	}
}

// apply converges the job towards plan.State and writes what DTS reported,
// also when converging fails, so the state never claims what the job is not.
func (r *synchronizationJobStateResource) apply(ctx context.Context, plan, prior *synchronizationJobStateModel, timeout time.Duration,
	timeoutAttr string, out stateSetter, diags *diag.Diagnostics) {
	if err := validateJobID(plan.SynchronizationJobID.ValueString()); err != nil {
		diags.AddAttributeError(path.Root("synchronization_job_id"), "Invalid Synchronization Job ID", err.Error())
		return
	}
	c, ref, cdiags := r.clientAndRef(plan)
	diags.Append(cdiags...)
	if diags.HasError() {
		return
	}
	if prior != nil {
		plan.SuspendedAt = prior.SuspendedAt
	}
	desired := plan.State.ValueString()
	res, err := converge(ctx, c, ref, desired, timeout)
	if res.Last == nil {
		// Nothing was read, so nothing is known to write.
		diags.Append(convergeErrorDiag(verbFor(desired), ref, err, timeoutAttr))
		if prior != nil {
			diags.Append(out.Set(ctx, prior)...)
		}
		return
	}
	if dtsclient.IsNotFound(err) {
		// The job vanished while we waited: there is nothing left to track.
		diags.Append(convergeErrorDiag(verbFor(desired), ref, err, timeoutAttr))
		if prior != nil {
			out.RemoveResource(ctx)
		}
		return
	}
	if err != nil && prior == nil && !res.Mutated {
		// A create that changed nothing leaves nothing to track.
		diags.Append(convergeErrorDiag(verbFor(desired), ref, err, timeoutAttr))
		return
	}
	r.setObserved(plan, ref, res.Last, res.Mutated)
	if err != nil {
		diags.Append(convergeErrorDiag(verbFor(desired), ref, err, timeoutAttr))
	}
	diags.Append(out.Set(ctx, plan)...)
}

type stateSetter interface {
	Set(ctx context.Context, val any) diag.Diagnostics
	RemoveResource(ctx context.Context)
}

// setObserved copies what DTS reported into the model. pausedNow is true when
// this run's Suspend call produced the pause, so its time is exact.
func (r *synchronizationJobStateResource) setObserved(m *synchronizationJobStateModel, ref dtsclient.JobRef, st *dtsclient.JobStatus, pausedNow bool) {
	m.ID = types.StringValue(resourceID(ref.JobID, ref.Direction))
	m.SynchronizationJobID = types.StringValue(ref.JobID)
	m.SynchronizationDirection = types.StringValue(ref.Direction)
	m.RegionID = types.StringValue(ref.RegionID)
	m.Status = types.StringValue(st.Status.String())
	m.State = types.StringValue(st.Status.DeclaredState())
	m.PayType = types.StringValue(st.PayType)
	m.JobName = types.StringValue(st.Name)
	if m.ResumeOnDestroy.IsNull() || m.ResumeOnDestroy.IsUnknown() {
		m.ResumeOnDestroy = types.BoolValue(false)
	}

	switch {
	case !st.Status.IsPaused():
		m.SuspendedAt = types.StringNull()
	case pausedNow:
		m.SuspendedAt = types.StringValue(r.clock().UTC().Format(time.RFC3339))
	case m.SuspendedAt.IsNull() || m.SuspendedAt.IsUnknown() || m.SuspendedAt.ValueString() == "":
		m.SuspendedAt = types.StringNull()
		if st.Checkpoint > 0 {
			m.SuspendedAt = types.StringValue(time.Unix(st.Checkpoint, 0).UTC().Format(time.RFC3339))
		}
	}
}

func (r *synchronizationJobStateResource) clock() time.Time {
	if r.now != nil {
		return r.now()
	}
	return time.Now()
}

// clientAndRef resolves the region and the API client for a model.
func (r *synchronizationJobStateResource) clientAndRef(m *synchronizationJobStateModel) (*dtsclient.Client, dtsclient.JobRef, diag.Diagnostics) {
	var diags diag.Diagnostics
	if r.data == nil {
		diags.Append(providerNotConfiguredDiag())
		return nil, dtsclient.JobRef{}, diags
	}
	region := r.data.regionFor(m.RegionID.ValueString())
	ref := dtsclient.JobRef{
		RegionID:  region,
		JobID:     m.SynchronizationJobID.ValueString(),
		Direction: m.SynchronizationDirection.ValueString(),
	}
	if ref.Direction == "" {
		ref.Direction = dtsclient.DirectionForward
	}
	c, err := r.data.client(region)
	if err != nil {
		diags.AddAttributeError(path.Root("region_id"), "Unable to Choose a DTS Endpoint", err.Error())
	}
	return c, ref, diags
}

func validateJobID(id string) error {
	if !jobIDPattern.MatchString(id) {
		return fmt.Errorf("synchronization_job_id %q must be 1 to 64 ASCII letters and digits with no spaces, such as dtsmr1q4mc2152xxxx", id)
	}
	return nil
}

func verbFor(desired string) string {
	if desired == stateSuspended {
		return "pause"
	}
	return "resume"
}

// suspendingHintValidator explains that "Suspending", the API's word for a
// paused job, is written "Suspended" here.
type suspendingHintValidator struct{}

func (suspendingHintValidator) Description(context.Context) string {
	return `"Suspending" is accepted by DTS but written "Suspended" here`
}

func (v suspendingHintValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (suspendingHintValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.ValueString() == "Suspending" {
		resp.Diagnostics.AddAttributeError(req.Path, "Use \"Suspended\" for a Paused Job",
			`The DTS API (and the official alicloud provider's status argument) calls a paused job "Suspending". `+
				`This resource declares the desired state, so write state = "Suspended"; the raw API value appears in the computed status attribute.`)
	}
}
