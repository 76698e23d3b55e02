package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

// A job has two IDs (docs/development/dts-api.md §5.4, §11): the instance ID
// (synchronization_job_id, "dts…", the legacy SynchronizationJobId and the
// maintained DtsInstanceId) and the task ID (dts_job_id, DtsJobId, as
// alicloud_dts_synchronization_job and the console show it). Users give
// either or both; the other is read from DTS. dts_job_id is the task ID of
// the Forward direction; Reverse is chosen by SynchronizationDirection, as
// the alicloud provider does.

// What the resource and the actions say of the two ID attributes; each adds what a mismatch does there.
const (
	taskIDDoc = "Task ID of the job (`DtsJobId`), e.g. `l3m1213ye7lxxxx`: what the DTS console shows as the task ID and " +
		"what `alicloud_dts_synchronization_job`'s `id` holds. Give it, `synchronization_job_id`, or both (they must " +
		"name the same job; a mismatch fails the "
	taskIDNeedsAPIDoc = "Needs `api = \"auto\"` or `\"dts_job\"` when `synchronization_job_id` is not given."
	instanceIDDoc     = "Instance ID of the job, e.g. `dtsmr1q4mc2152xxxx` (`SynchronizationJobId`, `DtsInstanceId`), as " +
		"`DescribeSynchronizationJobs` and the DTS console's instance list show it. Give it, `dts_job_id`, or both"
)

// jobIDs are the IDs a configuration gives; "" when not given.
type jobIDs struct {
	Instance string
	Task     string
}

// lookupRef reads a job by one ID only, the instance ID when given (every
// family takes it), so that a mismatch is reported as one, not as a job that
// does not exist.
func (ids jobIDs) lookupRef(region, direction string) dtsclient.JobRef {
	ref := dtsclient.JobRef{RegionID: region, JobID: ids.Instance, Direction: direction}
	if ids.Instance == "" {
		ref.DtsJobID = ids.Task
	}
	return ref
}

// checkJobIDs is every check of a job's IDs that needs no call; the resource
// and the actions run it before their first call.
func checkJobIDs(ids jobIDs, jobs jobAPI) diag.Diagnostics {
	var diags diag.Diagnostics
	if ids.Instance != "" {
		if err := dtsclient.ValidateInstanceID(ids.Instance); err != nil {
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

// taskIDNeedsFamily rejects a job named by task ID alone while the provider
// uses only the legacy family, which takes no task ID.
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

// idMismatchError is a synchronization_job_id and a dts_job_id of different jobs.
type idMismatchError struct {
	Given    jobIDs
	Reported string // the task ID DTS reports for Given.Instance
}

func (e *idMismatchError) Error() string {
	return fmt.Sprintf("synchronization_job_id = %q and dts_job_id = %q name different jobs: DTS reports task ID %q for "+
		"instance %s. Set only one of the two, or both to the IDs of the same job", e.Given.Instance, e.Given.Task, e.Reported, e.Given.Instance)
}

// idMismatchDiag is the error of a read that found the two IDs naming
// different jobs; nil for any other err.
func idMismatchDiag(err error) diag.Diagnostic {
	var mismatch *idMismatchError
	if !errors.As(err, &mismatch) {
		return nil
	}
	return diag.NewAttributeErrorDiagnostic(path.Root("dts_job_id"), "Job IDs Name Different Jobs", mismatch.Error()+".")
}

// readIDs reads the job's Forward direction with read (a plan's reads go
// through sharedJobs.PlanStatus) and returns both its IDs: those given, and
// the other as DTS reports it ("" when it does not), with the answer for
// callers that read Forward anyway. Two given IDs that DTS says name
// different jobs are an *idMismatchError.
func readIDs(ctx context.Context, read func(context.Context, dtsclient.JobRef) (*dtsclient.JobStatus, error), region string,
	ids jobIDs) (jobIDs, *dtsclient.JobStatus, error) {
	st, err := read(ctx, ids.lookupRef(region, dtsclient.DirectionForward))
	if err != nil {
		return ids, nil, err
	}
	got := jobIDs{Instance: strings.TrimSpace(st.JobID), Task: strings.TrimSpace(st.DtsJobID)}
	out := ids
	if out.Instance == "" {
		out.Instance = got.Instance
	}
	if out.Task == "" {
		out.Task = got.Task
	}
	if ids.Instance != "" && ids.Task != "" && got.Task != "" && got.Task != ids.Task {
		return out, st, &idMismatchError{Given: ids, Reported: got.Task}
	}
	return out, st, nil
}

const importIDFormats = "<job_id>, <job_id>:<direction>, <region_id>/<job_id> or <region_id>/<job_id>:<direction>, " +
	"where job_id is the instance ID (dts…) or the task ID (dts_job_id) and direction is Forward or Reverse " +
	"(for example dtsmr1q4mc2152xxxx:Reverse, cn-hangzhou/dtsmr1q4mc2152xxxx or cn-hangzhou/mr1q4mc2152xxxx)"

// importID is a parsed import ID: JobID (an instance ID) or TaskID is set.
type importID struct {
	Region    string
	JobID     string
	TaskID    string
	Direction string
}

// resourceID is the ID the resource stores: "<job_id>:<direction>".
func resourceID(jobID, direction string) string { return jobID + ":" + direction }

// parseImportID accepts the formats in importIDFormats. Spaces around the ID
// (a copy from the console) are dropped; spaces inside it are not accepted.
func parseImportID(raw string) (importID, error) {
	fail := func(why string) (importID, error) {
		return importID{}, fmt.Errorf("unexpected import ID %q: %s; expected %s", raw, why, importIDFormats)
	}
	id := importID{Direction: dtsclient.DirectionForward}
	rest := strings.TrimSpace(raw)
	if region, after, ok := strings.Cut(rest, "/"); ok {
		if err := validateRegion(region); err != nil {
			return fail(err.Error())
		}
		id.Region, rest = region, after
	}
	if job, dir, ok := strings.Cut(rest, ":"); ok {
		if dir != dtsclient.DirectionForward && dir != dtsclient.DirectionReverse {
			return fail(fmt.Sprintf("direction %q is not Forward or Reverse (the case matters)", dir))
		}
		id.Direction, rest = dir, job
	}
	if dtsclient.IsTaskIDForm(rest) {
		id.TaskID = rest
		return id, nil
	}
	if err := dtsclient.ValidateInstanceID(rest); err != nil {
		return fail("job ID " + err.Error())
	}
	id.JobID = rest
	return id, nil
}
