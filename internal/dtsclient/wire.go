package dtsclient

import "encoding/json"

// envelope holds the fields shared by every DTS response body: the business
// result (Success/ErrCode/ErrMessage) and the gateway error (Code/Message).
// encoding/json matches keys case-insensitively, so "requestId" and "code" work too.
type envelope struct {
	RequestID      flexString `json:"RequestId"`
	Success        *flexBool  `json:"Success"` // nil when absent (DescribeSynchronizationJobs).
	ErrCode        flexString `json:"ErrCode"`
	ErrMessage     flexString `json:"ErrMessage"`
	DynamicCode    flexString `json:"DynamicCode"`
	DynamicMessage flexString `json:"DynamicMessage"`
	Code           flexString `json:"Code"`
	Message        flexString `json:"Message"`
}

func (e *envelope) env() *envelope { return e }

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
	if !isObject(b) {
		return nil
	}
	type plain wireEndpoint
	return json.Unmarshal(b, (*plain)(w))
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
	Status flexString `json:"Status"`
}

func (w *wireSubStatus) UnmarshalJSON(b []byte) error {
	if !isObject(b) {
		return nil
	}
	type plain wireSubStatus
	return json.Unmarshal(b, (*plain)(w))
}

// wireResult is the body of SuspendSynchronizationJob and StartSynchronizationJob.
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
	Delay                     flexInt       `json:"Delay"`
	DelayMillis               flexInt       `json:"DelayMillis"`
	Checkpoint                flexInt       `json:"Checkpoint"`
	ErrorMessage              flexString    `json:"ErrorMessage"`
	StructureInitialization   flexBool      `json:"StructureInitialization"`
	DataInitialization        flexBool      `json:"DataInitialization"`
	SourceEndpoint            wireEndpoint  `json:"SourceEndpoint"`
	DestinationEndpoint       wireEndpoint  `json:"DestinationEndpoint"`
	DataSynchronizationStatus wireSubStatus `json:"DataSynchronizationStatus"`
}

func (w *wireJobStatus) model() *JobStatus {
	return &JobStatus{
		RequestID:                 string(w.RequestID),
		JobID:                     string(w.SynchronizationJobID),
		TaskID:                    string(w.TaskID),
		Name:                      string(w.SynchronizationJobName),
		Class:                     string(w.SynchronizationJobClass),
		Direction:                 string(w.SynchronizationDirection),
		Status:                    NormalizeStatus(string(w.Status)),
		PayType:                   string(w.PayType),
		ExpireTime:                string(w.ExpireTime),
		ErrorMessage:              string(w.ErrorMessage),
		DelaySeconds:              int64(w.Delay),
		DelayMillis:               int64(w.DelayMillis),
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
	Delay                   flexInt           `json:"Delay"`
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
			DelaySeconds:       int64(j.Delay),
			Source:             j.SourceEndpoint.model(),
			Destination:        j.DestinationEndpoint.model(),
			Tags:               tags,
			Family:             FamilySynchronizationJob,
		})
	}
	return page
}
