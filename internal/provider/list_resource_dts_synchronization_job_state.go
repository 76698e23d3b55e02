package provider

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

var _ list.ListResourceWithConfigure = (*synchronizationJobStateListResource)(nil)

// NewSynchronizationJobStateListResource returns the list resource that lets
// terraform query find every direction of every job of a region, as
// dts_synchronization_job_state resources with import blocks.
func NewSynchronizationJobStateListResource() list.ListResource {
	return &synchronizationJobStateListResource{}
}

type synchronizationJobStateListResource struct {
	data *providerData
}

type synchronizationJobStateListModel struct {
	NameRegex types.String `tfsdk:"name_regex"`
	RegionID  types.String `tfsdk:"region_id"`
}

func (l *synchronizationJobStateListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_synchronization_job_state"
}

func (l *synchronizationJobStateListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds the synchronization jobs of a region for `terraform query`: one result per direction " +
			"(two for a two-way job), named like `orders-sync (Forward, Suspending)`, or like " +
			"`orders-sync (Forward, Synchronizing, 4m12s behind)` when DTS reports the direction at least a minute behind " +
			"(a running job is usually a few seconds behind; a paused one falls further behind until it is resumed). " +
			"The legacy calls report a delay for `Forward` only, so when they list the jobs (`api = \"synchronization_job\"`, " +
			"or `auto` when DTS refuses `DescribeDtsJobs`) a `Reverse` name never shows one. Each result is a " +
			"`dts_synchronization_job_state` whose `state` is what DTS reports now, so that " +
			"`terraform query -generate-config-out=generated.tf` writes `resource` and `import` blocks that import with " +
			"an empty plan and change no job. Only directions that are running or paused are results: a direction in any " +
			"other status (such as `NotStarted`, `Initializing`, `Failed`, `Finished` or `Locked`) could not be declared " +
			"without an apply that starts it, waits for it or fails, so it is left out, and one warning names each " +
			"direction left out, its status and why. `limit` counts the results returned. It reads the jobs a page at a time in the family the provider's `api` chooses and stops " +
			"reading once `limit` results are found: with `auto` (falling back to the legacy calls when DTS refuses " +
			"`DescribeDtsJobs`) and `dts_job`, one `DescribeDtsJobs` call per 100 jobs, which reports every direction " +
			"and the job's `dts_job_id`; with `synchronization_job`, one `DescribeSynchronizationJobs` call per 30 jobs " +
			"and one `DescribeSynchronizationJobStatusList` call for the directions of each page's matches. Needs " +
			"Terraform 1.14 or newer.",
		Attributes: map[string]schema.Attribute{
			"name_regex": schema.StringAttribute{
				MarkdownDescription: "Keep jobs whose name matches this [RE2 regular expression](https://github.com/google/re2/wiki/Syntax), " +
					"e.g. `^orders-`. An invalid expression fails before any API call.",
				Optional:   true,
				Validators: []validator.String{regexSyntaxValidator()},
			},
			"region_id": schema.StringAttribute{
				MarkdownDescription: "Region to list, e.g. `cn-hangzhou`. Defaults to the provider's `region`.",
				Optional:            true,
				Validators:          []validator.String{regionValidator()},
			},
		},
	}
}

func (l *synchronizationJobStateListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	data, diags := providerDataFrom(req.ProviderData, "List Resource")
	resp.Diagnostics.Append(diags...)
	l.data = data
}

func (l *synchronizationJobStateListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	failed := func(diags diag.Diagnostics) bool {
		if diags.HasError() {
			stream.Results = list.ListResultsStreamDiagnostics(diags)
		}
		return diags.HasError()
	}
	var cfg synchronizationJobStateListModel
	if failed(req.Config.Get(ctx, &cfg)) {
		return
	}
	nameRE, diags := compileNameRegex(cfg.NameRegex)
	if failed(diags) {
		return
	}
	jobs, region, diags := dataSourceJobs(l.data, cfg.RegionID)
	if failed(diags) {
		return
	}
	noTimeouts, diags := nullTimeouts(ctx, req)
	if failed(diags) {
		return
	}
	q := jobStateQuery{jobs: jobs, region: region, nameRE: nameRE, limit: req.Limit}

	stream.Results = func(push func(list.ListResult) bool) {
		// The directions left out go in one warning, pushed before the result
		// that reaches the limit (Terraform reads nothing after it) or at the end.
		var left []leftOutDirection
		flush := func() bool {
			if len(left) == 0 {
				return true
			}
			w := leftOutWarning(region, left)
			left = nil
			return push(list.ListResult{Diagnostics: diag.Diagnostics{w}})
		}
		var pushed int64
		err := q.run(ctx, func(j dtsclient.JobSummary, d dtsclient.DirectionStatus) bool {
			if pushed++; q.limit > 0 && pushed == q.limit && !flush() {
				return false
			}
			return push(jobStateListResult(ctx, req, region, j, d, noTimeouts))
		}, func(j dtsclient.JobSummary, d dtsclient.DirectionStatus) {
			left = append(left, leftOutDirection{job: j, direction: d})
		})
		if err != nil {
			push(list.ListResult{Diagnostics: diag.Diagnostics{
				diag.NewErrorDiagnostic("Unable to List Synchronization Jobs", listErrorDetail(region, err))}})
			return
		}
		flush()
	}
}

// listable reports whether a direction in status s is a result: one whose
// import reads a state a configuration can declare (running or paused), so
// that the configuration terraform query generates for it imports with an
// empty plan and its apply changes no job.
func listable(s dtsclient.Status) bool {
	return slices.Contains([]string{stateSynchronizing, stateSuspended}, declaredState(s))
}

// leftOutDirection is a direction the query found but did not return.
type leftOutDirection struct {
	job       dtsclient.JobSummary
	direction dtsclient.DirectionStatus
}

// leftOutReason says why a direction in status s is not a result: what
// declaring it would do on apply, or why nothing can be declared.
func leftOutReason(s dtsclient.Status) string {
	switch s {
	case dtsclient.StatusNotStarted:
		return "it has never run; declaring it Synchronizing would start it on apply, and DTS cannot pause it"
	case dtsclient.StatusPreCheckPass:
		return "it passed its precheck and waits to be started; declaring it Synchronizing would start it on apply"
	case dtsclient.StatusNotConfigured:
		return "it has no configuration yet, so it can be neither started nor paused"
	case dtsclient.StatusPrechecking, dtsclient.StatusInitializing:
		return "it is starting up and DTS moves it on by itself; it is listed once it runs"
	case dtsclient.StatusFailed, dtsclient.StatusPrecheckFailed, dtsclient.StatusInitializeFailed:
		return "it has stopped on a failure; declaring it Synchronizing would restart it on apply"
	case dtsclient.StatusFinished:
		return "it has finished (a one-off job), so there is nothing to pause or resume"
	case dtsclient.StatusLocked:
		return "DTS has locked it (arrears or an expired instance), and it can be neither paused nor resumed until DTS unlocks it"
	}
	return "the provider does not know this status, so no state can be declared for it without risking a change on apply"
}

// leftOutWarning names each direction left out, its status and why.
func leftOutWarning(region string, left []leftOutDirection) diag.Diagnostic {
	var b strings.Builder
	fmt.Fprintf(&b, "The query returns only directions that are running or paused: a dts_synchronization_job_state imports "+
		"those with no change to the job. It left out %d direction(s) of region %s:\n", len(left), region)
	for _, l := range left {
		fmt.Fprintf(&b, "  - %s (%s, %s) is %s: %s.\n", displayName(l.job), l.job.JobID, l.direction.Direction,
			l.direction.Status, leftOutReason(l.direction.Status))
	}
	b.WriteString("A direction is listed again once it runs or is paused. The dts_synchronization_jobs data source " +
		"reads every job, whatever its status.")
	return diag.NewWarningDiagnostic("Synchronization Jobs Left Out of the Query", b.String())
}

// displayName is the job's name, or its instance ID when it has none.
func displayName(j dtsclient.JobSummary) string { return cmp.Or(j.Name, j.JobID) }

// behindThreshold is the delay from which a result's name says how far
// behind the direction is: well above the few seconds of a running job, so
// that the name flags only a direction that is paused, failing or slow.
const behindThreshold = time.Minute

// resultDisplayName names a direction "orders-sync (Forward, Synchronizing)",
// with ", 4m12s behind" before the parenthesis closes when DTS reports it
// behindThreshold or more behind.
func resultDisplayName(j dtsclient.JobSummary, d dtsclient.DirectionStatus) string {
	name := fmt.Sprintf("%s (%s, %s", displayName(j), d.Direction, d.Status)
	if delay, ok := listedDelay(j, d); ok && delay >= behindThreshold {
		name += ", " + formatDelay(delay) + " behind"
	}
	return name + ")"
}

// listedDelay is the direction's delay as the listing reports it. The
// legacy status list reports none; its Forward delay is then the one
// DescribeSynchronizationJobs listed for the job.
func listedDelay(j dtsclient.JobSummary, d dtsclient.DirectionStatus) (time.Duration, bool) {
	switch {
	case d.DelayReported:
		return d.Delay, true
	case d.Direction == dtsclient.DirectionForward && j.Family == dtsclient.FamilySynchronizationJob:
		return j.Delay, j.DelayReported
	}
	return 0, false
}

// jobStateListResult is one direction as a result: the identity, the display
// name and, when Terraform asks for it, the state an import then refresh
// would write.
func jobStateListResult(ctx context.Context, req list.ListRequest, region string, j dtsclient.JobSummary, d dtsclient.DirectionStatus,
	noTimeouts timeouts.Value) list.ListResult {
	res := req.NewListResult(ctx)
	res.DisplayName = resultDisplayName(j, d)

	m := synchronizationJobStateModel{ResumeOnDestroy: types.BoolValue(false), Timeouts: noTimeouts}
	// dts_job_id is the job's (Forward) task ID whichever the direction, as
	// an import then refresh writes it; a legacy listing has none.
	ref := dtsclient.JobRef{RegionID: region, JobID: j.JobID, DtsJobID: j.DtsJobID, Direction: d.Direction}
	st := &dtsclient.JobStatus{JobID: j.JobID, DtsJobID: j.DtsJobID, Name: j.Name, Direction: d.Direction, Status: d.Status, PayType: j.PayType, Checkpoint: d.Checkpoint}
	m.observe(ref, st, pauseSeen, time.Now())

	res.Diagnostics.Append(res.Identity.Set(ctx, jobStateIdentity(&m))...)
	if req.IncludeResource {
		res.Diagnostics.Append(res.Resource.Set(ctx, &m)...)
	}
	return res
}

// nullTimeouts is the resource's timeouts block left unset, typed from the
// resource schema so that it follows the schema's timeouts options.
func nullTimeouts(ctx context.Context, req list.ListRequest) (timeouts.Value, diag.Diagnostics) {
	t, diags := req.ResourceSchema.TypeAtPath(ctx, path.Root("timeouts"))
	if diags.HasError() {
		return timeouts.Value{}, diags
	}
	obj, ok := t.(attr.TypeWithAttributeTypes)
	if !ok {
		diags.AddError("Unexpected Resource Schema", fmt.Sprintf("timeouts is a %T, not an object. This is always a bug in the provider, please report it.", t))
		return timeouts.Value{}, diags
	}
	return timeouts.Value{Object: types.ObjectNull(obj.AttributeTypes())}, diags
}

// jobStateQuery pages through the jobs of a region in the family the
// provider's api argument chooses (jobAPI.ListPages) and yields their
// directions in DTS's order (newest job first, Forward before Reverse).
type jobStateQuery struct {
	jobs   jobAPI
	region string
	nameRE *regexp.Regexp
	limit  int64 // 0: no limit
}

// run calls yield for each direction that is a result (listable) until
// yield returns false, limit results are yielded or the jobs run out; no
// page is read after that. A direction that is not a result goes to leave
// and does not count towards limit.
func (q jobStateQuery) run(ctx context.Context, yield func(dtsclient.JobSummary, dtsclient.DirectionStatus) bool,
	leave func(dtsclient.JobSummary, dtsclient.DirectionStatus)) error {
	var yielded int64
	keep := func(j dtsclient.JobSummary) bool { return q.nameRE == nil || q.nameRE.MatchString(j.Name) }
	return q.jobs.ListPages(ctx, q.region, keep, func(page []dtsclient.JobSummary) bool {
		for _, j := range page {
			for _, d := range j.Directions {
				if !listable(d.Status) {
					leave(j, d)
					continue
				}
				if !yield(j, d) {
					return false
				}
				if yielded++; q.limit > 0 && yielded >= q.limit {
					return false
				}
			}
		}
		return true
	})
}
