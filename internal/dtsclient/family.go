package dtsclient

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Family is one of the two DTS action families that drive a synchronization
// job's run state (docs/development/dts-api.md §5.1, §5.4, §11). Both answer in the same
// normalised types (JobStatus, JobSummary, JobDirections).
type Family string

const (
	// FamilyDtsJob is the maintained family: DescribeDtsJobDetail,
	// SuspendDtsJob, StartDtsJob and DescribeDtsJobs.
	FamilyDtsJob Family = "DtsJob"
	// FamilySynchronizationJob is the legacy family ("no longer maintained"):
	// DescribeSynchronizationJobStatus, SuspendSynchronizationJob,
	// StartSynchronizationJob, DescribeSynchronizationJobs.
	FamilySynchronizationJob Family = "SynchronizationJob"
)

// JobActions is the run-state API of one family, so callers choose the family
// in one place and call the same methods whatever it is.
type JobActions interface {
	Family() Family
	// DescribeJob reads the status of one direction of a job.
	DescribeJob(ctx context.Context, ref JobRef) (*JobStatus, error)
	// SuspendJob pauses one direction; it returns the RequestId.
	SuspendJob(ctx context.Context, ref JobRef) (requestID string, err error)
	// StartJob starts or resumes one direction; it returns the RequestId.
	StartJob(ctx context.Context, ref JobRef) (requestID string, err error)
	// ListJobs reads every page of the region's synchronization jobs.
	ListJobs(ctx context.Context, in ListJobsInput) ([]JobSummary, error)
}

// Actions returns the run-state API of family f on this client.
func (c *Client) Actions(f Family) (JobActions, error) {
	switch f {
	case FamilyDtsJob:
		return dtsJobActions{c}, nil
	case FamilySynchronizationJob:
		return synchronizationJobActions{c}, nil
	}
	return nil, fmt.Errorf("dtsclient: unknown action family %q (want %s or %s)", f, FamilyDtsJob, FamilySynchronizationJob)
}

type dtsJobActions struct{ c *Client }

func (dtsJobActions) Family() Family { return FamilyDtsJob }
func (a dtsJobActions) DescribeJob(ctx context.Context, ref JobRef) (*JobStatus, error) {
	return a.c.DescribeDtsJobDetail(ctx, ref)
}
func (a dtsJobActions) SuspendJob(ctx context.Context, ref JobRef) (string, error) {
	return a.c.SuspendDtsJob(ctx, ref)
}
func (a dtsJobActions) StartJob(ctx context.Context, ref JobRef) (string, error) {
	return a.c.StartDtsJob(ctx, ref)
}
func (a dtsJobActions) ListJobs(ctx context.Context, in ListJobsInput) ([]JobSummary, error) {
	return a.c.ListAllDtsJobs(ctx, ListDtsJobsInput{RegionID: in.RegionID, Name: in.Name, Tags: in.Tags, PageSize: in.PageSize, PageNumber: in.PageNumber})
}

type synchronizationJobActions struct{ c *Client }

func (synchronizationJobActions) Family() Family { return FamilySynchronizationJob }
func (a synchronizationJobActions) DescribeJob(ctx context.Context, ref JobRef) (*JobStatus, error) {
	return a.c.DescribeSynchronizationJobStatus(ctx, ref)
}
func (a synchronizationJobActions) SuspendJob(ctx context.Context, ref JobRef) (string, error) {
	return a.c.SuspendSynchronizationJob(ctx, ref)
}
func (a synchronizationJobActions) StartJob(ctx context.Context, ref JobRef) (string, error) {
	return a.c.StartSynchronizationJob(ctx, ref)
}
func (a synchronizationJobActions) ListJobs(ctx context.Context, in ListJobsInput) ([]JobSummary, error) {
	return a.c.ListAllSynchronizationJobs(ctx, in)
}

// idParameters are the request parameters that name the job; an
// InvalidParameter error whose DynamicMessage names one of them says the
// family does not accept this job's ID.
var idParameters = map[string]bool{
	"dtsjobid": true, "dtsinstanceid": true, "synchronizationjobid": true, "dtsjobids": true,
}

// IsUnknownToFamily reports whether the family that answered does not know
// this job, or does not offer the action, so the other family may: the rule
// behind the provider's automatic fallback. It is true for
//   - a job it does not know: InvalidJobId (legacy) and Forbidden.InstanceNotFound
//     (maintained), docs/development/dts-api.md §11 "Not found", the answers either family is
//     expected to give for a job the other one created (UNCONFIRMED, §11 "IDs");
//   - InvalidParameter naming the ID parameter in DynamicMessage (§8: "The Value
//     of Input Parameter %s is not valid." + DtsJobId), the maintained
//     family's answer to an ID it does not take;
//   - an action DTS does not offer here: InvalidApi.NotFound, InvalidAction.NotFound
//     (and InvalidAction), or Unsupported*/NotSupported* codes.
//
// It is false for an action the credential may not call
// (IsAuthorizationFailure): trying the other family would walk around a RAM
// policy, and its "not found" would read a live job as deleted. It is false
// too for everything that says something about the job itself: a job-state
// conflict (Forbidden.JobStatusLocked too), throttling, arrears (LXBuyError),
// server errors, invalid input rejected before sending, and a done context.
// When both families answer true, the job does not exist.
func IsUnknownToFamily(err error) bool {
	ae, ok := errors.AsType[*APIError](err)
	if !ok || ae.Code == "" || IsJobStateConflict(err) || isThrottleCode(ae.Code) {
		return false
	}
	c := strings.ToLower(ae.Code)
	switch {
	case IsNotFound(err):
		return true
	case c == "invalidparameter" || strings.HasPrefix(c, "invalidparameter."):
		return idParameters[strings.ToLower(strings.TrimSpace(ae.dynamicMessage))]
	case c == "invalidapi.notfound" || c == "invalidaction.notfound" || c == "invalidaction":
		return true
	case strings.HasPrefix(c, "unsupported") || strings.HasPrefix(c, "notsupported"):
		return true
	}
	return false
}

// IsAuthorizationFailure reports whether DTS refused the call because the
// credential may not make it: Forbidden, Forbidden.* (such as Forbidden.RAM),
// NoPermission* and AccessDenied*, except the Forbidden.* codes that speak
// about the job (Forbidden.InstanceNotFound, Forbidden.JobStatus*).
func IsAuthorizationFailure(err error) bool {
	ae, ok := errors.AsType[*APIError](err)
	if !ok || ae.Code == "" || IsNotFound(err) || IsJobStateConflict(err) || isThrottleCode(ae.Code) {
		return false
	}
	c := strings.ToLower(ae.Code)
	return c == "forbidden" || strings.HasPrefix(c, "forbidden.") || strings.HasPrefix(c, "nopermission") ||
		strings.HasPrefix(c, "accessdenied")
}
