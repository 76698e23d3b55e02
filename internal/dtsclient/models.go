package dtsclient

// JobRef identifies one direction of a synchronization job.
type JobRef struct {
	RegionID string
	JobID    string
	// Direction is Forward or Reverse; "" sends nothing, which DTS treats as Forward.
	Direction string
}

// Endpoint is the source or destination database of a job.
type Endpoint struct {
	InstanceID   string
	InstanceType string
	EngineName   string
	IP           string
	Port         string
	UserName     string
}

// JobStatus is the decoded DescribeSynchronizationJobStatus answer.
type JobStatus struct {
	RequestID    string
	JobID        string
	TaskID       string
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

	StructureInitialization bool
	DataInitialization      bool

	Source      Endpoint
	Destination Endpoint

	// DataSynchronizationStatus is the sub status, "" when absent.
	DataSynchronizationStatus Status
}

// DirectionStatus is the status of one direction of a job.
type DirectionStatus struct {
	Direction  string
	Status     Status
	Checkpoint int64
}

// JobDirections lists the per-direction statuses of one job.
type JobDirections struct {
	JobID      string
	Directions []DirectionStatus
}

// Tag is a resource tag on a DTS instance.
type Tag struct {
	Key   string
	Value string
}

// JobSummary is one item of DescribeSynchronizationJobs.
type JobSummary struct {
	JobID        string
	Name         string
	Class        string
	Status       Status
	PayType      string
	ExpireTime   string
	ErrorMessage string
	// CreateTime is "2021-06-28 17:34:53.0" in UTC+8 as DTS sends it, not ISO 8601.
	CreateTime         string
	JobCreateTime      string
	InstanceCreateTime string

	DelaySeconds int64

	Source      Endpoint
	Destination Endpoint
	Tags        []Tag
}

// ListJobsInput filters DescribeSynchronizationJobs.
type ListJobsInput struct {
	RegionID   string
	Name       string // Fuzzy match on the job name.
	Tags       []Tag
	PageSize   int // 0 means 30.
	PageNumber int // 0 means 1.
}

// ListJobsPage is one page of DescribeSynchronizationJobs.
type ListJobsPage struct {
	RequestID        string
	PageNumber       int
	PageRecordCount  int
	TotalRecordCount int
	Jobs             []JobSummary
}
