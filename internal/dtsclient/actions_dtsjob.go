package dtsclient

import (
	"context"
	"errors"
	"strings"
)

// ErrDirectionNotFound is wrapped when DTS answers a Reverse read with only a
// Forward task: the job is one-way, or DTS did not say.
var ErrDirectionNotFound = errors.New("DTS answered without a task for the requested direction")

// dtsJobCall validates ref and returns the call metadata and parameters of the
// single-job actions of the maintained family. instanceParam is the spelling
// of the instance ID parameter: DtsInstanceId, except DescribeDtsJobDetail's
// DtsInstanceID (docs/development/dts-api.md §5.4). Both IDs are sent when both are given.
func dtsJobCall(action, instanceParam string, ref JobRef) (callMeta, []param, *APIError) {
	dtsJobID := strings.TrimSpace(ref.DtsJobID)
	instanceID := strings.TrimSpace(ref.JobID)
	dir, ok := normalizeDirection(ref.Direction)
	m := callMeta{action: action, jobID: firstNonEmpty(dtsJobID, instanceID), direction: dir, regionID: strings.TrimSpace(ref.RegionID)}
	if dtsJobID == "" && instanceID == "" {
		return m, nil, m.invalid("a task ID (DtsJobId) or an instance ID (DtsInstanceId) is required")
	}
	if !ok {
		return m, nil, m.invalid("direction %q must be %s or %s", ref.Direction, DirectionForward, DirectionReverse)
	}
	var params []param
	if dtsJobID != "" {
		params = append(params, param{"DtsJobId", dtsJobID})
	}
	if instanceID != "" {
		params = append(params, param{instanceParam, instanceID})
	}
	if m.regionID != "" {
		params = append(params, param{"RegionId", m.regionID})
	}
	if dir != "" {
		params = append(params, param{"SynchronizationDirection", dir})
	}
	return m, params, nil
}

// DescribeDtsJobDetail reads the status of one direction of a job through the
// maintained family. Delay (milliseconds here) fills DelayMillis and
// DelaySeconds; Checkpoint is Unix seconds. A Reverse read that DTS answers
// with only a Forward task fails with ErrDirectionNotFound.
func (c *Client) DescribeDtsJobDetail(ctx context.Context, ref JobRef) (*JobStatus, error) {
	m, params, ae := dtsJobCall("DescribeDtsJobDetail", "DtsInstanceID", ref)
	if ae != nil {
		return nil, ae
	}
	out, err := call[wireDtsJobDetail](ctx, c, m, params)
	if err != nil {
		return nil, err
	}
	st, ok := out.model(m.direction)
	if !ok {
		return nil, m.fail(&APIError{
			HTTPStatus: 200,
			RequestID:  string(out.RequestID),
			Message:    "DTS described no " + m.direction + " task of this job" + oneWayHint(m.direction),
			Err:        ErrDirectionNotFound,
		})
	}
	return st, nil
}

// SuspendDtsJob pauses one direction of a running job (maintained family).
func (c *Client) SuspendDtsJob(ctx context.Context, ref JobRef) (requestID string, err error) {
	return c.dtsJobCommand(ctx, "SuspendDtsJob", ref)
}

// StartDtsJob starts or resumes one direction of a job (maintained family).
func (c *Client) StartDtsJob(ctx context.Context, ref JobRef) (requestID string, err error) {
	return c.dtsJobCommand(ctx, "StartDtsJob", ref)
}

func (c *Client) dtsJobCommand(ctx context.Context, action string, ref JobRef) (string, error) {
	m, params, ae := dtsJobCall(action, "DtsInstanceId", ref)
	if ae != nil {
		return "", ae
	}
	out, err := call[wireResult](ctx, c, m, params)
	if err != nil {
		return "", err
	}
	return string(out.RequestID), nil
}

func oneWayHint(direction string) string {
	if direction == DirectionReverse {
		return " (is it one-way?)"
	}
	return ""
}
