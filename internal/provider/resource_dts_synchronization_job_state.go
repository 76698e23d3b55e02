package provider

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
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

	_ resource.ResourceWithConfigValidators = (*synchronizationJobStateResource)(nil)
)

// NewSynchronizationJobStateResource returns the dts_synchronization_job_state resource.
func NewSynchronizationJobStateResource() resource.Resource {
	return &synchronizationJobStateResource{}
}

type synchronizationJobStateResource struct {
	data *providerData
	// now is the clock for paused-duration warnings; tests may replace it.
	now func() time.Time
}

func (r *synchronizationJobStateResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_synchronization_job_state"
}

func (r *synchronizationJobStateResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Declares whether one direction of a DTS synchronization job runs (`Synchronizing`) or is paused " +
			"(`Suspended`). Apply pauses or resumes it (`SuspendDtsJob`/`StartDtsJob`, or `SuspendSynchronizationJob`/" +
			"`StartSynchronizationJob`, as the provider's `api` chooses) only when the job is not already in that state, " +
			"and returns when DTS reports it there. Refresh shows drift when someone paused or resumed the job outside " +
			"Terraform. Name the job by `synchronization_job_id`, `dts_job_id` or both. The resource does not create or delete jobs.",
		Attributes: map[string]schema.Attribute{
			"dts_job_id": schema.StringAttribute{
				MarkdownDescription: taskIDDoc + "plan); the one not given is read from DTS while planning. It names the job, " +
					"whichever direction this resource manages. " + taskIDNeedsAPIDoc + " Changing it replaces the resource.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{dtsJobIDValidator()},
				PlanModifiers: []planmodifier.String{
					stringplanmodifier.UseStateForUnknown(),
					stringplanmodifier.RequiresReplace(),
				},
			},
			"id": schema.StringAttribute{
				MarkdownDescription: "`<synchronization_job_id>:<synchronization_direction>`, e.g. `dtsmr1q4mc2152xxxx:Forward`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"job_name": schema.StringAttribute{
				MarkdownDescription: "The job's name in DTS, for reviewers. Read when the resource is created (a create's plan " +
					"shows it), when `state` changes, and by every refresh that reads the job on its own. With " +
					"`batch_status_reads` on (the default), a refresh that finds the status unchanged does not read it and " +
					"keeps the name from the last such read, so a rename in the console shows after the next status change.",
				Computed: true,
			},
			"max_delay_after_resume": schema.StringAttribute{
				MarkdownDescription: "When apply resumes the direction (a change of `state` to `Synchronizing`, a create that " +
					"starts a paused or stopped job, or `resume_on_destroy`), it then also waits until DTS reports the " +
					"direction's replication delay at or below this, a Go duration such as `30s` or `5m`, within the same " +
					"`timeouts`; the plan says so. Use it where the next step of a cut-over needs the target caught up. A wait " +
					"that runs out of time fails, saying the last delay, how fast it was falling and how long it would still " +
					"need; the job stays running and an update's state records it so. Not set (default): apply returns as soon " +
					"as DTS reports `Synchronizing`. A job already running is not waited for, and changing this alone calls nothing.",
				Optional:   true,
				Validators: []validator.String{durationValidator()},
			},
			"pay_type": schema.StringAttribute{
				MarkdownDescription: "`PrePaid` (subscription) or `PostPaid` (pay-as-you-go). A paused PostPaid job keeps billing. " +
					"Read like `job_name`; in addition every plan that pauses the job reads it, and every refresh of a PostPaid " +
					"direction paused for 30 minutes or more reads it on its own, so the billing warning rests on a current value.",
				Computed: true,
			},
			"region_id": schema.StringAttribute{
				MarkdownDescription: "Region of the job, e.g. `cn-hangzhou`. When it is not set, the provider's `region` is used. " +
					"It may come from another resource (unknown while planning): the plan then reads nothing, and apply uses " +
					"the value. Changing it replaces the resource.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{regionValidator()},
				PlanModifiers: []planmodifier.String{
					stringplanmodifier.UseStateForUnknown(),
					stringplanmodifier.RequiresReplace(),
				},
			},
			"resume_on_destroy": schema.BoolAttribute{
				MarkdownDescription: "When `true`, destroying the resource resumes a paused direction and waits until it runs, " +
					"which suits configurations that exist only for a maintenance window. When `false` (default), destroy " +
					"leaves the job as it is; the destroy plan warns once when that leaves it paused.",
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
					suspendingHintValidator(),
				},
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "The raw status DTS reported at the last apply or refresh, such as `Synchronizing`, " +
					"`Suspending` or `Failed`.",
				Computed: true,
			},
			"suspended_at": schema.StringAttribute{
				MarkdownDescription: "When the direction was paused (RFC 3339), as far as it can be known: exact when this " +
					"resource paused it, otherwise an estimate (see `suspended_at_estimated`). Kept when a paused direction " +
					"turns `Failed` without having run since (DTS fails a pause of more than 7 days). Null otherwise.",
				Computed: true,
			},
			"suspended_at_estimated": schema.BoolAttribute{
				MarkdownDescription: "`false` when `suspended_at` is the time this resource's own pause took effect. `true` when " +
					"it is an estimate: the job's checkpoint (never later than the pause), for a pause made outside this " +
					"resource; or the time DTS was first seen reporting the pause (never earlier than it), when apply cannot " +
					"tell whether its Suspend call or an earlier one paused the job, because the answer to a Suspend call was " +
					"lost (a timeout, a 5xx, a cut-short or empty answer). Null when `suspended_at` is.",
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
				MarkdownDescription: instanceIDDoc + "; the one not given is read from DTS while planning. Changing it replaces the resource.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{jobIDValidator()},
				PlanModifiers: []planmodifier.String{
					stringplanmodifier.UseStateForUnknown(),
					stringplanmodifier.RequiresReplace(),
				},
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

// ConfigValidators requires a job ID; which one is the user's choice.
func (r *synchronizationJobStateResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.AtLeastOneOf(path.MatchRoot("synchronization_job_id"), path.MatchRoot("dts_job_id")),
	}
}

func (r *synchronizationJobStateResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := providerDataFrom(req.ProviderData, "Resource")
	resp.Diagnostics.Append(diags...)
	r.data = data
}

// Create moves the job to the planned state. A create that fails saves
// nothing: the next plan reads the job again and adopts it where it is, so a
// timed-out pause is neither tainted nor resumed by a replacement.
func (r *synchronizationJobStateResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer setIdentityFromState(ctx, resp.Identity, false, &resp.Diagnostics, &resp.State)
	var plan synchronizationJobStateModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultJobStateTimeout)
	resp.Diagnostics.Append(diags...)
	// Every call of the operation, reads included, ends by its timeout.
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	jobs, ref, diags := r.jobsAndRef(&plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	// The plan resolves the IDs unless it could not read (values unknown then).
	if plan.SynchronizationJobID.IsUnknown() || plan.DtsJobID.IsUnknown() {
		ids, _, err := readIDs(ctx, jobs.Describe, ref.RegionID, jobIDs{Instance: ref.JobID, Task: ref.DtsJobID})
		switch mismatch := idMismatchDiag(err); {
		case mismatch != nil:
			resp.Diagnostics.Append(mismatch)
			return
		case dtsclient.IsNotFound(err):
			resp.Diagnostics.Append(jobNotFoundDiag(ref, err))
			return
		case err != nil:
			resp.Diagnostics.AddError("Unable to Read Synchronization Job", apiErrorDetail("read", ref, err)+notSavedDetail)
			return
		}
		ref.JobID, ref.DtsJobID = ids.Instance, ids.Task
	}

	desired := plan.State.ValueString()
	planned := r.data.shared.PlannedStatus(ref)
	res, err := convergeCatchingUp(ctx, r.data.shared, ref, desired, timeout, planned, plan.MaxDelayAfterResume)
	if err != nil {
		// The plan warned about a job it did not find, and apply's first read
		// confirms it.
		if dtsclient.IsNotFound(err) && planned == "" && res.Last == nil {
			resp.Diagnostics.Append(jobNotFoundDiag(ref, err))
			return
		}
		explainTimeout(err, r.data, ref)
		d := convergeErrorDiag(verbFor(desired), ref, err, "timeouts.create")
		resp.Diagnostics.AddError(d.Summary(), d.Detail()+notSavedDetail)
		return
	}

	// What the plan showed is what apply writes (the plan-time read).
	plannedName, plannedPayType := plan.JobName, plan.PayType
	plan.observe(ref, res.Last, res.pauseOrigin(), r.clock())
	if !plannedName.IsUnknown() { // the plan reads both or neither
		plan.JobName, plan.PayType = plannedName, plannedPayType
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *synchronizationJobStateResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	imported := followsImport(ctx, req, resp)
	defer setIdentityFromState(ctx, resp.Identity, imported, &resp.Diagnostics, &resp.State, &req.State)
	var state synchronizationJobStateModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	jobs, ref, diags := r.jobsAndRef(&state)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	var (
		st    *dtsclient.JobStatus
		fresh bool
		err   error
	)
	// An import by task ID lacks the instance ID, and an import by instance
	// ID or a state written before dts_job_id existed lacks the task ID: a
	// read of the Forward direction resolves it (for a Forward resource it is
	// the refresh's read; the batched refresh serves the later ones). A
	// Reverse read is not used for it, since a Reverse task may have its own
	// DtsJobId. An import that names both IDs is checked the same way.
	if imported || ref.JobID == "" || ref.DtsJobID == "" {
		var ids jobIDs
		ids, st, err = readIDs(ctx, jobs.Describe, ref.RegionID, jobIDs{Instance: ref.JobID, Task: ref.DtsJobID})
		if mismatch := idMismatchDiag(err); mismatch != nil {
			resp.Diagnostics.Append(mismatch)
			return
		}
		// ids are those given when the read failed.
		ref.JobID, ref.DtsJobID = ids.Instance, ids.Task
		state.DtsJobID = stringOrNull(ids.Task)
		if fresh = ref.Direction == dtsclient.DirectionForward; !fresh {
			st = nil
		}
	}
	if st == nil && err == nil {
		st, fresh, err = r.data.shared.RefreshStatus(ctx, ref, &state, r.clock())
	}
	if dtsclient.IsNotFound(err) {
		resp.Diagnostics.Append(jobGoneWarning(ref, err))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(readStatusErrorDiag(ref, err))
		return
	}

	state.observe(ref, st, pauseSeen, r.clock())
	if !st.Status.IsSteady() {
		resp.Diagnostics.Append(unsteadyReadWarning(ref, st, state.SuspendedAt, r.clock()))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	if resp.Private != nil { // nil only outside the framework, in unit tests
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, planWalkKey, walkMark(r.data.walkID, fresh))...)
	}
}

// Update moves the job to a changed state. When it fails, the state records
// what DTS last reported, so it never claims what the job is not.
func (r *synchronizationJobStateResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer setIdentityFromState(ctx, resp.Identity, false, &resp.Diagnostics, &resp.State)
	var plan, state synchronizationJobStateModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Only resume_on_destroy or timeouts changed: nothing to do at DTS.
	if plan.State.Equal(state.State) {
		planComputed(&plan, &state, false)
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, defaultJobStateTimeout)
	resp.Diagnostics.Append(diags...)
	// Every call of the operation, reads included, ends by its timeout.
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	_, ref, diags := r.jobsAndRef(&plan)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	desired := plan.State.ValueString()
	plan.SuspendedAt, plan.SuspendedAtEstimated = state.SuspendedAt, state.SuspendedAtEstimated
	// What a failed update records when no read gave a name or pay type.
	plan.JobName, plan.PayType = state.JobName, state.PayType
	res, err := convergeCatchingUp(ctx, r.data.shared, ref, desired, timeout, dtsclient.Status(state.Status.ValueString()), plan.MaxDelayAfterResume)
	explainTimeout(err, r.data, ref)
	if err != nil {
		resp.Diagnostics.Append(convergeErrorDiag(verbFor(desired), ref, err, "timeouts.update"))
	}
	// When the job vanished while we waited, or nothing was read, Terraform
	// keeps the prior state of the failed update (the next refresh removes
	// a vanished job with a warning).
	if dtsclient.IsNotFound(err) || res.Last == nil {
		return
	}
	plan.observe(ref, res.Last, res.pauseOrigin(), r.clock())
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete stops managing the job. Only with resume_on_destroy does it call
// DTS: it resumes a paused direction. Otherwise the destroy plan has already
// said what stays paused (planDestroy), and Delete says nothing more.
func (r *synchronizationJobStateResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state synchronizationJobStateModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !state.ResumeOnDestroy.ValueBool() {
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, defaultJobStateTimeout)
	resp.Diagnostics.Append(diags...)
	// Every call of the operation, reads included, ends by its timeout.
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	jobs, ref, diags := r.jobsAndRef(&state)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	st, err := jobs.Describe(ctx, ref)
	if dtsclient.IsNotFound(err) {
		resp.Diagnostics.Append(jobGoneWarning(ref, err))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Unable to Resume Synchronization Job on Destroy", apiErrorDetail("read the status of", ref, err))
		return
	}
	switch {
	case st.Status.IsPaused():
	case st.Status.IsSteady() || st.Status.IsTransitional():
		tflog.Info(ctx, "resume_on_destroy: the direction is not paused; leaving it as it is", map[string]any{"status": st.Status.String()})
		return
	default:
		// Only a resume DTS refuses fails a destroy; this one is not asked for.
		resp.Diagnostics.AddWarning("Synchronization Job Not Resumed on Destroy",
			fmt.Sprintf("resume_on_destroy is true, but DTS reports job %s (%s) in region %s as %s, which is not paused, so the "+
				"provider did not ask DTS to resume it and removed the resource from the Terraform state.%s\n%s",
				ref.JobID, ref.Direction, ref.RegionID, st.Status, dtsSays(st.ErrorMessage), statusAdvice(st.Status)))
		return
	}
	res, err := convergeCatchingUp(ctx, r.data.shared, ref, stateSynchronizing, timeout, st.Status, state.MaxDelayAfterResume)
	explainTimeout(err, r.data, ref)
	if err != nil {
		// The resource stays in the state, so record what DTS reported.
		if res.Last != nil {
			state.observe(ref, res.Last, res.pauseOrigin(), r.clock())
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
	if id.TaskID != "" {
		if r.data != nil {
			resp.Diagnostics.Append(taskIDNeedsFamily(path.Root("dts_job_id"), jobIDs{Instance: id.JobID, Task: id.TaskID}, r.data.jobs)...)
		}
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("dts_job_id"), id.TaskID)...)
	}
	if id.JobID != "" {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), resourceID(id.JobID, id.Direction))...)
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("synchronization_job_id"), id.JobID)...)
	} else {
		// Read resolves the instance ID and writes the final id.
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), resourceID(id.TaskID, id.Direction))...)
	}
	markImported(ctx, resp)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("synchronization_direction"), id.Direction)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("resume_on_destroy"), false)...)
	if id.Region != "" {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("region_id"), id.Region)...)
	}
}

// ModifyPlan makes the plan say what apply will do and why. Computed values
// (status, suspended_at, job_name, pay_type) are unknown only where apply
// will write something new, so apply never changes a value the plan showed.
// A plan that acts reads the job once: a missing job, a Reverse direction on
// a one-way job or a status the job cannot leave fails the plan before
// anything changes, and the warnings rest on what DTS reports now.
func (r *synchronizationJobStateResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		r.planDestroy(ctx, req, resp)
		return
	}
	var plan synchronizationJobStateModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var prior *synchronizationJobStateModel
	if !req.State.Raw.IsNull() {
		prior = &synchronizationJobStateModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, prior)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}

	// Only a region_id left out of the configuration takes the provider's;
	// one that comes from another resource stays unknown until apply.
	var config synchronizationJobStateModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if plan.RegionID.IsUnknown() && config.RegionID.IsNull() && r.data != nil {
		region, diags := r.data.resolveRegion(config.RegionID)
		resp.Diagnostics.Append(diags...)
		if diags.HasError() {
			return
		}
		plan.RegionID = types.StringValue(region)
	}
	if prior == nil && !plan.SynchronizationJobID.IsUnknown() && !plan.SynchronizationJobID.IsNull() && !plan.SynchronizationDirection.IsUnknown() {
		plan.ID = types.StringValue(resourceID(plan.SynchronizationJobID.ValueString(), plan.SynchronizationDirection.ValueString()))
	}
	// A changed ID replaces the resource; Terraform then plans the new one
	// as a create (no prior state), which reads and resolves the IDs.
	replacing := prior != nil && (!plan.SynchronizationJobID.Equal(prior.SynchronizationJobID) || !plan.DtsJobID.Equal(prior.DtsJobID))

	desired := plan.State.ValueString()
	acting := prior == nil || !plan.State.Equal(prior.State)
	planComputed(&plan, prior, acting)
	defer func() { resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...) }()

	// Values from other resources are checked at apply. An ID left out of
	// the configuration is unknown in a create's plan until the read below.
	if plan.State.IsUnknown() || config.SynchronizationJobID.IsUnknown() || config.DtsJobID.IsUnknown() || replacing ||
		plan.SynchronizationDirection.IsUnknown() || plan.RegionID.IsUnknown() {
		return
	}

	// The plan a user reviews reads the job when it acts, unless this walk's
	// refresh has just read it on its own; apply's re-plan checks the refreshed
	// state only (converge reads the job anyway).
	inPlan, refreshedFresh := planWalk(ctx, req, r.data)
	facts := priorFacts(prior)
	if acting && (prior == nil || inPlan && !refreshedFresh) {
		facts = r.readPlanFacts(ctx, &plan, prior == nil, resp)
		if resp.Diagnostics.HasError() || facts == nil {
			return
		}
		if prior == nil {
			// A create shows what apply will write: the name and billing just read.
			plan.JobName, plan.PayType = types.StringValue(facts.Name), types.StringValue(facts.PayType)
			if _, past := facts.pastResumeLimit(r.clock()); !facts.Status.IsSteady() && !past {
				resp.Diagnostics.Append(unsteadyWarning(plan.SynchronizationJobID.ValueString(), plan.SynchronizationDirection.ValueString(), facts.Status, facts.ErrorMessage))
			}
		}
	}
	jobID, direction := plan.SynchronizationJobID.ValueString(), plan.SynchronizationDirection.ValueString()
	if acting && facts != nil && facts.Status != "" {
		if _, err := nextStep(facts.Status, desired); err != nil {
			resp.Diagnostics.Append(cannotMoveWarning(jobID, direction, desired, facts, err, r.clock()))
			return
		}
	}
	// Apply re-plans every resource; an existing resource's warnings were
	// shown by the plan, so the re-plan of a saved plan stays quiet.
	if prior != nil && !inPlan {
		return
	}
	// A refresh that finds the job Failed has already said why; a create, or
	// a direction still reading Suspending, has not.
	if since, past := facts.pastResumeLimit(r.clock()); acting && desired == stateSynchronizing && past &&
		(prior == nil || facts.Status.IsPaused()) {
		resp.Diagnostics.Append(resumeLimitPlanWarning(jobID, direction, facts.Status, since, r.clock()))
	}
	resp.Diagnostics.Append(pauseWarnings(jobID, direction, desired, acting, facts, r.clock())...)
	// A plan that resumes says that apply then waits for the catch-up.
	if acting && facts != nil && nextStepIs(facts.Status, desired, stepStart) && !plan.MaxDelayAfterResume.IsNull() {
		attr, timeoutOf := "timeouts.update", plan.Timeouts.Update
		if prior == nil {
			attr, timeoutOf = "timeouts.create", plan.Timeouts.Create
		}
		timeout, _ := timeoutOf(ctx, defaultJobStateTimeout)
		resp.Diagnostics.Append(catchUpPlanNote(jobID, direction, plan.MaxDelayAfterResume, attr, timeout, facts, r.clock()))
	}
}

// planDestroy warns, once, that destroying leaves a paused job paused.
func (r *synchronizationJobStateResource) planDestroy(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	var state synchronizationJobStateModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || state.ResumeOnDestroy.ValueBool() || state.State.ValueString() != stateSuspended {
		return
	}
	resp.Diagnostics.AddWarning("Destroy Leaves the Job Paused",
		fmt.Sprintf("Job %s (%s) is paused, and destroying this resource does not resume it (resume_on_destroy is false). "+
			"Set resume_on_destroy = true, or state = \"Synchronizing\" before destroying, to leave it running.",
			state.SynchronizationJobID.ValueString(), state.SynchronizationDirection.ValueString()))
}

// readPlanFacts reads the job once while planning a change (twice for a
// Reverse direction created by task ID). checkIDs (a create) makes it
// resolve the ID not given, or check both, and put them in the plan. It
// returns nil when the provider is not configured yet (its arguments are
// unknown).
func (r *synchronizationJobStateResource) readPlanFacts(ctx context.Context, plan *synchronizationJobStateModel, checkIDs bool,
	resp *resource.ModifyPlanResponse) *planFacts {
	if r.data == nil {
		return nil
	}
	jobs, ref, diags := r.jobsAndRef(plan)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return nil
	}
	// A create reads the job's Forward direction first to resolve the ID
	// not given and to check two given IDs against each other; for a
	// Forward resource that read is the plan's read.
	var st *dtsclient.JobStatus
	if checkIDs || ref.JobID == "" || ref.DtsJobID == "" {
		ids, fwd, err := readIDs(ctx, r.data.shared.PlanStatus, ref.RegionID, jobIDs{Instance: ref.JobID, Task: ref.DtsJobID})
		switch mismatch := idMismatchDiag(err); {
		case mismatch != nil:
			resp.Diagnostics.Append(mismatch)
			return nil
		case dtsclient.IsNotFound(err):
			resp.Diagnostics.Append(asPlanWarning(jobNotFoundDiag(ref, err)))
			return nil
		case err != nil:
			resp.Diagnostics.Append(readStatusErrorDiag(ref, err))
			return nil
		}
		ref.JobID, ref.DtsJobID = ids.Instance, ids.Task
		plan.SynchronizationJobID, plan.DtsJobID = types.StringValue(ids.Instance), stringOrNull(ids.Task)
		plan.ID = types.StringValue(resourceID(ids.Instance, ref.Direction))
		if ref.Direction == dtsclient.DirectionForward {
			st = fwd
		}
	}
	if st == nil {
		var err error
		st, err = r.data.shared.PlanStatus(ctx, ref)
		switch {
		case err == nil:
		case dtsclient.IsNotFound(err):
			resp.Diagnostics.Append(asPlanWarning(jobNotFoundDiag(ref, err)))
			return nil
		case ref.Direction == dtsclient.DirectionReverse && !dtsclient.IsRetryable(err) && !dtsclient.IsAuthorizationFailure(err) &&
			(dtsclient.IsDirectionRejected(err) || isOneWay(ctx, jobs, ref)):
			resp.Diagnostics.AddAttributeError(path.Root("synchronization_direction"), "Reverse Direction on a One-Way Job",
				fmt.Sprintf("Job %s in region %s is one-way synchronization, so it has no Reverse direction. Reverse exists only for "+
					"two-way synchronization; use synchronization_direction = \"Forward\" (the default). DTS answered: %s", ref.JobID, ref.RegionID, err))
			return nil
		default:
			resp.Diagnostics.Append(readStatusErrorDiag(ref, err))
			return nil
		}
	}
	facts := &planFacts{Status: st.Status, Name: st.Name, PayType: st.PayType, ErrorMessage: st.ErrorMessage, Checkpoint: st.Checkpoint}
	// The plan's suspended_at is unknown or null here (planComputed).
	if st.Status.IsPaused() && st.Checkpoint > 0 {
		facts.PausedSince = time.Unix(st.Checkpoint, 0)
	}
	return facts
}

func (r *synchronizationJobStateResource) clock() time.Time {
	if r.now != nil {
		return r.now()
	}
	return time.Now()
}

// jobsAndRef checks a model's IDs (before any call) and resolves its
// region and the jobAPI that acts on it. The ref carries the IDs known: both
// once DTS has been read, else those the configuration gives.
func (r *synchronizationJobStateResource) jobsAndRef(m *synchronizationJobStateModel) (jobAPI, dtsclient.JobRef, diag.Diagnostics) {
	if r.data == nil {
		return nil, dtsclient.JobRef{}, diag.Diagnostics{providerNotConfiguredDiag()}
	}
	ids := jobIDs{Instance: m.SynchronizationJobID.ValueString(), Task: m.DtsJobID.ValueString()}
	if diags := checkJobIDs(ids, r.data.jobs); diags.HasError() {
		return nil, dtsclient.JobRef{}, diags
	}
	jobs, region, diags := dataSourceJobs(r.data, m.RegionID)
	return jobs, dtsclient.JobRef{RegionID: region, JobID: ids.Instance, DtsJobID: ids.Task,
		Direction: cmp.Or(m.SynchronizationDirection.ValueString(), dtsclient.DirectionForward)}, diags
}
