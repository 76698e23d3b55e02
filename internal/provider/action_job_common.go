package provider

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/actionvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

// jobStateAction is what the suspend and resume actions share: both move one
// direction of a job with the converge loop the resource uses, so they call DTS only
// when needed, poll on the same schedule and fail with the same diagnostics.
type jobStateAction struct {
	data    *providerData
	name    string // the type name after "dts_"
	desired string // the state converged to
	call    string // the API calls that move the direction there, for the docs
	summary string // opens the action's documentation
	catchUp bool   // gives the action max_delay_after_resume
}

// NewSynchronizationJobResumeAction returns the dts_synchronization_job_resume
// action: resume (or start) one direction of a job and wait until it runs.
func NewSynchronizationJobResumeAction() action.Action {
	return &jobStateAction{name: "synchronization_job_resume", desired: stateSynchronizing, catchUp: true,
		call: callIn("StartDtsJob", "StartSynchronizationJob"),
		summary: "Resumes one direction of a DTS synchronization job, as " +
			"`dts_synchronization_job_state` does for `state = \"Synchronizing\"`: a paused, not yet started or failed " +
			"direction is started. Pair it with the suspend action, for example `after_update` of the schema migration " +
			"that a `before_update` suspend protected."}
}

// NewSynchronizationJobSuspendAction returns the dts_synchronization_job_suspend
// action: pause one direction of a job and wait until DTS reports it paused.
func NewSynchronizationJobSuspendAction() action.Action {
	return &jobStateAction{name: "synchronization_job_suspend", desired: stateSuspended,
		call: callIn("SuspendDtsJob", "SuspendSynchronizationJob"),
		summary: "Pauses one direction of a DTS synchronization job, for example with " +
			"`terraform apply -invoke=action.dts_synchronization_job_suspend.orders` before a manual intervention, or " +
			"from an `action_trigger` `before_update` on a schema migration. A paused PostPaid job keeps billing, and " +
			"DTS advises resuming within 6 hours."}
}

var (
	_ action.ActionWithConfigure        = (*jobStateAction)(nil)
	_ action.ActionWithConfigValidators = (*jobStateAction)(nil)
	_ action.ActionWithModifyPlan       = (*jobStateAction)(nil)
)

type jobStateActionModel struct {
	DtsJobID                 types.String `tfsdk:"dts_job_id"`
	RegionID                 types.String `tfsdk:"region_id"`
	SynchronizationDirection types.String `tfsdk:"synchronization_direction"`
	SynchronizationJobID     types.String `tfsdk:"synchronization_job_id"`
	Timeout                  types.String `tfsdk:"timeout"`
}

type resumeActionModel struct {
	jobStateActionModel
	MaxDelayAfterResume types.String `tfsdk:"max_delay_after_resume"`
}

// config reads the action's configuration; bound is null for the suspend action.
func (a *jobStateAction) config(ctx context.Context, c tfsdk.Config) (cfg jobStateActionModel, bound types.String, diags diag.Diagnostics) {
	if !a.catchUp {
		diags = c.Get(ctx, &cfg)
		return cfg, types.StringNull(), diags
	}
	var m resumeActionModel
	diags = c.Get(ctx, &m)
	return m.jobStateActionModel, m.MaxDelayAfterResume, diags
}

// callIn names an action's call in both DTS API families, as the provider's
// api argument chooses them.
func callIn(maintained, legacy string) string {
	return "`" + maintained + "` (`" + legacy + "` under `api = \"synchronization_job\"`, or for a job the maintained " +
		"API does not know)"
}

// actionDriftCaveat is the documented interplay with the resource.
const actionDriftCaveat = "An action changes the job outside the Terraform state: when a `dts_synchronization_job_state` " +
	"manages the same direction, the next plan shows the change as drift and the next apply puts the direction back " +
	"to that resource's `state` (for example, suspending a direction a resource declares `Synchronizing` is " +
	"resumed by the next apply). Use the actions for directions no resource manages, or for a pause that the " +
	"same apply undoes (a resume action `after_update`)."

func (a *jobStateAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + a.name
}

func actionString(description string, v validator.String) schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: description, Optional: true, Validators: []validator.String{v}}
}

func (a *jobStateAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: a.summary + " It reads the direction's status first and calls " + a.call + " only when the " +
			"direction is not already " + a.desired + ", then waits, polling as `dts_synchronization_job_state` does and " +
			"reporting each status it reads, until DTS reports it " + a.desired + " or `timeout` passes. Needs Terraform " +
			"1.14 or newer. Name the job by `synchronization_job_id`, `dts_job_id` or both.\n\n" + actionDriftCaveat,
		Attributes: map[string]schema.Attribute{
			"dts_job_id": actionString(taskIDDoc+"action before it changes anything). It names the job, whichever direction "+
				"the action acts on. "+taskIDNeedsAPIDoc, dtsJobIDValidator()),
			"region_id": actionString("Region of the job, e.g. `cn-hangzhou`. Defaults to the provider's `region`.", regionValidator()),
			"synchronization_direction": actionString("`Forward` (default) or `Reverse`. `Reverse` exists only for two-way synchronization.",
				stringvalidator.OneOf(dtsclient.DirectionForward, dtsclient.DirectionReverse)),
			"synchronization_job_id": actionString(instanceIDDoc+".", jobIDValidator()),
			"timeout": actionString("How long to wait for DTS to report the state, a Go duration such as `10m`. Default `30m`, "+
				"as the resource's `timeouts`.", durationValidator()),
		},
	}
	if a.catchUp {
		resp.Schema.Attributes["max_delay_after_resume"] = actionString("After the direction runs, also wait until DTS reports "+
			"its replication delay at or below this, a Go duration such as `30s` or `5m`, within `timeout`, reporting the delay "+
			"as it falls (for example `orders-sync (Forward): Synchronizing, delay 4m12s → 38s, 95 s`). It waits whether the "+
			"action resumed the direction or found it running. A wait that runs out of time fails, saying the last delay, how "+
			"fast it was falling and how long it would still need; the job stays running. Not set: the action returns as soon "+
			"as DTS reports `Synchronizing`.", durationValidator())
	}
}

// ConfigValidators requires a job ID; which one is the user's choice.
func (a *jobStateAction) ConfigValidators(context.Context) []action.ConfigValidator {
	return []action.ConfigValidator{
		actionvalidator.AtLeastOneOf(path.MatchRoot("synchronization_job_id"), path.MatchRoot("dts_job_id")),
	}
}

// ModifyPlan refuses at plan time what the provider's family cannot act on
// (a task ID alone under the legacy family); Invoke checks again for values
// unknown here.
func (a *jobStateAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	if a.data == nil {
		return
	}
	cfg, _, diags := a.config(ctx, req.Config)
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() || cfg.SynchronizationJobID.IsUnknown() || cfg.DtsJobID.IsUnknown() {
		return
	}
	resp.Diagnostics.Append(checkJobIDs(cfg.ids(), a.data.jobs)...)
}

// checkKnown fails for a value not known when the action runs: Terraform
// invokes an action with known values, so this guards a misuse.
func (m *jobStateActionModel) checkKnown() (diags diag.Diagnostics) {
	names := []string{"dts_job_id", "region_id", "synchronization_direction", "synchronization_job_id", "timeout"}
	for i, v := range []types.String{m.DtsJobID, m.RegionID, m.SynchronizationDirection, m.SynchronizationJobID, m.Timeout} {
		if v.IsUnknown() {
			diags.AddAttributeError(path.Root(names[i]), "Value Not Known When the Action Runs",
				names[i]+" is not known yet, so the action cannot act on it. Give it a value known before apply, or trigger "+
					"the action after the resource it comes from is created.")
		}
	}
	return diags
}

// ids are the configured IDs; "" for those not given.
func (m *jobStateActionModel) ids() jobIDs {
	return jobIDs{Instance: m.SynchronizationJobID.ValueString(), Task: m.DtsJobID.ValueString()}
}

func (a *jobStateAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	data, diags := providerDataFrom(req.ProviderData, "Action")
	resp.Diagnostics.Append(diags...)
	a.data = data
}

func (a *jobStateAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	cfg, maxDelay, diags := a.config(ctx, req.Config)
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(cfg.checkKnown()...)
	bound, d := durationAttr(maxDelay, "max_delay_after_resume", "5m", 0)
	if resp.Diagnostics.Append(d); resp.Diagnostics.HasError() {
		return
	}
	// The validators reject these at plan time; the checks guard values unknown then.
	timeout, d := durationAttr(cfg.Timeout, "timeout", "10m", defaultJobStateTimeout)
	if resp.Diagnostics.Append(d); d != nil {
		return
	}
	// Every call of the action, its first read included, ends by its timeout.
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if !cfg.RegionID.IsNull() {
		if err := validateRegion(cfg.RegionID.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("region_id"), "Invalid Region ID", "region_id "+err.Error())
			return
		}
	}
	jobs, region, diags := dataSourceJobs(a.data, cfg.RegionID)
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	ids := cfg.ids()
	if resp.Diagnostics.Append(checkJobIDs(ids, jobs)...); resp.Diagnostics.HasError() {
		return
	}
	ref := dtsclient.JobRef{RegionID: region, JobID: ids.Instance, DtsJobID: ids.Task,
		Direction: cmp.Or(cfg.SynchronizationDirection.ValueString(), dtsclient.DirectionForward)}
	if ref.Direction != dtsclient.DirectionForward && ref.Direction != dtsclient.DirectionReverse {
		resp.Diagnostics.AddAttributeError(path.Root("synchronization_direction"), "Invalid Direction",
			fmt.Sprintf("synchronization_direction %q is neither %s nor %s.", ref.Direction, dtsclient.DirectionForward, dtsclient.DirectionReverse))
		return
	}
	fail := func(err error) { resp.Diagnostics.Append(convergeErrorDiag(verbFor(a.desired), ref, err, "timeout")) }

	st, ref, err := a.firstRead(ctx, a.data.shared, ref)
	if mismatch := idMismatchDiag(err); mismatch != nil {
		resp.Diagnostics.Append(mismatch)
		return
	} else if err != nil {
		// Nothing was sent yet: a timeout or an interruption says so.
		fail(waitError(parent, ctx, err, convergeResult{}, stepNone, a.desired, timeout))
		return
	}
	p := &actionProgress{ref: ref, desired: a.desired, started: time.Now(), send: resp.SendProgress, bound: bound}
	p.report(st)
	if !nextStepIs(st.Status, a.desired, stepDone) {
		// What the resource's plan warns of before a pause, said before this one.
		for _, d := range pauseWarnings(ref.JobID, ref.Direction, a.desired, true, &planFacts{Status: st.Status, PayType: st.PayType}, time.Now()) {
			p.note(d.Summary() + ": " + d.Detail())
		}
		if _, err = convergeReporting(ctx, a.data.shared, ref, a.desired, timeout, st.Status, p.report); err != nil {
			fail(err)
			return
		}
	} else if bound == 0 || st.DelayReported && st.Delay <= bound {
		return // the read just now is the answer: nothing to send or wait for
	}
	if bound > 0 {
		p.catchingUp = true
		if _, err := awaitCatchUp(ctx, a.data.shared, ref, bound, timeout, p.report); err != nil {
			fail(err)
		}
	}
}

// firstRead reads the direction once: its status is what converge acts on
// and its name what the progress shows (shared polls carry none). A task ID
// given is checked against the instance ID, and the one not given resolved,
// by the read of Forward the resource makes (readIDs). The ref returned names the
// job by every ID known.
func (a *jobStateAction) firstRead(ctx context.Context, jobs jobAPI, ref dtsclient.JobRef) (*dtsclient.JobStatus, dtsclient.JobRef, error) {
	if ref.DtsJobID != "" {
		ids, fwd, err := readIDs(ctx, jobs.Describe, ref.RegionID, jobIDs{Instance: ref.JobID, Task: ref.DtsJobID})
		ref.JobID, ref.DtsJobID = ids.Instance, ids.Task
		if err != nil || ref.Direction == dtsclient.DirectionForward {
			return fwd, ref, err
		}
	}
	st, err := jobs.Describe(ctx, ref)
	return st, ref, err
}

// actionProgress turns the statuses converge reads into progress messages
// such as "orders-sync (Forward): Synchronizing → Suspending, 4 s".
type actionProgress struct {
	ref     dtsclient.JobRef
	desired string
	started time.Time
	send    func(action.InvokeProgressEvent)
	first   dtsclient.Status // the status of the first read
	name    string           // the job's name, from the first read that had one
	// bound is max_delay_after_resume (0 when not set); once catchingUp,
	// each message shows the delay since the first one reported.
	bound      time.Duration
	catchingUp bool
	firstDelay *time.Duration
}

func (p *actionProgress) report(st *dtsclient.JobStatus) {
	p.note(p.message(st, time.Since(p.started)))
}

// note sends a message, a status or one such as a billing note.
func (p *actionProgress) note(msg string) {
	if p.send != nil {
		p.send(action.InvokeProgressEvent{Message: msg})
	}
}

func (p *actionProgress) message(st *dtsclient.JobStatus, elapsed time.Duration) string {
	p.name = cmp.Or(p.name, st.Name)
	who := cmp.Or(p.name, jobLabel(p.ref)) + " (" + p.ref.Direction + ")"
	if p.first == "" {
		p.first = st.Status
		switch next, _ := nextStep(st.Status, p.desired); {
		case next == stepDone && p.bound > 0 && st.DelayReported:
			return fmt.Sprintf("%s: already %s, delay %s (waiting for %s or less)", who, st.Status, formatDelay(st.Delay), formatDelay(p.bound))
		case next == stepDone:
			return fmt.Sprintf("%s: already %s, nothing to do", who, st.Status)
		case next == stepSuspend || next == stepStart:
			return fmt.Sprintf("%s: %s, asking DTS to %s it", who, st.Status, verbFor(p.desired))
		}
		return fmt.Sprintf("%s: %s", who, st.Status)
	}
	secs := int(elapsed.Round(time.Second) / time.Second)
	if p.catchingUp && st.DelayReported {
		if p.firstDelay == nil {
			p.firstDelay = &st.Delay
		}
		return fmt.Sprintf("%s: %s, delay %s → %s (waiting for %s or less), %d s", who, st.Status, formatDelay(*p.firstDelay),
			formatDelay(st.Delay), formatDelay(p.bound), secs)
	}
	if st.Status != p.first {
		return fmt.Sprintf("%s: %s → %s, %d s", who, p.first, st.Status, secs)
	}
	target := dtsclient.StatusSynchronizing // what DTS reports once the action is done
	if p.desired == stateSuspended {
		target = dtsclient.StatusSuspending
	}
	return fmt.Sprintf("%s: %s, waiting for %s, %d s", who, st.Status, target, secs)
}
