package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

// refreshStatus reads what Read needs to refresh a resource. With batching on
// it takes the direction's status from the batcher and carries job_name and
// pay_type over from the prior state; it falls back to one
// DescribeSynchronizationJobStatus, exactly as without batching, when:
//   - the prior state has no job_name or pay_type yet (after an import);
//   - the batched call failed, or its answer does not list the job or the
//     direction (the single read then confirms that the job is gone);
//   - the status is not steady (the warning needs the job's ErrorMessage);
//   - the status changed since the last refresh, so that the plan that may
//     act on the change sees current job_name and pay_type (the billing
//     warning);
//   - the direction is paused, suspended_at is not known yet, and the answer
//     carries no checkpoint to estimate it from.
//
// The result is the JobStatus that setObserved turns into the same state a
// single read would produce.
func (r *synchronizationJobStateResource) refreshStatus(ctx context.Context, c *dtsclient.Client, ref dtsclient.JobRef,
	prior *synchronizationJobStateModel) (*dtsclient.JobStatus, error) {
	b := r.data.batcher
	if b == nil || !wasRead(prior.PayType) || !wasRead(prior.JobName) {
		return c.DescribeSynchronizationJobStatus(ctx, ref)
	}
	ds, found, err := b.Get(ctx, ref.RegionID, ref.JobID, ref.Direction)
	switch {
	case errors.Is(err, errBatchUnavailable):
		return c.DescribeSynchronizationJobStatus(ctx, ref)
	case err != nil:
		// The caller's context ended.
		return nil, err
	case !found:
		tflog.Debug(ctx, "job not in the batched answer; confirming with a single read", map[string]any{"job_id": ref.JobID, "direction": ref.Direction})
		return c.DescribeSynchronizationJobStatus(ctx, ref)
	}
	if !ds.Status.IsSteady() || ds.Status.String() != prior.Status.ValueString() ||
		ds.Status.IsPaused() && ds.Checkpoint <= 0 && prior.SuspendedAt.ValueString() == "" {
		return c.DescribeSynchronizationJobStatus(ctx, ref)
	}
	return &dtsclient.JobStatus{
		JobID:      ref.JobID,
		Direction:  ref.Direction,
		Status:     ds.Status,
		Checkpoint: ds.Checkpoint,
		PayType:    prior.PayType.ValueString(),
		Name:       prior.JobName.ValueString(),
	}, nil
}

// wasRead reports whether a value was set by an earlier read.
func wasRead(v types.String) bool {
	return !v.IsNull() && !v.IsUnknown()
}
