package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

// defaultJobStateTimeout bounds a wait of the resource and of the actions.
const defaultJobStateTimeout = 30 * time.Minute

// verbFor names what moving to desired does, for messages.
func verbFor(desired string) string {
	if desired == stateSuspended {
		return "pause"
	}
	return "resume"
}

// synchronizationJobStateModel is the state of dts_synchronization_job_state.
type synchronizationJobStateModel struct {
	DtsJobID                 types.String   `tfsdk:"dts_job_id"`
	ID                       types.String   `tfsdk:"id"`
	JobName                  types.String   `tfsdk:"job_name"`
	MaxDelayAfterResume      types.String   `tfsdk:"max_delay_after_resume"`
	PayType                  types.String   `tfsdk:"pay_type"`
	RegionID                 types.String   `tfsdk:"region_id"`
	ResumeOnDestroy          types.Bool     `tfsdk:"resume_on_destroy"`
	State                    types.String   `tfsdk:"state"`
	Status                   types.String   `tfsdk:"status"`
	SuspendedAt              types.String   `tfsdk:"suspended_at"`
	SuspendedAtEstimated     types.Bool     `tfsdk:"suspended_at_estimated"`
	SynchronizationDirection types.String   `tfsdk:"synchronization_direction"`
	SynchronizationJobID     types.String   `tfsdk:"synchronization_job_id"`
	Timeouts                 timeouts.Value `tfsdk:"timeouts"`
}

// planFacts is what a plan knows about the job's current status.
type planFacts struct {
	Status       dtsclient.Status
	Name         string
	PayType      string
	ErrorMessage string
	PausedSince  time.Time // zero when not known
	Checkpoint   int64     // Unix seconds; 0 when not known
}

// pastResumeLimit reports whether the direction has not run for longer than
// DTS resumes a pause (resumeLimitAfter), and since when.
func (f *planFacts) pastResumeLimit(now time.Time) (time.Time, bool) {
	if f == nil {
		return time.Time{}, false
	}
	since := stoppedSince(f.PausedSince, f.Checkpoint)
	return since, pastResumeLimit(f.Status, since, now)
}

// priorFacts are the facts of a plan that does not act: the refreshed state.
func priorFacts(prior *synchronizationJobStateModel) *planFacts {
	if prior == nil {
		return nil
	}
	facts := &planFacts{Status: dtsclient.Status(prior.Status.ValueString()), Name: prior.JobName.ValueString(), PayType: prior.PayType.ValueString()}
	if t, err := time.Parse(time.RFC3339, prior.SuspendedAt.ValueString()); err == nil {
		facts.PausedSince = t
	}
	return facts
}

// planWalkKey is the private-state key under which Read marks the walk that
// refreshed the resource. Terraform refreshes in the plan walk and re-plans
// in the apply walk without refreshing, and every walk configures the
// provider afresh (a new walkID), so a plan whose prior state carries this
// walk's mark is the plan a user reviews, and any other is apply's re-plan.
// A plan made with -refresh=false carries no fresh mark either, so it shows
// no billing or resume-limit warning for existing resources.
// The mark also says whether that refresh read job_name and pay_type.
const planWalkKey = "refreshed_in_walk"

type walkMarkValue struct {
	Walk  string `json:"walk"`
	Fresh bool   `json:"fresh"`
}

func walkMark(walkID string, fresh bool) []byte {
	b, _ := json.Marshal(walkMarkValue{Walk: walkID, Fresh: fresh})
	return b
}

// planWalk reports whether this plan is the one a user reviews (see
// planWalkKey) and whether its refresh read job_name and pay_type afresh.
// Without provider data nothing is read, and the plan counts as reviewed.
func planWalk(ctx context.Context, req resource.ModifyPlanRequest, data *providerData) (inPlan, fresh bool) {
	if data == nil || req.State.Raw.IsNull() {
		return true, false
	}
	raw, diags := req.Private.GetKey(ctx, planWalkKey)
	var mark walkMarkValue
	if diags.HasError() || json.Unmarshal(raw, &mark) != nil || mark.Walk != data.walkID {
		return false, false
	}
	return true, mark.Fresh
}

// wasRead reports whether a value was set by an earlier read.
func wasRead(v types.String) bool {
	return !v.IsNull() && !v.IsUnknown()
}

// observe maps what DTS reported onto the model: the resource after every
// read or wait, and the list resource for each job it returns. origin says
// whether this run paused the direction (its time, now, is then exact) or may have.
func (m *synchronizationJobStateModel) observe(ref dtsclient.JobRef, st *dtsclient.JobStatus, origin pauseOrigin, now time.Time) {
	m.ID = types.StringValue(resourceID(ref.JobID, ref.Direction))
	m.SynchronizationJobID = types.StringValue(ref.JobID)
	m.DtsJobID = stringOrNull(ref.DtsJobID)
	m.SynchronizationDirection = types.StringValue(ref.Direction)
	m.RegionID = types.StringValue(ref.RegionID)
	m.Status = types.StringValue(st.Status.String())
	m.State = types.StringValue(declaredState(st.Status))
	// A shared poll carries neither; the model then keeps what it has.
	if st.Name != "" || st.PayType != "" || !wasRead(m.JobName) || !wasRead(m.PayType) {
		m.PayType = types.StringValue(st.PayType)
		m.JobName = types.StringValue(st.Name)
	}
	if m.ResumeOnDestroy.IsNull() || m.ResumeOnDestroy.IsUnknown() {
		m.ResumeOnDestroy = types.BoolValue(false)
	}

	switch {
	case failedWhilePaused(st, m.SuspendedAt):
		// The pause is still the last time it ran (DTS fails a long pause).
	case !st.Status.IsPaused():
		m.SuspendedAt = types.StringNull()
	case origin != pauseSeen:
		m.SuspendedAt = types.StringValue(now.UTC().Format(time.RFC3339))
		m.SuspendedAtEstimated = types.BoolValue(origin == pauseMaybeMade)
	case m.SuspendedAt.ValueString() == "": // null and unknown too
		m.SuspendedAt, m.SuspendedAtEstimated = types.StringNull(), types.BoolNull()
		if st.Checkpoint > 0 {
			m.SuspendedAt = types.StringValue(time.Unix(st.Checkpoint, 0).UTC().Format(time.RFC3339))
			m.SuspendedAtEstimated = types.BoolValue(true)
		}
	case m.SuspendedAtEstimated.IsNull() || m.SuspendedAtEstimated.IsUnknown():
		// Recorded by a release without the flag: not known to be exact.
		m.SuspendedAtEstimated = types.BoolValue(true)
	}
	if m.SuspendedAt.IsNull() {
		m.SuspendedAtEstimated = types.BoolNull()
	}
}

// failedWhilePaused reports whether a direction recorded as paused at
// suspendedAt is Failed without having synchronized since.
func failedWhilePaused(st *dtsclient.JobStatus, suspendedAt types.String) bool {
	t, err := time.Parse(time.RFC3339, suspendedAt.ValueString())
	return err == nil && st.Status == dtsclient.StatusFailed && st.Checkpoint > 0 && st.Checkpoint <= t.Unix()+1
}

// planComputed sets the computed values of a plan: unknown only where
// apply will write something new, so apply never changes a value the plan showed.
func planComputed(plan, prior *synchronizationJobStateModel, acting bool) {
	switch {
	case !acting:
		plan.Status, plan.SuspendedAt, plan.JobName, plan.PayType = prior.Status, prior.SuspendedAt, prior.JobName, prior.PayType
		plan.SuspendedAtEstimated = prior.SuspendedAtEstimated
	case plan.State.IsUnknown() || plan.State.ValueString() == stateSuspended:
		plan.Status, plan.SuspendedAt, plan.JobName, plan.PayType = types.StringUnknown(), types.StringUnknown(), types.StringUnknown(), types.StringUnknown()
		plan.SuspendedAtEstimated = types.BoolUnknown()
	default:
		plan.Status, plan.SuspendedAt, plan.JobName, plan.PayType = types.StringUnknown(), types.StringNull(), types.StringUnknown(), types.StringUnknown()
		plan.SuspendedAtEstimated = types.BoolNull()
	}
}

// durationAttr reads a positive Go duration, def when it is null or unknown.
// The attribute's validator checks it at plan time; this guards a value
// unknown then.
func durationAttr(v types.String, attr, example string, def time.Duration) (time.Duration, diag.Diagnostic) {
	if v.IsNull() || v.IsUnknown() {
		return def, nil
	}
	d, err := time.ParseDuration(v.ValueString())
	if err != nil || d <= 0 {
		return 0, diag.NewAttributeErrorDiagnostic(path.Root(attr), "Invalid Duration",
			fmt.Sprintf("%s %q is not a positive Go duration; use a value such as 30s or %s.", attr, v.ValueString(), example))
	}
	return d, nil
}
