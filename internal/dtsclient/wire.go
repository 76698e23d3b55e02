package dtsclient

import (
	"math"
	"time"
)

// envelope holds the fields shared by every DTS response body: the business
// result (Success/ErrCode/ErrMessage) and the gateway error (Code/Message).
// encoding/json matches keys case-insensitively, so "requestId" and "code" work too.
type envelope struct {
	RequestID      flexString `json:"RequestId"`
	Success        *flexBool  `json:"Success"` // nil when absent (DescribeSynchronizationJobs).
	ErrCode        flexString `json:"ErrCode"`
	ErrMessage     flexString `json:"ErrMessage"`
	DynamicMessage flexString `json:"DynamicMessage"`
	Code           flexString `json:"Code"`
	Message        flexString `json:"Message"`

	// serverTime is the answer's Date header, zero when absent.
	serverTime time.Time
}

func (e *envelope) env() *envelope { return e }

// optInt is a flexInt that remembers whether the answer carried a value.
type optInt struct {
	v  int64
	ok bool
}

func (n *optInt) UnmarshalJSON(b []byte) error {
	f := flexInt(math.MinInt64)
	if err := f.UnmarshalJSON(b); err != nil {
		return err
	}
	if f != math.MinInt64 {
		n.v, n.ok = int64(f), true
	}
	return nil
}

// legacyDelay is the legacy family's delay: DelayMillis when the answer has
// it, else Delay, which is whole seconds (docs/development/dts-api.md §13).
func legacyDelay(seconds, millis optInt) (time.Duration, bool) {
	switch {
	case millis.ok:
		return time.Duration(millis.v) * time.Millisecond, true
	case seconds.ok:
		return time.Duration(seconds.v) * time.Second, true
	}
	return 0, false
}

// dtsJobDelay is the maintained family's Delay. Its docs disagree on the
// unit (milliseconds in DescribeDtsJobDetail, seconds in DescribeDtsJobs;
// docs/development/dts-api.md §9.8, §13), so documented is only the first guess:
// the server time minus the checkpoint says how far behind the target is,
// and when the documented reading is far from that while the other unit's
// is close, the other unit wins.
func dtsJobDelay(v optInt, documented time.Duration, checkpoint int64, serverTime time.Time) (time.Duration, bool) {
	if !v.ok {
		return 0, false
	}
	doc := time.Duration(v.v) * documented
	if v.v <= 0 || checkpoint <= 0 || serverTime.IsZero() {
		return doc, true
	}
	other := time.Duration(v.v) * time.Second
	if documented == time.Second {
		other = time.Duration(v.v) * time.Millisecond
	}
	behind := max(0, serverTime.Sub(time.Unix(checkpoint, 0)))
	// Date and Checkpoint are whole seconds and the live lag moves: allow
	// a few seconds, or a tenth of a long delay.
	tolerance := max(3*time.Second, behind/10)
	near := func(d time.Duration) bool { return (d - behind).Abs() <= tolerance }
	if !near(doc) && near(other) {
		return other, true
	}
	return doc, true
}

// enveloped is a response body struct that embeds envelope.
type enveloped interface{ env() *envelope }

type wireEndpoint struct {
	InstanceID   flexString `json:"InstanceId"`
	InstanceType flexString `json:"InstanceType"`
	EngineName   flexString `json:"EngineName"`
	IP           flexString `json:"IP"`
	Port         flexString `json:"Port"`
	UserName     flexString `json:"UserName"`
	Region       flexString `json:"Region"`
	DatabaseName flexString `json:"DatabaseName"`
}

func (w *wireEndpoint) UnmarshalJSON(b []byte) error {
	type plain wireEndpoint
	return decodeObject(b, (*plain)(w))
}

func (w wireEndpoint) model() Endpoint {
	return Endpoint{
		InstanceID:   string(w.InstanceID),
		InstanceType: string(w.InstanceType),
		EngineName:   string(w.EngineName),
		IP:           string(w.IP),
		Port:         string(w.Port),
		UserName:     string(w.UserName),
		Region:       string(w.Region),
		DatabaseName: string(w.DatabaseName),
	}
}

type wireSubStatus struct {
	Status      flexString `json:"Status"`
	Delay       optInt     `json:"Delay"`
	DelayMillis optInt     `json:"DelayMillis"`
}

func (w *wireSubStatus) UnmarshalJSON(b []byte) error {
	type plain wireSubStatus
	return decodeObject(b, (*plain)(w))
}

// wireResult is the body of a Suspend or Start of either family.
type wireResult struct {
	envelope
}

type wireJobStatus struct {
	envelope
	SynchronizationJobID      flexString    `json:"SynchronizationJobId"`
	TaskID                    flexString    `json:"TaskId"`
	SynchronizationJobName    flexString    `json:"SynchronizationJobName"`
	SynchronizationJobClass   flexString    `json:"SynchronizationJobClass"`
	SynchronizationDirection  flexString    `json:"SynchronizationDirection"`
	Status                    flexString    `json:"Status"`
	PayType                   flexString    `json:"PayType"`
	ExpireTime                flexString    `json:"ExpireTime"`
	Delay                     optInt        `json:"Delay"`
	DelayMillis               optInt        `json:"DelayMillis"`
	Checkpoint                flexInt       `json:"Checkpoint"`
	ErrorMessage              flexString    `json:"ErrorMessage"`
	StructureInitialization   flexBool      `json:"StructureInitialization"`
	DataInitialization        flexBool      `json:"DataInitialization"`
	SourceEndpoint            wireEndpoint  `json:"SourceEndpoint"`
	DestinationEndpoint       wireEndpoint  `json:"DestinationEndpoint"`
	DataSynchronizationStatus wireSubStatus `json:"DataSynchronizationStatus"`
}

func (w *wireJobStatus) model() *JobStatus {
	delay, reported := legacyDelay(w.Delay, w.DelayMillis)
	if !reported {
		delay, reported = legacyDelay(w.DataSynchronizationStatus.Delay, w.DataSynchronizationStatus.DelayMillis)
	}
	return &JobStatus{
		RequestID:                 string(w.RequestID),
		JobID:                     string(w.SynchronizationJobID),
		Name:                      string(w.SynchronizationJobName),
		Class:                     string(w.SynchronizationJobClass),
		Direction:                 string(w.SynchronizationDirection),
		Status:                    NormalizeStatus(string(w.Status)),
		PayType:                   string(w.PayType),
		ExpireTime:                string(w.ExpireTime),
		ErrorMessage:              string(w.ErrorMessage),
		DelaySeconds:              w.Delay.v,
		DelayMillis:               w.DelayMillis.v,
		Delay:                     delay,
		DelayReported:             reported,
		Checkpoint:                int64(w.Checkpoint),
		StructureInitialization:   bool(w.StructureInitialization),
		DataInitialization:        bool(w.DataInitialization),
		Source:                    w.SourceEndpoint.model(),
		Destination:               w.DestinationEndpoint.model(),
		DataSynchronizationStatus: NormalizeStatus(string(w.DataSynchronizationStatus.Status)),
		Family:                    FamilySynchronizationJob,
		DtsJobID:                  string(w.TaskID),
	}
}

type wireDirectionInfo struct {
	SynchronizationDirection flexString `json:"SynchronizationDirection"`
	Status                   flexString `json:"Status"`
	Checkpoint               flexInt    `json:"Checkpoint"`
}

type wireJobDirections struct {
	SynchronizationJobID             flexString                  `json:"SynchronizationJobId"`
	SynchronizationDirectionInfoList flexList[wireDirectionInfo] `json:"SynchronizationDirectionInfoList"`
}

type wireStatusList struct {
	envelope
	SynchronizationJobListStatusList flexList[wireJobDirections] `json:"SynchronizationJobListStatusList"`
}

func (w *wireStatusList) model() []JobDirections {
	out := make([]JobDirections, 0, len(w.SynchronizationJobListStatusList))
	for _, j := range w.SynchronizationJobListStatusList {
		dirs := make([]DirectionStatus, 0, len(j.SynchronizationDirectionInfoList))
		for _, d := range j.SynchronizationDirectionInfoList {
			dirs = append(dirs, DirectionStatus{
				Direction:  string(d.SynchronizationDirection),
				Status:     NormalizeStatus(string(d.Status)),
				Checkpoint: int64(d.Checkpoint),
			})
		}
		out = append(out, JobDirections{JobID: string(j.SynchronizationJobID), Directions: dirs})
	}
	return out
}

type wireTag struct {
	Key   flexString `json:"Key"`
	Value flexString `json:"Value"`
}

type wireJobSummary struct {
	SynchronizationJobID    flexString        `json:"SynchronizationJobId"`
	SynchronizationJobName  flexString        `json:"SynchronizationJobName"`
	SynchronizationJobClass flexString        `json:"SynchronizationJobClass"`
	Status                  flexString        `json:"Status"`
	PayType                 flexString        `json:"PayType"`
	ExpireTime              flexString        `json:"ExpireTime"`
	ErrorMessage            flexString        `json:"ErrorMessage"`
	CreateTime              flexString        `json:"CreateTime"`
	JobCreateTime           flexString        `json:"JobCreateTime"`
	InstanceCreateTime      flexString        `json:"InstanceCreateTime"`
	Delay                   optInt            `json:"Delay"`
	SourceEndpoint          wireEndpoint      `json:"SourceEndpoint"`
	DestinationEndpoint     wireEndpoint      `json:"DestinationEndpoint"`
	Tags                    flexList[wireTag] `json:"Tags"`
}

type wireJobList struct {
	envelope
	PageNumber               flexInt                  `json:"PageNumber"`
	PageRecordCount          flexInt                  `json:"PageRecordCount"`
	TotalRecordCount         flexInt                  `json:"TotalRecordCount"`
	SynchronizationInstances flexList[wireJobSummary] `json:"SynchronizationInstances"`
}

func (w *wireJobList) model() *ListJobsPage {
	page := &ListJobsPage{
		RequestID:        string(w.RequestID),
		PageNumber:       int(w.PageNumber),
		PageRecordCount:  int(w.PageRecordCount),
		TotalRecordCount: int(w.TotalRecordCount),
		Jobs:             make([]JobSummary, 0, len(w.SynchronizationInstances)),
	}
	for _, j := range w.SynchronizationInstances {
		var tags []Tag
		for _, t := range j.Tags {
			tags = append(tags, Tag{Key: string(t.Key), Value: string(t.Value)})
		}
		delay, reported := legacyDelay(j.Delay, optInt{})
		page.Jobs = append(page.Jobs, JobSummary{
			JobID:              string(j.SynchronizationJobID),
			Name:               string(j.SynchronizationJobName),
			Class:              string(j.SynchronizationJobClass),
			Status:             NormalizeStatus(string(j.Status)),
			PayType:            string(j.PayType),
			ExpireTime:         string(j.ExpireTime),
			ErrorMessage:       string(j.ErrorMessage),
			CreateTime:         string(j.CreateTime),
			JobCreateTime:      string(j.JobCreateTime),
			InstanceCreateTime: string(j.InstanceCreateTime),
			DelaySeconds:       j.Delay.v,
			Delay:              delay,
			DelayReported:      reported,
			Source:             j.SourceEndpoint.model(),
			Destination:        j.DestinationEndpoint.model(),
			Tags:               tags,
			Family:             FamilySynchronizationJob,
		})
	}
	return page
}
