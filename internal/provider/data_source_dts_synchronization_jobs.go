package provider

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

var _ datasource.DataSourceWithConfigure = (*synchronizationJobsDataSource)(nil)

// maxTagFilters is how many Tag.N filters DescribeSynchronizationJobs takes.
const maxTagFilters = 20

// jobStatuses are the raw DTS statuses the status filter accepts.
var jobStatuses = statusNames(
	dtsclient.StatusNotStarted, dtsclient.StatusPrechecking, dtsclient.StatusPrecheckFailed, dtsclient.StatusPreCheckPass,
	dtsclient.StatusInitializing, dtsclient.StatusInitializeFailed, dtsclient.StatusSynchronizing, dtsclient.StatusFailed,
	dtsclient.StatusSuspending, dtsclient.StatusModifying, dtsclient.StatusFinished, dtsclient.StatusRetrying,
	dtsclient.StatusUpgrade, dtsclient.StatusDowngrade, dtsclient.StatusLocked, dtsclient.StatusNotConfigured,
)

func statusNames(statuses ...dtsclient.Status) []string {
	names := make([]string, len(statuses))
	for i, s := range statuses {
		names[i] = s.String()
	}
	return names
}

// NewSynchronizationJobsDataSource returns the dts_synchronization_jobs data source.
func NewSynchronizationJobsDataSource() datasource.DataSource {
	return &synchronizationJobsDataSource{}
}

type synchronizationJobsDataSource struct {
	dataSourceBase
}

type synchronizationJobsDataSourceModel struct {
	ID        types.String        `tfsdk:"id"`
	IDs       []string            `tfsdk:"ids"`
	Jobs      []jobsListItemModel `tfsdk:"jobs"`
	Name      types.String        `tfsdk:"name"`
	NameRegex types.String        `tfsdk:"name_regex"`
	RegionID  types.String        `tfsdk:"region_id"`
	Status    types.String        `tfsdk:"status"`
	Tags      map[string]string   `tfsdk:"tags"`
}

// jobsListItemModel is one job of the jobs list.
type jobsListItemModel struct {
	jobModel
	CreateTime types.String      `tfsdk:"create_time"`
	Tags       map[string]string `tfsdk:"tags"`
}

func (d *synchronizationJobsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_synchronization_jobs"
}

func (d *synchronizationJobsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the DTS synchronization jobs of a region, optionally filtered by name, status and tags. " +
			"It calls `DescribeDtsJobs` (100 jobs a page, `JobType=SYNC`) page by page until every matching job is read, or " +
			"`DescribeSynchronizationJobs` with the provider's `api = \"synchronization_job\"` (or, under `auto`, when DTS " +
			"refuses `DescribeDtsJobs`). `name` and `tags` are filtered by DTS; `name_regex` and `status` are applied to the " +
			"answer. No match is an empty list, not an error.",
		Attributes: map[string]schema.Attribute{
			"id": computedString("A hash of the region and the filters, stable while they do not change."),
			"ids": schema.ListAttribute{
				MarkdownDescription: "IDs of the matching jobs, in the order of `jobs`.",
				ElementType:         types.StringType,
				Computed:            true,
			},
			"jobs": schema.ListNestedAttribute{
				MarkdownDescription: "The matching jobs, newest first (by creation time; jobs created at the same moment in the order DTS lists them).",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"create_time": computedString("When the job was created, as an RFC 3339 time in UTC. DTS sends it in UTC+8 " +
						"without a zone; it is converted. Null when DTS sends none."),
					"delay_seconds": computedInt64("Replication delay of the `Forward` direction (the listed one; the " +
						"`dts_synchronization_job` data source shows each direction's): how far the destination is behind the " +
						"source, in whole seconds (rounded down), as the listing reports it. Null when DTS lists no delay for the job."),
					"destination_endpoint": computedEndpoint("The database the job writes to."),
					"dts_job_id": computedString("Task ID of the job (`DtsJobId`), usable as `dts_job_id`. Null when the legacy " +
						"`DescribeSynchronizationJobs` listed the jobs: it reports no task ID."),
					"error_message":   computedString("Why the `Forward` direction failed, as DTS words it. Null when DTS reports none."),
					"id":              computedString("ID of the job (instance), usable as `synchronization_job_id`."),
					"job_class":       computedString("Instance class of the job, such as `small`."),
					"job_name":        computedString("The job's name in DTS."),
					"pay_type":        computedString("`PrePaid` (subscription) or `PostPaid` (pay-as-you-go)."),
					"source_endpoint": computedEndpoint("The database the job reads from."),
					"status": computedString("Raw DTS status of the `Forward` direction, such as `Synchronizing` or `Suspending` " +
						"(paused). The `dts_synchronization_job` data source shows both directions of a two-way job."),
					"tags": schema.MapAttribute{
						MarkdownDescription: "Tags of the job.",
						ElementType:         types.StringType,
						Computed:            true,
					},
				}},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Keep jobs whose name contains this text. DTS applies it (`Type=name` with `DescribeDtsJobs`, " +
					"`SynchronizationJobName` with `DescribeSynchronizationJobs`; a fuzzy match).",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"name_regex": schema.StringAttribute{
				MarkdownDescription: "Keep jobs whose name matches this [RE2 regular expression](https://github.com/google/re2/wiki/Syntax), " +
					"e.g. `^orders-`. Applied by the provider after listing; an invalid expression fails at plan time.",
				Optional:   true,
				Validators: []validator.String{regexSyntaxValidator()},
			},
			"region_id": optionalRegionID("Region to list, e.g. `cn-hangzhou`. Defaults to the provider's `region`."),
			"status": schema.StringAttribute{
				MarkdownDescription: "Keep jobs whose `Forward` direction has exactly this raw DTS status. A paused job is " +
					"`Suspending`, as DTS reports it. One of: `" + strings.Join(jobStatuses, "`, `") + "`.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(jobStatuses...)},
			},
			"tags": schema.MapAttribute{
				MarkdownDescription: "Keep jobs that have all of these tags. DTS applies it (`Tags` with `DescribeDtsJobs`, " +
					"`Tag.N.Key`/`Tag.N.Value` with `DescribeSynchronizationJobs`); an empty value matches any value of the key. At most 20.",
				ElementType: types.StringType,
				Optional:    true,
				Validators: []validator.Map{
					mapvalidator.SizeAtMost(maxTagFilters),
					mapvalidator.KeysAre(stringvalidator.LengthAtLeast(1)),
				},
			},
		},
	}
}

func (d *synchronizationJobsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg synchronizationJobsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	nameRE, diags := compileNameRegex(cfg.NameRegex)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	jobs, region, diags := dataSourceJobs(d.data, cfg.RegionID)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	in := dtsclient.ListJobsInput{RegionID: region, Name: cfg.Name.ValueString(), Tags: sortedTags(cfg.Tags)}
	all, err := jobs.List(ctx, in)
	if err != nil {
		resp.Diagnostics.AddError("Unable to List Synchronization Jobs", listErrorDetail(region, err))
		return
	}

	newestFirst(all)
	status := cfg.Status.ValueString()
	state := synchronizationJobsDataSourceModel{
		ID:        types.StringValue(jobsFilterID(region, cfg)),
		IDs:       []string{},
		Jobs:      []jobsListItemModel{},
		Name:      cfg.Name,
		NameRegex: cfg.NameRegex,
		RegionID:  types.StringValue(region),
		Status:    cfg.Status,
		Tags:      cfg.Tags,
	}
	seen := map[string]bool{}
	for _, j := range all {
		if seen[j.JobID] {
			// A job created while paging shifts the pages; skip the repeat.
			continue
		}
		if nameRE != nil && !nameRE.MatchString(j.Name) {
			continue
		}
		if status != "" && j.Status.String() != status {
			continue
		}
		seen[j.JobID] = true
		state.IDs = append(state.IDs, j.JobID)
		state.Jobs = append(state.Jobs, jobsListItem(j))
	}
	tflog.Debug(ctx, "listed synchronization jobs", map[string]any{
		"region": region, "listed": len(all), "matched": len(state.Jobs),
	})
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func jobsListItem(j dtsclient.JobSummary) jobsListItemModel {
	tags := make(map[string]string, len(j.Tags))
	for _, t := range j.Tags {
		tags[t.Key] = t.Value
	}
	return jobsListItemModel{jobModel: newJobModel(j), CreateTime: createTime(j), Tags: tags}
}

// newestFirst orders jobs by creation time, newest first, as
// DescribeSynchronizationJobs lists them; DescribeDtsJobs lists oldest
// first. Jobs whose time does not parse keep their place after the others.
func newestFirst(jobs []dtsclient.JobSummary) {
	sort.SliceStable(jobs, func(a, b int) bool {
		ta, okA := parsedCreateTime(jobs[a])
		tb, okB := parsedCreateTime(jobs[b])
		return okA && (!okB || ta.After(tb))
	})
}

func parsedCreateTime(j dtsclient.JobSummary) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, createTime(j).ValueString())
	return t, err == nil
}

// dtsCreateTimeZone is the zone of DescribeSynchronizationJobs' CreateTime.
var dtsCreateTimeZone = time.FixedZone("UTC+8", 8*3600)

// createTime returns the job's creation time in RFC 3339 UTC: CreateTime
// ("2021-06-28 17:34:53.0", UTC+8), else the ISO JobCreateTime or
// InstanceCreateTime. A value that parses as none of these is kept as sent.
func createTime(j dtsclient.JobSummary) types.String {
	// A fraction of a second (".0") parses without a layout for it.
	if t, err := time.ParseInLocation(time.DateTime, strings.TrimSpace(j.CreateTime), dtsCreateTimeZone); err == nil {
		return types.StringValue(t.UTC().Format(time.RFC3339))
	}
	for _, s := range []string{j.JobCreateTime, j.InstanceCreateTime} {
		if t, err := time.Parse(time.RFC3339, strings.TrimSpace(s)); err == nil {
			return types.StringValue(t.UTC().Format(time.RFC3339))
		}
	}
	return stringOrNull(cmp.Or(strings.TrimSpace(j.CreateTime), strings.TrimSpace(j.JobCreateTime), strings.TrimSpace(j.InstanceCreateTime)))
}

// sortedTags turns the tags filter into Tag.N parameters, ordered by key so
// that the request does not depend on map order.
func sortedTags(m map[string]string) []dtsclient.Tag {
	var tags []dtsclient.Tag
	for _, k := range slices.Sorted(maps.Keys(m)) {
		tags = append(tags, dtsclient.Tag{Key: k, Value: m[k]})
	}
	return tags
}

// jobsFilterID hashes the region and the filters into the data source's id.
func jobsFilterID(region string, cfg synchronizationJobsDataSourceModel) string {
	h := sha256.New()
	field := func(name string, v types.String) {
		fmt.Fprintf(h, "%s=%t:%q\n", name, v.IsNull(), v.ValueString())
	}
	fmt.Fprintf(h, "region=%q\n", region)
	field("name", cfg.Name)
	field("name_regex", cfg.NameRegex)
	field("status", cfg.Status)
	for _, t := range sortedTags(cfg.Tags) {
		fmt.Fprintf(h, "tag=%q:%q\n", t.Key, t.Value)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
