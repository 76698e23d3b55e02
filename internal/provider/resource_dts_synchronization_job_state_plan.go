package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

// planFacts is what the plan knows about the job's current status.
type planFacts struct {
	Status       dtsclient.Status
	PayType      string
	ErrorMessage string
	PausedSince  time.Time
}

// ModifyPlan makes the plan say what apply will do and why: status is unknown
// only when apply will act, and warnings cover billing while paused and the
// resume limit. On create it reads the job once, so a missing job or a
// Reverse direction on a one-way job fails the plan before anything changes.
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

	if plan.RegionID.IsUnknown() && r.data != nil {
		switch {
		case r.data.settings.Region != "":
			plan.RegionID = types.StringValue(r.data.settings.Region)
		case r.data.settings.Endpoint != "":
			// An endpoint override serves every region; DTS then uses its default.
			plan.RegionID = types.StringValue("")
		default:
			resp.Diagnostics.AddAttributeError(path.Root("region_id"), "Missing Region",
				"No region is set for this job: set region_id here, region in the provider block, or the ALIBABA_CLOUD_REGION environment variable.")
			return
		}
	}
	if prior == nil && !plan.SynchronizationJobID.IsUnknown() && !plan.SynchronizationDirection.IsUnknown() {
		plan.ID = types.StringValue(resourceID(plan.SynchronizationJobID.ValueString(), plan.SynchronizationDirection.ValueString()))
	}

	desired := plan.State.ValueString()
	acting := prior == nil || !plan.State.Equal(prior.State)
	switch {
	case !acting:
		plan.Status, plan.SuspendedAt = prior.Status, prior.SuspendedAt
	case plan.State.IsUnknown() || desired == stateSuspended:
		plan.Status, plan.SuspendedAt = types.StringUnknown(), types.StringUnknown()
	default:
		plan.Status, plan.SuspendedAt = types.StringUnknown(), types.StringNull()
	}
	defer func() { resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...) }()

	// Values from other resources are checked at apply.
	if plan.State.IsUnknown() || plan.SynchronizationJobID.IsUnknown() || plan.SynchronizationDirection.IsUnknown() || plan.RegionID.IsUnknown() {
		return
	}

	var facts *planFacts
	if prior == nil {
		facts = r.readPlanFacts(ctx, &plan, resp)
		if resp.Diagnostics.HasError() {
			return
		}
		if facts != nil && !facts.Status.IsSteady() {
			resp.Diagnostics.Append(unsteadyWarning(plan.SynchronizationJobID.ValueString(), plan.SynchronizationDirection.ValueString(), facts.Status, facts.ErrorMessage))
		}
	} else {
		facts = &planFacts{Status: dtsclient.Status(prior.Status.ValueString()), PayType: prior.PayType.ValueString()}
		if t, err := time.Parse(time.RFC3339, prior.SuspendedAt.ValueString()); err == nil {
			facts.PausedSince = t
		}
	}
	if facts == nil {
		return
	}

	jobID, direction := plan.SynchronizationJobID.ValueString(), plan.SynchronizationDirection.ValueString()
	if acting && facts.Status != "" {
		if _, err := nextStep(facts.Status, desired); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("state"), "Synchronization Job Is "+facts.Status.String(),
				fmt.Sprintf("Cannot move job %s (%s) to state %s: %s%s\n%s", jobID, direction, desired, err, dtsSays(facts.ErrorMessage), statusAdvice(facts.Status)))
			return
		}
	}
	if desired != stateSuspended {
		return
	}
	pausedNow := facts.Status.IsPaused()
	if acting && !pausedNow && facts.PayType == "PostPaid" {
		resp.Diagnostics.Append(billingWarning(jobID, direction))
	}
	pausedSince := time.Time{}
	if pausedNow {
		pausedSince = facts.PausedSince
	}
	resp.Diagnostics.Append(resumeLimitWarning(jobID, direction, pausedSince, r.clock()))
}

// readPlanFacts reads the job once while planning a create. It returns nil
// when the provider is not configured yet (its arguments are unknown).
func (r *synchronizationJobStateResource) readPlanFacts(ctx context.Context, plan *synchronizationJobStateModel, resp *resource.ModifyPlanResponse) *planFacts {
	if r.data == nil {
		return nil
	}
	c, ref, diags := r.clientAndRef(plan)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return nil
	}
	st, err := c.DescribeSynchronizationJobStatus(ctx, ref)
	switch {
	case err == nil:
	case dtsclient.IsNotFound(err):
		resp.Diagnostics.AddAttributeError(path.Root("synchronization_job_id"), "Synchronization Job Not Found",
			fmt.Sprintf("DTS knows no job %s in region %s (%s). Check synchronization_job_id and region_id; "+
				"DescribeSynchronizationJobs or the DTS console lists the jobs of a region.", ref.JobID, ref.RegionID, err))
		return nil
	case ref.Direction == dtsclient.DirectionReverse && !dtsclient.IsRetryable(err) && r.isOneWay(ctx, c, ref):
		resp.Diagnostics.AddAttributeError(path.Root("synchronization_direction"), "Reverse Direction on a One-Way Job",
			fmt.Sprintf("Job %s in region %s is one-way synchronization, so it has no Reverse direction. Reverse exists only for "+
				"two-way synchronization; use synchronization_direction = \"Forward\" (the default). DTS answered: %s", ref.JobID, ref.RegionID, err))
		return nil
	default:
		resp.Diagnostics.AddError("Unable to Read Synchronization Job Status", apiErrorDetail("read the status of", ref, err))
		return nil
	}
	facts := &planFacts{Status: st.Status, PayType: st.PayType, ErrorMessage: st.ErrorMessage}
	if st.Status.IsPaused() && st.Checkpoint > 0 {
		facts.PausedSince = time.Unix(st.Checkpoint, 0)
	}
	return facts
}

// isOneWay reports whether DTS lists the job without a Reverse direction.
func (r *synchronizationJobStateResource) isOneWay(ctx context.Context, c *dtsclient.Client, ref dtsclient.JobRef) bool {
	jobs, err := c.DescribeSynchronizationJobStatusList(ctx, ref.RegionID, []string{ref.JobID})
	if err != nil {
		return false
	}
	for _, j := range jobs {
		if j.JobID != ref.JobID {
			continue
		}
		for _, d := range j.Directions {
			if d.Direction == dtsclient.DirectionReverse {
				return false
			}
		}
		return true
	}
	return false
}

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

func dtsSays(msg string) string {
	if msg == "" {
		return ""
	}
	return "\nDTS says: " + msg
}
