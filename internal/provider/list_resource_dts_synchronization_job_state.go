package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
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

var (
	_ list.ListResource              = (*synchronizationJobStateListResource)(nil)
	_ list.ListResourceWithConfigure = (*synchronizationJobStateListResource)(nil)
)

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
			"(two for a two-way job), named like `orders-sync (Forward, Suspending)`, each a " +
			"`dts_synchronization_job_state` whose `state` is what DTS reports now, so that " +
			"`terraform query -generate-config-out=generated.tf` writes `resource` and `import` blocks that import with " +
			"an empty plan. A direction that is neither running nor paused (such as `Failed` or `NotStarted`) gets that " +
			"status as its `state`, which the resource does not accept: choose `Synchronizing` or `Suspended` for it " +
			"before applying. It reads the jobs a page at a time in the family the provider's `api` chooses and stops " +
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
	var cfg synchronizationJobStateListModel
	diags := req.Config.Get(ctx, &cfg)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	var nameRE *regexp.Regexp
	if !cfg.NameRegex.IsNull() {
		re, err := regexp.Compile(cfg.NameRegex.ValueString())
		if err != nil {
			// The validator rejects it earlier; this guards a value that was unknown then.
			diags.AddAttributeError(path.Root("name_regex"), "Invalid Regular Expression",
				fmt.Sprintf("name_regex %q is not a valid RE2 regular expression: %s", cfg.NameRegex.ValueString(), err))
			stream.Results = list.ListResultsStreamDiagnostics(diags)
			return
		}
		nameRE = re
	}
	jobs, region, cdiags := dataSourceJobs(l.data, cfg.RegionID)
	if cdiags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(cdiags)
		return
	}
	noTimeouts, tdiags := nullTimeouts(ctx, req)
	if tdiags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(tdiags)
		return
	}
	q := jobStateQuery{jobs: jobs, region: region, nameRE: nameRE, limit: req.Limit}

	stream.Results = func(push func(list.ListResult) bool) {
		err := q.run(ctx, func(j dtsclient.JobSummary, d dtsclient.DirectionStatus) bool {
			return push(jobStateListResult(ctx, req, region, j, d, noTimeouts))
		})
		if err != nil {
			var ediags diag.Diagnostics
			ediags.AddError("Unable to List Synchronization Jobs", listErrorDetail(region, err))
			push(list.ListResult{Diagnostics: ediags})
		}
	}
}

// jobStateListResult is one direction as a result: the identity, the display
// name and, when Terraform asks for it, the state an import then refresh
// would write.
func jobStateListResult(ctx context.Context, req list.ListRequest, region string, j dtsclient.JobSummary, d dtsclient.DirectionStatus,
	noTimeouts timeouts.Value) list.ListResult {
	res := req.NewListResult(ctx)
	name := j.Name
	if name == "" {
		name = j.JobID
	}
	res.DisplayName = fmt.Sprintf("%s (%s, %s)", name, d.Direction, d.Status)

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

func listErrorDetail(region string, err error) string {
	detail := fmt.Sprintf("Unable to list the synchronization jobs of region %s, got error: %s", region, err)
	var ae *dtsclient.APIError
	if errors.As(err, &ae) {
		detail += "\n\n" + apiErrorAdvice(ae)
	}
	return detail
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

// run calls yield for each direction until yield returns false, limit
// results are yielded or the jobs run out; no page is read after that.
func (q jobStateQuery) run(ctx context.Context, yield func(dtsclient.JobSummary, dtsclient.DirectionStatus) bool) error {
	var yielded int64
	keep := func(j dtsclient.JobSummary) bool { return q.nameRE == nil || q.nameRE.MatchString(j.Name) }
	return q.jobs.ListPages(ctx, q.region, keep, func(page []dtsclient.JobSummary) bool {
		for _, j := range page {
			for _, d := range j.Directions {
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
