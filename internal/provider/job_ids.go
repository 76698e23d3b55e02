package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

// A job has two IDs (docs/development/dts-api.md §5.4, §11): the instance ID
// (synchronization_job_id, "dts…", the legacy SynchronizationJobId and the
// maintained DtsInstanceId) and the task ID (dts_job_id, DtsJobId, the ID
// alicloud_dts_synchronization_job and the console show). Users give
// either or both; the other is read from DTS. dts_job_id is the task ID of
// the job's Forward direction, and Reverse is chosen by
// SynchronizationDirection, as the alicloud provider does.

// jobIDs are the IDs a configuration gives; "" when not given.
type jobIDs struct {
	Instance string
	Task     string
}

// label names a job in messages: by the instance ID when known, as every
// message did before task IDs, else by the task ID.
func (ids jobIDs) label() string {
	if ids.Instance != "" {
		return ids.Instance
	}
	return "with task ID " + ids.Task
}

// lookupRef is the ref that reads a job to resolve or check its IDs: by the
// instance ID when given (every family takes it), else by the task ID. Only
// one ID is sent, so that a mismatch is reported as one, not as a job that
// does not exist.
func (ids jobIDs) lookupRef(region, direction string) dtsclient.JobRef {
	ref := dtsclient.JobRef{RegionID: region, JobID: ids.Instance, Direction: direction}
	if ids.Instance == "" {
		ref.DtsJobID = ids.Task
	}
	return ref
}

// checkJobIDs is every check of a job's IDs that needs no call: the shape of
// each ID given, that one is given, and that the provider's family reads a
// job by its task ID alone. The resource and the actions run it before their
// first call.
func checkJobIDs(ids jobIDs, jobs jobAPI) diag.Diagnostics {
	var diags diag.Diagnostics
	if ids.Instance != "" {
		if err := validateJobID(ids.Instance); err != nil {
			diags.AddAttributeError(path.Root("synchronization_job_id"), "Invalid Synchronization Job ID", "synchronization_job_id "+err.Error())
		}
	}
	if ids.Task != "" {
		if err := validateDtsJobID(ids.Task); err != nil {
			diags.AddAttributeError(path.Root("dts_job_id"), "Invalid DTS Task ID", "dts_job_id "+err.Error())
		}
	}
	if ids.Instance == "" && ids.Task == "" {
		diags.AddAttributeError(path.Root("synchronization_job_id"), "Missing Job ID",
			"Set synchronization_job_id (the instance ID, dts…), dts_job_id (the task ID), or both.")
	}
	diags.Append(taskIDNeedsFamily(path.Root("dts_job_id"), ids, jobs)...)
	return diags
}

// taskIDNeedsFamily is the error for a job named by task ID alone while the
// provider uses only the legacy family, which takes no task ID. It is found
// before any call.
func taskIDNeedsFamily(attr path.Path, ids jobIDs, jobs jobAPI) diag.Diagnostics {
	var diags diag.Diagnostics
	if ids.Instance != "" || ids.Task == "" || jobs.ReadsByTaskID() {
		return diags
	}
	diags.AddAttributeError(attr, "Task ID Needs the Maintained DTS API",
		fmt.Sprintf("dts_job_id = %q names the job by its task ID, but the provider's api = %q uses only the legacy "+
			"SynchronizationJob actions, which take the instance ID alone. Set synchronization_job_id to the job's instance "+
			"ID (dts…, as DescribeSynchronizationJobs and the console's instance list show it), or set api = %q or %q in the "+
			"provider block.", ids.Task, jobs.Mode(), apiAuto, apiDtsJob))
	return diags
}

// resolveIDs returns both IDs of a job: those given, and the other as DTS
// reports it in st, the answer of a read by ids.lookupRef. An ID DTS does not
// report stays "". When both were given and DTS says they name different
// jobs, the error names both.
func resolveIDs(ids jobIDs, st *dtsclient.JobStatus) (jobIDs, error) {
	got := jobIDs{Instance: strings.TrimSpace(st.JobID), Task: strings.TrimSpace(st.DtsJobID)}
	out := ids
	if out.Instance == "" {
		out.Instance = got.Instance
	}
	if out.Task == "" {
		out.Task = got.Task
	}
	if ids.Instance != "" && ids.Task != "" && got.Task != "" && got.Task != ids.Task {
		return out, &idMismatchError{Given: ids, Reported: got.Task}
	}
	return out, nil
}

// idMismatchError is a synchronization_job_id and a dts_job_id of different jobs.
type idMismatchError struct {
	Given    jobIDs
	Reported string // the task ID DTS reports for Given.Instance
}

func (e *idMismatchError) Error() string {
	return fmt.Sprintf("synchronization_job_id = %q and dts_job_id = %q name different jobs: DTS reports task ID %q for "+
		"instance %s. Set only one of the two, or both to the IDs of the same job", e.Given.Instance, e.Given.Task, e.Reported, e.Given.Instance)
}

// idMismatchDiag reports an idMismatchError on dts_job_id.
func idMismatchDiag(err *idMismatchError) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root("dts_job_id"), "Job IDs Name Different Jobs", err.Error()+".")
}

// describeIDs reads the job's Forward direction to resolve its IDs (see
// resolveIDs). It returns the answer for callers that read Forward anyway.
func describeIDs(ctx context.Context, jobs jobAPI, region string, ids jobIDs) (jobIDs, *dtsclient.JobStatus, error) {
	return readIDs(ctx, jobs.Describe, region, ids)
}

// readIDs is describeIDs with the read given: a plan reads through
// sharedJobs.PlanStatus.
func readIDs(ctx context.Context, read func(context.Context, dtsclient.JobRef) (*dtsclient.JobStatus, error), region string,
	ids jobIDs) (jobIDs, *dtsclient.JobStatus, error) {
	st, err := read(ctx, ids.lookupRef(region, dtsclient.DirectionForward))
	if err != nil {
		return ids, nil, err
	}
	resolved, err := resolveIDs(ids, st)
	return resolved, st, err
}
