package dtsclient

import (
	"context"
	"strings"
)

// jobCall validates ref and returns the call metadata and common parameters of
// the single-job actions.
func jobCall(action string, ref JobRef) (callMeta, []param, *APIError) {
	jobID := strings.TrimSpace(ref.JobID)
	dir, ok := normalizeDirection(ref.Direction)
	m := callMeta{action: action, jobID: jobID, direction: dir, regionID: strings.TrimSpace(ref.RegionID)}
	if jobID == "" {
		if strings.TrimSpace(ref.DtsJobID) != "" {
			return m, nil, m.invalid("the legacy actions take the instance ID (SynchronizationJobId, dts…), not only the task ID %q", strings.TrimSpace(ref.DtsJobID))
		}
		return m, nil, m.invalid("job ID is required")
	}
	if !ok {
		return m, nil, m.invalid("direction %q must be %s or %s", ref.Direction, DirectionForward, DirectionReverse)
	}
	params := []param{{"SynchronizationJobId", jobID}}
	if m.regionID != "" {
		params = append(params, param{"RegionId", m.regionID})
	}
	if dir != "" {
		params = append(params, param{"SynchronizationDirection", dir})
	}
	return m, params, nil
}

// DescribeSynchronizationJobStatus reads the status of one direction of a job.
func (c *Client) DescribeSynchronizationJobStatus(ctx context.Context, ref JobRef) (*JobStatus, error) {
	m, params, ae := jobCall("DescribeSynchronizationJobStatus", ref)
	if ae != nil {
		return nil, ae
	}
	out, err := call[wireJobStatus](ctx, c, m, params)
	if err != nil {
		return nil, err
	}
	return out.model(), nil
}

// SuspendSynchronizationJob pauses a Synchronizing job.
func (c *Client) SuspendSynchronizationJob(ctx context.Context, ref JobRef) (requestID string, err error) {
	return c.jobCommand(ctx, "SuspendSynchronizationJob", ref)
}

// StartSynchronizationJob starts or resumes a NotStarted, Failed or Suspending job.
func (c *Client) StartSynchronizationJob(ctx context.Context, ref JobRef) (requestID string, err error) {
	return c.jobCommand(ctx, "StartSynchronizationJob", ref)
}

func (c *Client) jobCommand(ctx context.Context, action string, ref JobRef) (string, error) {
	m, params, ae := jobCall(action, ref)
	if ae != nil {
		return "", ae
	}
	out, err := call[wireResult](ctx, c, m, params)
	if err != nil {
		return "", err
	}
	return string(out.RequestID), nil
}
