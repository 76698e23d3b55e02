package fakedts

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
)

// Behavior picks, for each point the DTS documentation leaves open, the
// answer the fake gives (ASSUMPTIONS.md says which sources back each
// default). The zero value is the default profile.
type Behavior struct {
	// RejectRepeatedChange answers a Suspend or Start that repeats a change
	// still pending with the job-state conflict (InvalidJobStatus) instead of
	// accepting it again.
	RejectRepeatedChange bool
	// BusinessErrorStatus is the HTTP status of business errors; 0 means 200
	// with Success "false" only. Any other status also adds Code and Message.
	BusinessErrorStatus int
	// NotFoundCode answers an unknown job: CodeInstanceNotFound (default when
	// empty) or CodeInvalidJobID.
	NotFoundCode string
	// LongPause is what a direction paused more than 7 days becomes.
	LongPause LongPause
	// PendingStatus is what Describe reports while a change is pending.
	PendingStatus PendingStatus
	// LowercaseSynchronizing spells the running status "synchronizing" for
	// every job (Job.LowercaseSynchronizing does it for one).
	LowercaseSynchronizing bool
	// PageSizes are the page sizes the list actions accept.
	PageSizes PageSizes
	// LegacyRefusesDtsJobs makes SuspendSynchronizationJob and
	// StartSynchronizationJob answer a job created through the DtsJob API as
	// unknown (the NotFoundCode), while the legacy Describe actions still
	// show it.
	LegacyRefusesDtsJobs bool
	// JobsCreatedBy is the CreatedBy of jobs that name none: CreatedBySynchronizationJob
	// (default when empty) or CreatedByDtsJob.
	JobsCreatedBy string
	// DelayUnit is the unit of the DtsJob actions' Delay, which the docs give
	// as milliseconds in DescribeDtsJobDetail and seconds in DescribeDtsJobs.
	DelayUnit DelayUnit
}

// DelayUnit says in which unit the DtsJob actions report Delay.
type DelayUnit string

const (
	// DelayUnitDocumented: DescribeDtsJobDetail in milliseconds,
	// DescribeDtsJobs in seconds, as their docs say (default).
	DelayUnitDocumented DelayUnit = "documented"
	// DelayUnitSeconds: both in seconds.
	DelayUnitSeconds DelayUnit = "seconds"
	// DelayUnitMilliseconds: both in milliseconds.
	DelayUnitMilliseconds DelayUnit = "milliseconds"
)

// dtsJobDelay is a delay of ms milliseconds as the DtsJob detail (detail)
// or list reports it under the unit switch.
func (b Behavior) dtsJobDelay(ms int64, detail bool) int64 {
	switch {
	case b.DelayUnit == DelayUnitMilliseconds, b.DelayUnit != DelayUnitSeconds && detail:
		return ms
	}
	return ms / 1000
}

// LongPause says what happens to a direction paused more than 7 days.
type LongPause string

const (
	// LongPauseFailed: the status becomes Failed and Start is refused
	// (default; the alicloud docs say so).
	LongPauseFailed LongPause = "failed"
	// LongPauseSuspending: the status stays Suspending and Start is refused.
	LongPauseSuspending LongPause = "suspending"
)

// PendingStatus says what Describe reports while a Suspend or Start is
// pending.
type PendingStatus string

const (
	// PendingStatusOld reports the old status until the change completes
	// (default).
	PendingStatusOld PendingStatus = "old"
	// PendingStatusTarget reports the target status at once; calls are
	// judged against that status too.
	PendingStatusTarget PendingStatus = "target"
)

// PageSizes says which PageSize values the list actions accept.
type PageSizes string

const (
	// PageSizesRange accepts 1 to 100 (default).
	PageSizesRange PageSizes = "range"
	// PageSizesListed accepts only the SDK's listed values: 30, 50 or 100 for
	// DescribeSynchronizationJobs, 20, 30, 50 or 100 for DescribeDtsJobs.
	PageSizesListed PageSizes = "listed"
)

// normalized fills the defaults of empty fields and checks the others.
func (b Behavior) normalized() (Behavior, error) {
	b.NotFoundCode = cmp.Or(b.NotFoundCode, CodeInstanceNotFound)
	b.LongPause = cmp.Or(b.LongPause, LongPauseFailed)
	b.PendingStatus = cmp.Or(b.PendingStatus, PendingStatusOld)
	b.PageSizes = cmp.Or(b.PageSizes, PageSizesRange)
	b.JobsCreatedBy = cmp.Or(b.JobsCreatedBy, CreatedBySynchronizationJob)
	b.DelayUnit = cmp.Or(b.DelayUnit, DelayUnitDocumented)
	b.BusinessErrorStatus = cmp.Or(b.BusinessErrorStatus, http.StatusOK)
	switch {
	case b.NotFoundCode != CodeInstanceNotFound && b.NotFoundCode != CodeInvalidJobID:
		return b, fmt.Errorf("not-found code %q is not %s or %s", b.NotFoundCode, CodeInstanceNotFound, CodeInvalidJobID)
	case b.LongPause != LongPauseFailed && b.LongPause != LongPauseSuspending:
		return b, fmt.Errorf("long pause %q is not %s or %s", b.LongPause, LongPauseFailed, LongPauseSuspending)
	case b.PendingStatus != PendingStatusOld && b.PendingStatus != PendingStatusTarget:
		return b, fmt.Errorf("pending status %q is not %s or %s", b.PendingStatus, PendingStatusOld, PendingStatusTarget)
	case b.PageSizes != PageSizesRange && b.PageSizes != PageSizesListed:
		return b, fmt.Errorf("page sizes %q is not %s or %s", b.PageSizes, PageSizesRange, PageSizesListed)
	case b.JobsCreatedBy != CreatedBySynchronizationJob && b.JobsCreatedBy != CreatedByDtsJob:
		return b, fmt.Errorf("jobs created by %q is not %s or %s", b.JobsCreatedBy, CreatedBySynchronizationJob, CreatedByDtsJob)
	case b.DelayUnit != DelayUnitDocumented && b.DelayUnit != DelayUnitSeconds && b.DelayUnit != DelayUnitMilliseconds:
		return b, fmt.Errorf("delay unit %q is not %s, %s or %s", b.DelayUnit, DelayUnitDocumented, DelayUnitSeconds, DelayUnitMilliseconds)
	case b.BusinessErrorStatus < 200 || b.BusinessErrorStatus > 599:
		return b, fmt.Errorf("business error status %d is not an HTTP status", b.BusinessErrorStatus)
	}
	return b, nil
}

// pageSizeOK reports whether size is accepted; dtsJobs selects the
// DescribeDtsJobs list of values.
func (b Behavior) pageSizeOK(size int, dtsJobs bool) (ok bool, accepted string) {
	if b.PageSizes != PageSizesListed {
		return size >= 1 && size <= 100, "It must be an integer from 1 to 100."
	}
	listed := []int{30, 50, 100}
	accepted = "It must be 30, 50 or 100."
	if dtsJobs {
		listed = []int{20, 30, 50, 100}
		accepted = "It must be 20, 30, 50 or 100."
	}
	return slices.Contains(listed, size), accepted
}

// SetBehavior replaces the behaviour switches; jobs are judged by the new
// ones from the next call on (a pause already older than 7 days reads as
// the new LongPause says).
func (s *Server) SetBehavior(b Behavior) error {
	nb, err := b.normalized()
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.behavior = nb
	return nil
}

// CurrentBehavior returns the switches in force, defaults filled in.
func (s *Server) CurrentBehavior() Behavior {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.behavior
}
