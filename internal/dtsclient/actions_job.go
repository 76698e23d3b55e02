package dtsclient

import (
	"context"
	"fmt"
	"strings"
)

// jobCall returns the call metadata of a single-job action of either family
// and its parameters: ids, which name the job, then RegionId and
// SynchronizationDirection. missing, unless "", says which ID the call lacks
// and fails it.
func jobCall(action, jobID string, ref JobRef, ids []param, missing string) (callMeta, []param, *APIError) {
	dir, ok := normalizeDirection(ref.Direction)
	m := callMeta{action: action, jobID: jobID, direction: dir, regionID: strings.TrimSpace(ref.RegionID)}
	if missing != "" {
		return m, nil, m.invalid("%s", missing)
	}
	if !ok {
		return m, nil, m.invalid("direction %q must be %s or %s", ref.Direction, DirectionForward, DirectionReverse)
	}
	params := ids
	if m.regionID != "" {
		params = append(params, param{"RegionId", m.regionID})
	}
	if dir != "" {
		params = append(params, param{"SynchronizationDirection", dir})
	}
	return m, params, nil
}

// legacyJobCall validates ref for the single-job actions of the legacy
// family, which take only the instance ID.
func legacyJobCall(action string, ref JobRef) (callMeta, []param, *APIError) {
	jobID := strings.TrimSpace(ref.JobID)
	missing := ""
	if jobID == "" {
		missing = "job ID is required"
		if id := strings.TrimSpace(ref.DtsJobID); id != "" {
			missing = fmt.Sprintf("the legacy actions take the instance ID (SynchronizationJobId, dts…), not only the task ID %q", id)
		}
	}
	return jobCall(action, jobID, ref, []param{{"SynchronizationJobId", jobID}}, missing)
}

// DescribeSynchronizationJobStatus reads the status of one direction of a job.
func (c *Client) DescribeSynchronizationJobStatus(ctx context.Context, ref JobRef) (*JobStatus, error) {
	m, params, ae := legacyJobCall("DescribeSynchronizationJobStatus", ref)
	if ae != nil {
		return nil, ae
	}
	out, err := invoke[wireJobStatus](ctx, c, m, params)
	if err != nil {
		return nil, err
	}
	return out.model(), nil
}

// SuspendSynchronizationJob pauses a Synchronizing job.
func (c *Client) SuspendSynchronizationJob(ctx context.Context, ref JobRef) (requestID string, err error) {
	m, params, ae := legacyJobCall("SuspendSynchronizationJob", ref)
	return c.command(ctx, m, params, ae)
}

// StartSynchronizationJob starts or resumes a NotStarted, Failed or Suspending job.
func (c *Client) StartSynchronizationJob(ctx context.Context, ref JobRef) (requestID string, err error) {
	m, params, ae := legacyJobCall("StartSynchronizationJob", ref)
	return c.command(ctx, m, params, ae)
}

// command sends a Suspend or Start of either family, unless ae says its
// input is invalid, and returns its RequestId.
func (c *Client) command(ctx context.Context, m callMeta, params []param, ae *APIError) (string, error) {
	if ae != nil {
		return "", ae
	}
	out, err := invoke[wireResult](ctx, c, m, params)
	if err != nil {
		return "", err
	}
	return string(out.RequestID), nil
}
