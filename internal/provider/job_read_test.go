package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts/fakedtstest"
)

// batchPriorModel is the state a single read of a running or paused PostPaid
// job leaves, as batchTestJob builds it.
func batchPriorModel(jobID, direction, status string) synchronizationJobStateModel {
	return synchronizationJobStateModel{
		DtsJobID:                 types.StringValue(batchTestTaskID(jobID)),
		ID:                       types.StringValue(resourceID(jobID, direction)),
		JobName:                  types.StringValue("orders-" + jobID),
		PayType:                  types.StringValue("PostPaid"),
		RegionID:                 types.StringValue(batchTestRegion),
		ResumeOnDestroy:          types.BoolValue(false),
		State:                    types.StringValue(dtsclient.Status(status).DeclaredState()),
		Status:                   types.StringValue(status),
		SuspendedAt:              types.StringNull(),
		SynchronizationDirection: types.StringValue(direction),
		SynchronizationJobID:     types.StringValue(jobID),
	}
}

// batchImportedModel is the state ImportState leaves before the first Read.
func batchImportedModel(jobID, direction string) synchronizationJobStateModel {
	return synchronizationJobStateModel{
		DtsJobID:                 types.StringNull(),
		ID:                       types.StringValue(resourceID(jobID, direction)),
		JobName:                  types.StringNull(),
		PayType:                  types.StringNull(),
		RegionID:                 types.StringNull(),
		ResumeOnDestroy:          types.BoolValue(false),
		State:                    types.StringNull(),
		Status:                   types.StringNull(),
		SuspendedAt:              types.StringNull(),
		SynchronizationDirection: types.StringValue(direction),
		SynchronizationJobID:     types.StringValue(jobID),
	}
}

// runBatchRead runs the resource's Read on prior as the framework would; the
// result is nil when Read removed the resource. It is safe to call from
// several goroutines.
func runBatchRead(t *testing.T, r *synchronizationJobStateResource, prior synchronizationJobStateModel) (*synchronizationJobStateModel, diag.Diagnostics) {
	t.Helper()
	ctx := context.Background()
	var sresp resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sresp)
	prior.Timeouts = timeouts.Value{Object: types.ObjectNull(sresp.Schema.Attributes["timeouts"].GetType().(timeouts.Type).AttrTypes)}
	st := tfsdk.State{Schema: sresp.Schema, Raw: tftypes.NewValue(sresp.Schema.Type().TerraformType(ctx), nil)}
	if diags := st.Set(ctx, &prior); diags.HasError() {
		t.Errorf("building the prior state: %v", diags)
		return nil, diags
	}
	resp := resource.ReadResponse{State: st}
	r.Read(ctx, resource.ReadRequest{State: st}, &resp)
	if resp.State.Raw.IsNull() {
		return nil, resp.Diagnostics
	}
	var out synchronizationJobStateModel
	if diags := resp.State.Get(ctx, &out); diags.HasError() {
		t.Errorf("reading the new state: %v", diags)
		return nil, diags
	}
	out.Timeouts = timeouts.Value{}
	return &out, resp.Diagnostics
}

// batchDiagText keeps what a user reads of diagnostics, without RequestIds,
// which differ from call to call.
func batchDiagText(diags diag.Diagnostics) []string {
	var out []string
	for _, d := range diags {
		detail := d.Detail()
		if i := strings.Index(detail, "(RequestId"); i >= 0 {
			detail = detail[:i]
		}
		out = append(out, fmt.Sprintf("%s: %s: %s", d.Severity(), d.Summary(), detail))
	}
	return out
}

// Read leaves the same state and diagnostics with batching on as with it
// off, and with batching on makes single reads only where they are needed.
func TestJobRead_batchedMatchesSingle(t *testing.T) {
	t.Parallel()
	paused := batchTestJob("dtspaused01")
	paused.Forward = fakedts.DirectionState{Status: "Suspending", Checkpoint: time.Now().Add(-2 * time.Hour).Unix()}
	failed := batchTestJob("dtsfailed01")
	failed.Forward = fakedts.DirectionState{Status: "Failed", Checkpoint: time.Now().Add(-time.Hour).Unix(), ErrorMessage: "DTS-070211: Connect Source DB failed."}
	twoWay := batchTestJob("dtstwoway02")
	twoWay.TwoWay = true
	twoWay.Reverse = fakedts.DirectionState{Status: "Suspending", Checkpoint: time.Now().Add(-3 * time.Hour).Unix()}
	drifted := batchTestJob("dtsdrifted01")
	lower := batchTestJob("dtslower001")
	lower.LowercaseSynchronizing = true
	prepaid := batchTestJob("dtsprepaid01")
	prepaid.PayType = fakedts.PayTypePrePaid
	f := fakedtstest.NewServer(t, fakedts.Options{
		Jobs: []fakedts.Job{batchTestJob("dtsrunning01"), paused, failed, twoWay, drifted, lower, prepaid}, Seed: 1,
	})

	pausedPrePaid := batchTestJob("dtsprepaid02")
	pausedPrePaid.PayType = fakedts.PayTypePrePaid
	pausedPrePaid.Forward = paused.Forward
	if err := f.AddJob(pausedPrePaid); err != nil {
		t.Fatal(err)
	}
	on := newBatchTestData(t, f.Endpoint(), 0)
	on.shared.statuses.window = 10 * time.Millisecond
	off := newBatchTestData(t, f.Endpoint(), 0)
	off.shared.statuses = nil

	pausedSince := types.StringValue(time.Unix(paused.Forward.Checkpoint, 0).UTC().Format(time.RFC3339))
	withSuspendedAt := batchPriorModel(paused.ID, "Forward", "Suspending")
	withSuspendedAt.SuspendedAt = types.StringValue("2026-01-02T03:04:05Z")
	prepaidPrior := batchPriorModel(prepaid.ID, "Forward", "Synchronizing")
	prepaidPrior.PayType = types.StringValue("PrePaid")
	pausedPrePaidPrior := batchPriorModel(pausedPrePaid.ID, "Forward", "Suspending")
	pausedPrePaidPrior.PayType = types.StringValue("PrePaid")
	pausedPrePaidPrior.SuspendedAt = withSuspendedAt.SuspendedAt

	// A state written before dts_job_id existed.
	earlier := func(m synchronizationJobStateModel) synchronizationJobStateModel {
		m.DtsJobID = types.StringNull()
		return m
	}

	cases := map[string]struct {
		prior         synchronizationJobStateModel
		wantSingles   int // with batching on
		wantLists     int // with batching on
		wantRemoved   bool
		wantError     bool
		wantWarning   string
		wantSuspended types.String
	}{
		"running, unchanged":                 {prior: batchPriorModel("dtsrunning01", "Forward", "Synchronizing"), wantLists: 1},
		"running, lowercase status from DTS": {prior: batchPriorModel(lower.ID, "Forward", "Synchronizing"), wantLists: 1},
		"PrePaid, unchanged":                 {prior: prepaidPrior, wantLists: 1},
		"paused, suspended_at estimated":     {prior: batchPriorModel(paused.ID, "Forward", "Suspending"), wantLists: 1, wantSuspended: pausedSince},
		"paused PrePaid, suspended_at kept":  {prior: pausedPrePaidPrior, wantLists: 1, wantSuspended: withSuspendedAt.SuspendedAt},
		// pay_type decides the billing warning of a long pause: read it now.
		"paused PostPaid for long: read alone":  {prior: withSuspendedAt, wantLists: 1, wantSingles: 1, wantSuspended: withSuspendedAt.SuspendedAt},
		"two-way, reverse paused":               {prior: batchPriorModel(twoWay.ID, "Reverse", "Suspending"), wantLists: 1, wantSuspended: types.StringValue(time.Unix(twoWay.Reverse.Checkpoint, 0).UTC().Format(time.RFC3339))},
		"two-way, forward running":              {prior: batchPriorModel(twoWay.ID, "Forward", "Synchronizing"), wantLists: 1},
		"drift: resumed out of band":            {prior: batchPriorModel(drifted.ID, "Forward", "Suspending"), wantLists: 1, wantSingles: 1},
		"failed: the warning has DTS's message": {prior: batchPriorModel(failed.ID, "Forward", "Synchronizing"), wantLists: 1, wantSingles: 1, wantWarning: "DTS-070211: Connect Source DB failed."},
		"imported: one single read, no list":    {prior: batchImportedModel(paused.ID, "Forward"), wantSingles: 1, wantSuspended: pausedSince},
		"deleted job: confirmed, then removed":  {prior: batchPriorModel("dtsdeleted01", "Forward", "Synchronizing"), wantLists: 1, wantSingles: 1, wantRemoved: true, wantWarning: "no longer exists"},
		"reverse of a one-way job":              {prior: batchPriorModel("dtsrunning01", "Reverse", "Synchronizing"), wantLists: 1, wantSingles: 1, wantError: true},
		// The task ID is read once, from the Forward direction.
		"earlier release, forward: one single read": {prior: earlier(batchPriorModel("dtsrunning01", "Forward", "Synchronizing")), wantSingles: 1},
		"earlier release, reverse: forward read":    {prior: earlier(batchPriorModel(twoWay.ID, "Reverse", "Suspending")), wantLists: 1, wantSingles: 1},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			// Not parallel: the call counts are per case.
			f.ResetCalls()
			gotOn, diagsOn := runBatchRead(t, &synchronizationJobStateResource{data: on}, tc.prior)
			lists, singles := f.CallCount(batchListAction), f.CallCount(batchSingleAction)
			gotOff, diagsOff := runBatchRead(t, &synchronizationJobStateResource{data: off}, tc.prior)

			if diff := cmp.Diff(gotOff, gotOn); diff != "" {
				t.Errorf("state differs with batching on (-off +on):\n%s", diff)
			}
			if diff := cmp.Diff(batchDiagText(diagsOff), batchDiagText(diagsOn)); diff != "" {
				t.Errorf("diagnostics differ with batching on (-off +on):\n%s", diff)
			}
			if lists != tc.wantLists || singles != tc.wantSingles {
				t.Errorf("batching on made %d list and %d single reads, want %d and %d", lists, singles, tc.wantLists, tc.wantSingles)
			}
			if (gotOn == nil) != tc.wantRemoved {
				t.Errorf("removed = %v, want %v", gotOn == nil, tc.wantRemoved)
			}
			if diagsOn.HasError() != tc.wantError {
				t.Errorf("errors: %v", diagsOn)
			}
			if tc.wantWarning != "" && !diagsMention(diagsOn, tc.wantWarning) {
				t.Errorf("no diagnostic mentions %q: %v", tc.wantWarning, diagsOn)
			}
			if gotOn != nil && gotOn.DtsJobID.ValueString() != batchTestTaskID(gotOn.SynchronizationJobID.ValueString()) {
				t.Errorf("dts_job_id = %s, want the job's task ID", gotOn.DtsJobID)
			}
			if gotOn != nil && !tc.wantSuspended.IsNull() && !gotOn.SuspendedAt.Equal(tc.wantSuspended) {
				t.Errorf("suspended_at = %s, want %s", gotOn.SuspendedAt, tc.wantSuspended)
			}
		})
	}
}

// Reads that arrive together are coalesced through Read as well: 30
// concurrent refreshes make one call. The batch is sent when the test says
// (manualTimers), once every read has joined it, so a slow machine cannot
// split it.
func TestJobRead_concurrentRefreshesAreBatched(t *testing.T) {
	t.Parallel()
	jobs := batchTestJobs("dtsmany", 30)
	f := fakedtstest.NewServer(t, fakedts.Options{Jobs: jobs, Seed: 1})
	d := newBatchTestData(t, f.Endpoint(), 0)
	timers := &manualTimers{}
	d.shared.statuses.afterFunc = timers.afterFunc
	r := &synchronizationJobStateResource{data: d}

	done := make(chan struct{})
	for _, j := range jobs {
		go func() {
			defer func() { done <- struct{}{} }()
			got, diags := runBatchRead(t, r, batchPriorModel(j.ID, "Forward", "Synchronizing"))
			if diags.HasError() || got == nil || got.Status.ValueString() != "Synchronizing" {
				t.Errorf("%s: %v %v", j.ID, got, diags)
			}
		}()
	}
	// Each read (re)arms the batch's timer; the latest one sends it.
	waitFor(func() bool { return timers.count() == len(jobs) })
	timers.fire(len(jobs) - 1)
	for range jobs {
		<-done
	}
	if l, s := f.CallCount(batchListAction), f.CallCount(batchSingleAction); l != 1 || s != 0 {
		t.Errorf("%d list and %d single reads for 30 concurrent refreshes, want 1 and 0", l, s)
	}
}
