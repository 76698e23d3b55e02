package dtsclient

import (
	"slices"
	"time"
)

// JobRef identifies one direction of a synchronization job.
type JobRef struct {
	RegionID string
	JobID    string
	// Direction is Forward or Reverse; "" sends nothing, which DTS treats as Forward.
	Direction string
	// DtsJobID is the task ID (DtsJobId) the maintained family addresses a job
	// by; the legacy family ignores it. JobID, the dts… instance ID, is required
	// by the legacy family; the maintained family takes either or both.
	DtsJobID string
}

// Endpoint is the source or destination database of a job.
type Endpoint struct {
	InstanceID   string
	InstanceType string
	EngineName   string
	IP           string
	Port         string
	UserName     string
	// Region and DatabaseName come from the maintained family only.
	Region       string
	DatabaseName string
}

// JobStatus is one direction of a job as DescribeSynchronizationJobStatus or DescribeDtsJobDetail describes it.
type JobStatus struct {
	RequestID    string
	JobID        string
	Name         string
	Class        string
	Direction    string
	Status       Status
	PayType      string
	ExpireTime   string
	ErrorMessage string

	DelaySeconds int64
	DelayMillis  int64
	Checkpoint   int64 // Unix seconds; 0 when absent.

	// Delay is how far the target is behind, each field read in its unit
	// (docs/development/dts-api.md §13); DelayReported is false when the
	// answer carried no delay.
	Delay         time.Duration
	DelayReported bool

	StructureInitialization bool
	DataInitialization      bool

	Source      Endpoint
	Destination Endpoint

	// DataSynchronizationStatus is the sub status, "" when absent.
	DataSynchronizationStatus Status

	// Family is the action family that answered.
	Family Family
	// DtsJobID is the task ID: DtsJobId in the maintained family, TaskId in the
	// legacy one (equal in every reference example; docs/development/dts-api.md §11).
	DtsJobID string
}

// DirectionStatus is the status of one direction of a job.
type DirectionStatus struct {
	Direction  string
	Status     Status
	Checkpoint int64

	// Delay is the direction's replication delay; DelayReported is false
	// when the answer had none (DescribeSynchronizationJobStatusList never
	// has one).
	Delay         time.Duration
	DelayReported bool

	// DtsJobID is the task ID of this direction (maintained family only).
	DtsJobID string
}

// JobDirections lists the per-direction statuses of one job.
type JobDirections struct {
	JobID      string
	Directions []DirectionStatus

	// DtsJobID is the task ID of the Forward direction (maintained family only).
	DtsJobID string
}

// Tag is a resource tag on a DTS instance.
type Tag struct {
	Key   string
	Value string
}

// JobSummary is one item of DescribeSynchronizationJobs or DescribeDtsJobs.
type JobSummary struct {
	JobID        string
	Name         string
	Class        string
	Status       Status
	PayType      string
	ExpireTime   string
	ErrorMessage string
	// CreateTime is as DTS sends it: "2021-06-28 17:34:53.0" in UTC+8 from
	// DescribeSynchronizationJobs, ISO 8601 UTC from DescribeDtsJobs.
	CreateTime         string
	JobCreateTime      string
	InstanceCreateTime string

	DelaySeconds int64
	// Delay is the listed (Forward) direction's replication delay;
	// DelayReported is false when the listing had none.
	Delay         time.Duration
	DelayReported bool

	Source      Endpoint
	Destination Endpoint
	Tags        []Tag

	// Family is the action family that listed the job.
	Family Family
	// DtsJobID is the task ID of the Forward direction (maintained family only).
	DtsJobID string
	// Checkpoint is Unix seconds, 0 when absent (maintained family only).
	Checkpoint int64
	// Directions holds one entry per direction, Forward first, when the listing
	// says (DescribeDtsJobs: the job and its ReverseJob); nil when it does not
	// (DescribeSynchronizationJobs).
	Directions []DirectionStatus
}

// HasReverse reports whether the listing shows a Reverse direction.
func (s JobSummary) HasReverse() bool {
	return slices.ContainsFunc(s.Directions, func(d DirectionStatus) bool { return d.Direction == DirectionReverse })
}

// JobDirections returns the per-direction view of a listed job, the shape
// DescribeSynchronizationJobStatusList gives, so a batcher can use either family.
func (s JobSummary) JobDirections() JobDirections {
	return JobDirections{JobID: s.JobID, DtsJobID: s.DtsJobID, Directions: s.Directions}
}

// ListJobsInput filters DescribeSynchronizationJobs (JobActions.ListJobs: either family).
type ListJobsInput struct {
	RegionID   string
	Name       string // Fuzzy match on the job name.
	Tags       []Tag
	PageSize   int // 0 means 30.
	PageNumber int // 0 means 1.
}

// ListJobsPage is one page of DescribeSynchronizationJobs or DescribeDtsJobs.
type ListJobsPage struct {
	RequestID        string
	PageNumber       int
	PageRecordCount  int
	TotalRecordCount int
	Jobs             []JobSummary
}
