package dtsclient

import (
	"cmp"
	"encoding/json"
	"time"
)

// Wire shapes of the maintained family (docs/development/dts-api.md §5.4). encoding/json matches
// keys case-insensitively, so DtsInstanceID (DescribeDtsJobDetail and list
// items) and DtsInstanceId both land in the same field, and wireEndpoint reads
// InstanceID and Ip as well as InstanceId and IP. Success is a JSON bool here
// and HttpStatusCode/Code numbers; the envelope's flex types take both.

type wireMigrationMode struct {
	StructureInitialization flexBool `json:"StructureInitialization"`
	DataInitialization      flexBool `json:"DataInitialization"`
}

func (w *wireMigrationMode) UnmarshalJSON(b []byte) error {
	type plain wireMigrationMode
	return decodeObject(b, (*plain)(w))
}

// wireDtsTask is one direction's task as the maintained family describes it:
// the root of DescribeDtsJobDetail, a DescribeDtsJobs item, and the ReverseJob
// nested in either. Checkpoint is a number in the detail root and a string
// elsewhere; Delay is documented as milliseconds in the detail and seconds in
// the list, so the callers interpret it (dtsJobDelay).
type wireDtsTask struct {
	DtsJobID                  flexString           `json:"DtsJobId"`
	DtsInstanceID             flexString           `json:"DtsInstanceID"`
	DtsJobName                flexString           `json:"DtsJobName"`
	DtsJobClass               flexString           `json:"DtsJobClass"`
	DtsJobDirection           flexString           `json:"DtsJobDirection"`
	SynchronizationDirection  flexString           `json:"SynchronizationDirection"`
	Status                    flexString           `json:"Status"`
	PayType                   flexString           `json:"PayType"`
	ExpireTime                flexString           `json:"ExpireTime"`
	CreateTime                flexString           `json:"CreateTime"`
	Checkpoint                flexInt              `json:"Checkpoint"`
	Delay                     optInt               `json:"Delay"`
	ErrorMessage              flexString           `json:"ErrorMessage"`
	MigrationMode             wireMigrationMode    `json:"MigrationMode"`
	SourceEndpoint            wireEndpoint         `json:"SourceEndpoint"`
	DestinationEndpoint       wireEndpoint         `json:"DestinationEndpoint"`
	DataSynchronizationStatus wireSubStatus        `json:"DataSynchronizationStatus"`
	TagList                   flexList[wireDtsTag] `json:"TagList"`
	ReverseJob                *wireDtsTask         `json:"ReverseJob"`
}

func (w *wireDtsTask) UnmarshalJSON(b []byte) error {
	type plain wireDtsTask
	return decodeObject(b, (*plain)(w))
}

// direction is the direction the task says it serves, "" when it does not say.
func (w *wireDtsTask) direction() string {
	for _, d := range []flexString{w.SynchronizationDirection, w.DtsJobDirection} {
		if n, ok := normalizeDirection(string(d)); ok && n != "" {
			return n
		}
	}
	return ""
}

// reverse returns the nested Reverse task, nil when there is none.
func (w *wireDtsTask) reverse() *wireDtsTask {
	if w.ReverseJob == nil || w.ReverseJob.DtsJobID == "" && w.ReverseJob.Status == "" {
		return nil
	}
	return w.ReverseJob
}

type wireDtsTag struct {
	TagKey   flexString `json:"TagKey"`
	TagValue flexString `json:"TagValue"`
}

// wireDtsJobDetail is the DescribeDtsJobDetail body.
type wireDtsJobDetail struct {
	envelope
	wireDtsTask
	SubSyncJob flexList[wireDtsTask] `json:"SubSyncJob"`
}

// UnmarshalJSON decodes the task apart from the rest: its custom decoder,
// promoted, would otherwise hide the envelope's fields and SubSyncJob.
func (w *wireDtsJobDetail) UnmarshalJSON(b []byte) error {
	rest := struct {
		*envelope
		SubSyncJob *flexList[wireDtsTask] `json:"SubSyncJob"`
	}{&w.envelope, &w.SubSyncJob}
	if err := json.Unmarshal(b, &rest); err != nil {
		return err
	}
	return json.Unmarshal(b, &w.wireDtsTask)
}

// model returns the status of the requested direction ("" = Forward). The
// root describes the task DTS chose for the request; when Reverse was asked
// for and the root says Forward, the Reverse task nested in SubSyncJob (or in
// the root) is used. ok is false when no task of the requested direction is
// in the body.
func (w *wireDtsJobDetail) model(requested string) (st *JobStatus, ok bool) {
	task := &w.wireDtsTask
	got := task.direction()
	switch {
	case requested == DirectionReverse && got == DirectionForward:
		if task = w.findReverse(); task == nil {
			return nil, false
		}
		got = DirectionReverse
	case requested == DirectionForward && got == DirectionReverse:
		return nil, false
	}
	if got == "" {
		got = requested
	}
	delay, reported := dtsJobDelay(task.Delay, time.Millisecond, int64(task.Checkpoint), w.serverTime)
	delayMillis := delay.Milliseconds()
	st = &JobStatus{
		RequestID:               string(w.RequestID),
		JobID:                   string(cmp.Or(task.DtsInstanceID, w.DtsInstanceID)),
		DtsJobID:                string(task.DtsJobID),
		Name:                    string(cmp.Or(task.DtsJobName, w.DtsJobName)),
		Class:                   string(cmp.Or(task.DtsJobClass, w.DtsJobClass)),
		Direction:               got,
		Status:                  NormalizeStatus(string(task.Status)),
		PayType:                 string(cmp.Or(task.PayType, w.PayType)),
		ExpireTime:              string(cmp.Or(task.ExpireTime, w.ExpireTime)),
		ErrorMessage:            string(task.ErrorMessage),
		DelaySeconds:            delayMillis / 1000,
		DelayMillis:             delayMillis,
		Delay:                   delay,
		DelayReported:           reported,
		Checkpoint:              int64(task.Checkpoint),
		StructureInitialization: bool(w.MigrationMode.StructureInitialization),
		DataInitialization:      bool(w.MigrationMode.DataInitialization),
		// The task's own endpoints first: a Reverse task runs the other way.
		Source:                    cmp.Or(task.SourceEndpoint, w.SourceEndpoint).model(),
		Destination:               cmp.Or(task.DestinationEndpoint, w.DestinationEndpoint).model(),
		DataSynchronizationStatus: NormalizeStatus(string(task.DataSynchronizationStatus.Status)),
		Family:                    FamilyDtsJob,
	}
	return st, true
}

func (w *wireDtsJobDetail) findReverse() *wireDtsTask {
	if r := w.reverse(); r != nil {
		return r
	}
	for i := range w.SubSyncJob {
		if r := w.SubSyncJob[i].reverse(); r != nil {
			return r
		}
	}
	return nil
}

// wireDtsJobList is the DescribeDtsJobs body.
type wireDtsJobList struct {
	envelope
	PageNumber       flexInt               `json:"PageNumber"`
	PageRecordCount  flexInt               `json:"PageRecordCount"`
	TotalRecordCount flexInt               `json:"TotalRecordCount"`
	DtsJobList       flexList[wireDtsTask] `json:"DtsJobList"`
}

func (w *wireDtsJobList) model() *ListJobsPage {
	page := &ListJobsPage{
		RequestID:        string(w.RequestID),
		PageNumber:       int(w.PageNumber),
		PageRecordCount:  int(w.PageRecordCount),
		TotalRecordCount: int(w.TotalRecordCount),
		Jobs:             make([]JobSummary, 0, len(w.DtsJobList)),
	}
	for i := range w.DtsJobList {
		page.Jobs = append(page.Jobs, w.DtsJobList[i].summary(w.serverTime))
	}
	return page
}

// summary maps a DescribeDtsJobs item (Delay documented in seconds) to a
// JobSummary; serverTime is the answer's Date.
func (w *wireDtsTask) summary(serverTime time.Time) JobSummary {
	var tags []Tag
	for _, t := range w.TagList {
		tags = append(tags, Tag{Key: string(t.TagKey), Value: string(t.TagValue)})
	}
	dir := w.direction()
	if dir == "" {
		dir = DirectionForward
	}
	delay, reported := dtsJobDelay(w.Delay, time.Second, int64(w.Checkpoint), serverTime)
	dirs := []DirectionStatus{{
		Direction: dir, Status: NormalizeStatus(string(w.Status)), Checkpoint: int64(w.Checkpoint), DtsJobID: string(w.DtsJobID),
		Delay: delay, DelayReported: reported,
	}}
	if r := w.reverse(); r != nil && dir == DirectionForward {
		rd, rok := dtsJobDelay(r.Delay, time.Second, int64(r.Checkpoint), serverTime)
		dirs = append(dirs, DirectionStatus{
			Direction: DirectionReverse, Status: NormalizeStatus(string(r.Status)), Checkpoint: int64(r.Checkpoint), DtsJobID: string(r.DtsJobID),
			Delay: rd, DelayReported: rok,
		})
	}
	return JobSummary{
		JobID:         string(w.DtsInstanceID),
		Name:          string(w.DtsJobName),
		Class:         string(w.DtsJobClass),
		Status:        NormalizeStatus(string(w.Status)),
		PayType:       string(w.PayType),
		ExpireTime:    string(w.ExpireTime),
		ErrorMessage:  string(w.ErrorMessage),
		CreateTime:    string(w.CreateTime),
		DelaySeconds:  int64(delay / time.Second),
		Delay:         delay,
		DelayReported: reported,
		Source:        w.SourceEndpoint.model(),
		Destination:   w.DestinationEndpoint.model(),
		Tags:          tags,
		Family:        FamilyDtsJob,
		DtsJobID:      string(w.DtsJobID),
		Checkpoint:    int64(w.Checkpoint),
		Directions:    dirs,
	}
}
