package provider

import (
	"context"
	"errors"
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
// direction of a job to a state with the resource's converge loop, so they
// call DTS only when needed, poll on the same schedule and fail with the
// same diagnostics.
type jobStateAction struct {
	data *providerData
	// name is the type name after "dts_", desired the state converged to.
	name    string
	desired string
	call    string // the API calls that move the direction there, for the docs
	// summary opens the action's documentation.
	summary string
	// catchUp gives the action max_delay_after_resume (the resume action).
	catchUp bool
}

var (
	_ action.Action                     = (*jobStateAction)(nil)
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

// resumeActionModel is the resume action's configuration.
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

func (a *jobStateAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	defer func() {
		if a.catchUp {
			resp.Schema.Attributes["max_delay_after_resume"] = schema.StringAttribute{
				MarkdownDescription: "After the direction runs, also wait until DTS reports its replication delay at or below " +
					"this, a Go duration such as `30s` or `5m`, within `timeout`, reporting the delay as it falls (for " +
					"example `orders-sync (Forward): Synchronizing, delay 4m12s → 38s, 95 s`). It waits whether the action " +
					"resumed the direction or found it running. A wait that runs out of time fails, saying the last delay, " +
					"how fast it was falling and how long it would still need; the job stays running. Not set: the action " +
					"returns as soon as DTS reports `Synchronizing`.",
				Optional:   true,
				Validators: []validator.String{durationValidator()},
			}
		}
	}()
	resp.Schema = schema.Schema{
		MarkdownDescription: a.summary + " It reads the direction's status first and calls " + a.call + " only when the " +
			"direction is not already " + a.desired + ", then waits, polling as `dts_synchronization_job_state` does and " +
			"reporting each status it reads, until DTS reports it " + a.desired + " or `timeout` passes. Needs Terraform " +
			"1.14 or newer. Name the job by `synchronization_job_id`, `dts_job_id` or both.\n\n" + actionDriftCaveat,
		Attributes: map[string]schema.Attribute{
			"dts_job_id": schema.StringAttribute{
				MarkdownDescription: "Task ID of the job (`DtsJobId`), e.g. `l3m1213ye7lxxxx`: what the DTS console shows as the " +
					"task ID and what `alicloud_dts_synchronization_job`'s `id` holds. Give it, `synchronization_job_id`, or " +
					"both (they must name the same job; a mismatch fails the action before it changes anything). It names the " +
					"job, whichever direction the action acts on. Needs `api = \"auto\"` or `\"dts_job\"` when " +
					"`synchronization_job_id` is not given.",
				Optional:   true,
				Validators: []validator.String{dtsJobIDValidator()},
			},
			"region_id": schema.StringAttribute{
				MarkdownDescription: "Region of the job, e.g. `cn-hangzhou`. Defaults to the provider's `region`.",
				Optional:            true,
				Validators:          []validator.String{regionValidator()},
			},
			"synchronization_direction": schema.StringAttribute{
				MarkdownDescription: "`Forward` (default) or `Reverse`. `Reverse` exists only for two-way synchronization.",
				Optional:            true,
				Validators: []validator.String{
					stringvalidator.OneOf(dtsclient.DirectionForward, dtsclient.DirectionReverse),
				},
			},
			"synchronization_job_id": schema.StringAttribute{
				MarkdownDescription: "Instance ID of the job, e.g. `dtsmr1q4mc2152xxxx` (`SynchronizationJobId`, `DtsInstanceId`), " +
					"as `DescribeSynchronizationJobs` and the DTS console's instance list show it. Give it, `dts_job_id`, or both.",
				Optional:   true,
				Validators: []validator.String{jobIDValidator()},
			},
			"timeout": schema.StringAttribute{
				MarkdownDescription: "How long to wait for DTS to report the state, a Go duration such as `10m`. Default `30m`, " +
					"as the resource's `timeouts`.",
				Optional:   true,
				Validators: []validator.String{durationValidator()},
			},
		},
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
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || cfg.SynchronizationJobID.IsUnknown() || cfg.DtsJobID.IsUnknown() {
		return
	}
	resp.Diagnostics.Append(checkJobIDs(cfg.ids(), a.data.jobs)...)
}

// checkKnown fails for a value not known when the action runs: Terraform
// invokes an action with known values, so this guards a misuse, naming the
// attribute instead of acting on an empty value.
func (m *jobStateActionModel) checkKnown() diag.Diagnostics {
	var diags diag.Diagnostics
	for _, a := range []struct {
		name string
		v    types.String
	}{
		{"dts_job_id", m.DtsJobID}, {"region_id", m.RegionID}, {"synchronization_direction", m.SynchronizationDirection},
		{"synchronization_job_id", m.SynchronizationJobID}, {"timeout", m.Timeout},
	} {
		if name := a.name; a.v.IsUnknown() {
			diags.AddAttributeError(path.Root(name), "Value Not Known When the Action Runs",
				name+" is not known yet, so the action cannot act on it. Give it a value known before apply, or trigger "+
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
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(cfg.checkKnown()...)
	bound, d := delayBound(maxDelay)
	if d != nil {
		resp.Diagnostics.Append(d)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	timeout := defaultJobStateTimeout
	if !cfg.Timeout.IsNull() {
		d, err := time.ParseDuration(cfg.Timeout.ValueString())
		if err != nil || d <= 0 {
			// The validator rejects it at plan time; this guards a value unknown then.
			resp.Diagnostics.AddAttributeError(path.Root("timeout"), "Invalid Duration",
				fmt.Sprintf("timeout %q is not a positive Go duration; use a value such as 30s or 10m.", cfg.Timeout.ValueString()))
			return
		}
		timeout = d
	}
	// Every call of the action, its first read included, ends by its timeout.
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if !cfg.RegionID.IsNull() {
		// The validator rejects it at plan time; this guards a value unknown then.
		if err := validateRegion(cfg.RegionID.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("region_id"), "Invalid Region ID", "region_id "+err.Error())
			return
		}
	}
	jobs, region, diags := dataSourceJobs(a.data, cfg.RegionID)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ids := cfg.ids()
	resp.Diagnostics.Append(checkJobIDs(ids, jobs)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ref := dtsclient.JobRef{RegionID: region, JobID: ids.Instance, DtsJobID: ids.Task, Direction: cfg.SynchronizationDirection.ValueString()}
	switch ref.Direction {
	case "":
		ref.Direction = dtsclient.DirectionForward
	case dtsclient.DirectionForward, dtsclient.DirectionReverse:
	default:
		// The validator rejects it at plan time; this guards a value unknown then.
		resp.Diagnostics.AddAttributeError(path.Root("synchronization_direction"), "Invalid Direction",
			fmt.Sprintf("synchronization_direction %q is neither %s nor %s.", ref.Direction, dtsclient.DirectionForward, dtsclient.DirectionReverse))
		return
	}

	st, ref, err := a.firstRead(ctx, a.data.shared, ref)
	if err != nil {
		var mismatch *idMismatchError
		if errors.As(err, &mismatch) {
			resp.Diagnostics.Append(idMismatchDiag(mismatch))
		} else {
			// Nothing was sent yet: a timeout or an interruption says so.
			err = waitError(parent, ctx, err, convergeResult{}, stepNone, a.desired, timeout)
			resp.Diagnostics.Append(convergeErrorDiag(verbFor(a.desired), ref, err, "timeout"))
		}
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
			resp.Diagnostics.Append(convergeErrorDiag(verbFor(a.desired), ref, err, "timeout"))
			return
		}
	} else if bound == 0 || st.DelayReported && st.Delay <= bound {
		return // the read just now is the answer: nothing to send or wait for
	}
	if bound > 0 {
		p.catchingUp = true
		if _, err := awaitCatchUp(ctx, a.data.shared, ref, bound, timeout, p.report); err != nil {
			resp.Diagnostics.Append(convergeErrorDiag(verbFor(a.desired), ref, err, "timeout"))
		}
	}
}

// firstRead reads the direction once: its status is what converge acts on
// and its name what the progress shows (shared polls carry none). A task ID
// given is checked against the instance ID, and the one not given resolved,
// by the resource's read of Forward (describeIDs), which for Forward is that
// one read. The ref returned names the job by every ID known.
func (a *jobStateAction) firstRead(ctx context.Context, jobs jobAPI, ref dtsclient.JobRef) (*dtsclient.JobStatus, dtsclient.JobRef, error) {
	if ref.DtsJobID == "" {
		st, err := jobs.Describe(ctx, ref)
		return st, ref, err
	}
	ids, fwd, err := describeIDs(ctx, jobs, ref.RegionID, jobIDs{Instance: ref.JobID, Task: ref.DtsJobID})
	if err != nil {
		return nil, ref, err
	}
	ref.JobID, ref.DtsJobID = ids.Instance, ids.Task
	if ref.Direction == dtsclient.DirectionForward {
		return fwd, ref, nil
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
	if p.send == nil {
		return
	}
	p.send(action.InvokeProgressEvent{Message: p.message(st, time.Since(p.started))})
}

// note sends a message that is not a status, such as a billing note.
func (p *actionProgress) note(msg string) {
	if p.send != nil {
		p.send(action.InvokeProgressEvent{Message: msg})
	}
}

func (p *actionProgress) message(st *dtsclient.JobStatus, elapsed time.Duration) string {
	if p.name == "" {
		p.name = st.Name
	}
	who := jobLabel(p.ref)
	if p.name != "" {
		who = p.name
	}
	who += " (" + p.ref.Direction + ")"
	if p.first == "" {
		p.first = st.Status
		next, _ := nextStep(st.Status, p.desired)
		switch next {
		case stepDone:
			if p.bound > 0 && st.DelayReported {
				return fmt.Sprintf("%s: already %s, delay %s (waiting for %s or less)", who, st.Status, formatDelay(st.Delay), formatDelay(p.bound))
			}
			return fmt.Sprintf("%s: already %s, nothing to do", who, st.Status)
		case stepSuspend:
			return fmt.Sprintf("%s: %s, asking DTS to pause it", who, st.Status)
		case stepStart:
			return fmt.Sprintf("%s: %s, asking DTS to resume it", who, st.Status)
		default:
			return fmt.Sprintf("%s: %s", who, st.Status)
		}
	}
	secs := int(elapsed.Round(time.Second) / time.Second)
	if p.catchingUp && st.DelayReported {
		if p.firstDelay == nil {
			p.firstDelay = &st.Delay
		}
		return fmt.Sprintf("%s: %s, delay %s → %s (waiting for %s or less), %d s", who, st.Status, formatDelay(*p.firstDelay),
			formatDelay(st.Delay), formatDelay(p.bound), secs)
	}
	if st.Status == p.first {
		return fmt.Sprintf("%s: %s, waiting for %s, %d s", who, st.Status, p.target(), secs)
	}
	return fmt.Sprintf("%s: %s → %s, %d s", who, p.first, st.Status, secs)
}

// target is the status DTS reports once the action is done.
func (p *actionProgress) target() dtsclient.Status {
	if p.desired == stateSuspended {
		return dtsclient.StatusSuspending
	}
	return dtsclient.StatusSynchronizing
}
