package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

var (
	_ datasource.DataSourceWithConfigure        = (*synchronizationJobDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*synchronizationJobDataSource)(nil)
)

// NewSynchronizationJobDataSource returns the dts_synchronization_job data source.
func NewSynchronizationJobDataSource() datasource.DataSource {
	return &synchronizationJobDataSource{}
}

type synchronizationJobDataSource struct {
	dataSourceBase
}

type synchronizationJobDataSourceModel struct {
	jobModel
	Checkpoint              types.Int64         `tfsdk:"checkpoint"`
	CheckpointTime          types.String        `tfsdk:"checkpoint_time"`
	DataInitialization      types.Bool          `tfsdk:"data_initialization"`
	Directions              []jobDirectionModel `tfsdk:"directions"`
	ExpireTime              types.String        `tfsdk:"expire_time"`
	RegionID                types.String        `tfsdk:"region_id"`
	StructureInitialization types.Bool          `tfsdk:"structure_initialization"`
	SynchronizationJobID    types.String        `tfsdk:"synchronization_job_id"`
	TwoWay                  types.Bool          `tfsdk:"two_way"`
}

// jobDirectionModel is one direction of a job in the directions list.
type jobDirectionModel struct {
	Checkpoint   types.Int64  `tfsdk:"checkpoint"`
	DelaySeconds types.Int64  `tfsdk:"delay_seconds"`
	Direction    types.String `tfsdk:"direction"`
	ErrorMessage types.String `tfsdk:"error_message"`
	Status       types.String `tfsdk:"status"`
}

func (d *synchronizationJobDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_synchronization_job"
}

func (d *synchronizationJobDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one DTS synchronization job: its name, class and billing, the status and checkpoint of each " +
			"direction, and its source and destination databases (never their passwords). It calls " +
			"`DescribeDtsJobDetail` and `DescribeDtsJobs`, or with the provider's `api = \"synchronization_job\"` (or a job the " +
			"maintained API does not know) `DescribeSynchronizationJobStatus` and `DescribeSynchronizationJobStatusList`. Name " +
			"the job by `synchronization_job_id`, `dts_job_id` or both; the other is read from DTS. A job that does not exist " +
			"in the region is an error.",
		Attributes: map[string]schema.Attribute{
			"checkpoint": computedInt64("Position of the `Forward` direction as a Unix time in seconds: changes up to this moment " +
				"have reached the destination. Null before the job first synchronizes."),
			"checkpoint_time":     computedString("`checkpoint` as an RFC 3339 time in UTC, e.g. `2024-05-01T08:00:00Z`. Null when `checkpoint` is."),
			"data_initialization": computedBool("Whether the job copies the existing data (full data synchronization) before it synchronizes changes."),
			"delay_seconds": computedInt64("Replication delay of the `Forward` direction: how far the destination is behind the " +
				"source, in whole seconds (rounded down), as DTS reports it when the job is read. A running job is usually a " +
				"few seconds behind; a paused or failed one falls further behind until it runs again. Null when DTS's " +
				"answer carries no delay. The unit of DTS's `Delay` (seconds or milliseconds, which its documentation " +
				"gives differently per action) is checked against the job's checkpoint."),
			"destination_endpoint": computedEndpoint("The database the job writes to."),
			"dts_job_id": schema.StringAttribute{
				MarkdownDescription: "Task ID of the job (`DtsJobId`), e.g. `l3m1213ye7lxxxx`, as the console and " +
					"`alicloud_dts_synchronization_job`'s `id` show it. Give it, `synchronization_job_id`, or both (they must name " +
					"the same job); when not given it is read from DTS (null if DTS reports none).",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{dtsJobIDValidator()},
			},
			"directions": schema.ListNestedAttribute{
				MarkdownDescription: "One entry per direction, `Forward` first: one entry for a one-way job, two for a two-way job.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"checkpoint": computedInt64("Position of the direction as a Unix time in seconds. Null before it first synchronizes."),
					"delay_seconds": computedInt64("Replication delay of the direction in whole seconds (rounded down), as " +
						"`delay_seconds` is for `Forward`. Null when DTS reports none. The call that lists the " +
						"directions with the legacy API (`DescribeSynchronizationJobStatusList`, used with the " +
						"provider's `api = \"synchronization_job\"` and sometimes under `auto` in a region with many " +
						"jobs) reports no delay, so there the `Reverse` delay is known only when the direction is in a " +
						"failure status, whose own status read reports it; otherwise it is null."),
					"direction": computedString("`Forward` or `Reverse`."),
					"error_message": computedString("Why the direction failed, as DTS words it. For `Reverse` it is read only when the " +
						"direction is in a failure status (`Failed`, `PrecheckFailed`, `InitializeFailed`, `Finished`). Null when empty."),
					"status": computedString("Raw DTS status of the direction, such as `Synchronizing`, `Suspending` (paused) or `Failed`."),
				}},
			},
			"error_message": computedString("Why the `Forward` direction failed, as DTS words it, e.g. `DTS-070211: Connect Source DB failed.` " +
				"Null when DTS reports none."),
			"expire_time":     computedString("When a `PrePaid` job expires, as DTS reports it (UTC). Null for `PostPaid` jobs."),
			"id":              computedString("The job ID, the same as `synchronization_job_id`."),
			"job_class":       computedString("Instance class of the job, such as `small`, `medium` or `large`."),
			"job_name":        computedString("The job's name in DTS."),
			"pay_type":        computedString("`PrePaid` (subscription) or `PostPaid` (pay-as-you-go)."),
			"region_id":       optionalRegionID("Region of the job, e.g. `cn-hangzhou`. Defaults to the provider's `region`."),
			"source_endpoint": computedEndpoint("The database the job reads from."),
			"status": computedString("Raw DTS status of the `Forward` direction, such as `Synchronizing`, `Suspending` (paused) or " +
				"`Failed`. The status of `Reverse` is in `directions`."),
			"structure_initialization": computedBool("Whether the job copies the schema (structure initialization) before it copies data."),
			"synchronization_job_id": schema.StringAttribute{
				MarkdownDescription: "Instance ID of the job, e.g. `dtsmr1q4mc2152xxxx`, as " +
					"`DescribeSynchronizationJobs` and the DTS console's instance list show it. Give it, `dts_job_id`, or both; " +
					"when not given it is read from DTS.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{jobIDValidator()},
			},
			"two_way": computedBool("Whether the job synchronizes in both directions (it has a `Reverse` direction)."),
		},
	}
}

func (d *synchronizationJobDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.AtLeastOneOf(path.MatchRoot("synchronization_job_id"), path.MatchRoot("dts_job_id")),
	}
}

func (d *synchronizationJobDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg synchronizationJobDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	jobs, region, diags := dataSourceJobs(d.data, cfg.RegionID)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	given := jobIDs{Instance: cfg.SynchronizationJobID.ValueString(), Task: cfg.DtsJobID.ValueString()}
	resp.Diagnostics.Append(taskIDNeedsFamily(path.Root("dts_job_id"), given, jobs)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ids, st, err := readIDs(ctx, jobs.Describe, region, given)
	ref := given.lookupRef(region, dtsclient.DirectionForward)
	switch mismatch := idMismatchDiag(err); {
	case mismatch != nil:
		resp.Diagnostics.Append(mismatch)
		return
	case dtsclient.IsNotFound(err):
		resp.Diagnostics.Append(jobNotFoundDiag(ref, err))
		return
	case err != nil:
		resp.Diagnostics.AddError("Unable to Read Synchronization Job", apiErrorDetail("read", ref, err))
		return
	}
	ref = dtsclient.JobRef{RegionID: region, JobID: ids.Instance, DtsJobID: ids.Task, Direction: dtsclient.DirectionForward}
	dirs, diags := readDirections(ctx, jobs, ref, st)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	twoWay := slices.ContainsFunc(dirs, func(m jobDirectionModel) bool {
		return m.Direction.ValueString() == dtsclient.DirectionReverse
	})
	state := synchronizationJobDataSourceModel{
		jobModel: newJobModel(dtsclient.JobSummary{JobID: ids.Instance, DtsJobID: ids.Task, Name: st.Name, Class: st.Class,
			Status: st.Status, PayType: st.PayType, ErrorMessage: st.ErrorMessage, Delay: st.Delay, DelayReported: st.DelayReported,
			Source: st.Source, Destination: st.Destination}),
		Checkpoint:              int64OrNull(st.Checkpoint),
		CheckpointTime:          unixTimeOrNull(st.Checkpoint),
		DataInitialization:      types.BoolValue(st.DataInitialization),
		Directions:              dirs,
		ExpireTime:              stringOrNull(st.ExpireTime),
		RegionID:                types.StringValue(region),
		StructureInitialization: types.BoolValue(st.StructureInitialization),
		SynchronizationJobID:    types.StringValue(ids.Instance),
		TwoWay:                  types.BoolValue(twoWay),
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// readDirections lists the job's directions, Forward first. Forward's error
// and delay are those of the job's own status read (the legacy status list
// reports no delay); a failed Reverse direction's are read on their own.
func readDirections(ctx context.Context, jobs jobAPI, ref dtsclient.JobRef, forward *dtsclient.JobStatus) ([]jobDirectionModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	lists, err := jobs.Directions(ctx, ref.RegionID, []string{ref.JobID})
	if err != nil {
		listRef := dtsclient.JobRef{RegionID: ref.RegionID, JobID: ref.JobID, Direction: "all directions"}
		diags.AddError("Unable to Read Synchronization Job Directions", apiErrorDetail("read the directions of", listRef, err))
		return nil, diags
	}
	var found []dtsclient.DirectionStatus
	if i := slices.IndexFunc(lists, func(l dtsclient.JobSummary) bool { return strings.EqualFold(l.JobID, ref.JobID) }); i >= 0 {
		found = lists[i].Directions
	}
	if len(found) == 0 {
		diags.AddWarning("Synchronization Job Directions Not Listed",
			fmt.Sprintf("DTS listed no directions for job %s in region %s, although it described the job. directions "+
				"shows only the Forward direction, and two_way may be false for a two-way job.", ref.JobID, ref.RegionID))
		found = []dtsclient.DirectionStatus{{Direction: dtsclient.DirectionForward, Status: forward.Status, Checkpoint: forward.Checkpoint}}
	}

	out := make([]jobDirectionModel, 0, len(found))
	for i, ds := range found {
		name := dtsclient.CanonicalDirection(ds.Direction)
		if name == "" && i == 0 {
			name = dtsclient.DirectionForward
		}
		m := jobDirectionModel{
			Checkpoint:   int64OrNull(ds.Checkpoint),
			DelaySeconds: delaySecondsOrNull(ds.Delay, ds.DelayReported),
			Direction:    types.StringValue(name),
			Status:       types.StringValue(ds.Status.String()),
		}
		var own *dtsclient.JobStatus
		switch {
		case name == dtsclient.DirectionForward:
			own = forward
		case name == dtsclient.DirectionReverse && ds.Status.IsFailed():
			revRef := ref
			revRef.Direction = dtsclient.DirectionReverse
			if own, err = jobs.Describe(ctx, revRef); err != nil {
				diags.AddError("Unable to Read Synchronization Job", apiErrorDetail("read the status of", revRef, err))
				return nil, diags
			}
		}
		if own != nil {
			m.ErrorMessage = stringOrNull(own.ErrorMessage)
			if own.DelayReported {
				m.DelaySeconds = delaySecondsOrNull(own.Delay, true)
			}
		}
		out = append(out, m)
	}
	// Forward, then Reverse, then any direction the provider does not know.
	rank := func(m jobDirectionModel) int {
		if i := slices.Index([]string{dtsclient.DirectionForward, dtsclient.DirectionReverse}, m.Direction.ValueString()); i >= 0 {
			return i
		}
		return 2
	}
	slices.SortStableFunc(out, func(a, b jobDirectionModel) int { return rank(a) - rank(b) })
	tflog.Debug(ctx, "read synchronization job", map[string]any{
		"job_id": ref.JobID, "region": ref.RegionID, "status": forward.Status, "directions": len(out),
	})
	return out, diags
}
