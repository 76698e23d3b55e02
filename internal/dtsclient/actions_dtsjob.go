package dtsclient

import (
	"cmp"
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
	dtsJobID, instanceID := strings.TrimSpace(ref.DtsJobID), strings.TrimSpace(ref.JobID)
	var ids []param
	if dtsJobID != "" {
		ids = append(ids, param{"DtsJobId", dtsJobID})
	}
	if instanceID != "" {
		ids = append(ids, param{instanceParam, instanceID})
	}
	missing := ""
	if ids == nil {
		missing = "a task ID (DtsJobId) or an instance ID (DtsInstanceId) is required"
	}
	return jobCall(action, cmp.Or(dtsJobID, instanceID), ref, ids, missing)
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
	out, err := invoke[wireDtsJobDetail](ctx, c, m, params)
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
	m, params, ae := dtsJobCall("SuspendDtsJob", "DtsInstanceId", ref)
	return c.command(ctx, m, params, ae)
}

// StartDtsJob starts or resumes one direction of a job (maintained family).
func (c *Client) StartDtsJob(ctx context.Context, ref JobRef) (requestID string, err error) {
	m, params, ae := dtsJobCall("StartDtsJob", "DtsInstanceId", ref)
	return c.command(ctx, m, params, ae)
}

func oneWayHint(direction string) string {
	if direction == DirectionReverse {
		return " (is it one-way?)"
	}
	return ""
}
