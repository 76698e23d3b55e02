package fakedts

import (
	"cmp"
	"encoding/json"
	"strconv"
	"time"
)

// JSON shapes of the DtsJob actions (docs/development/dts-api.md §5.4, §8). They differ from
// the legacy ones on purpose: Success is a bool, HttpStatusCode a number,
// the detail spells DtsInstanceID, endpoints say InstanceID and Ip, the
// detail's Checkpoint is a number and its Delay milliseconds, while the
// list's Checkpoint is a string and its Delay seconds.

// dtsEndpointJSON is an endpoint of the DtsJob actions: the detail's has
// CanModifyPassword, the list's OracleSID.
type dtsEndpointJSON struct {
	InstanceID        string  `json:"InstanceID"`
	InstanceType      string  `json:"InstanceType"`
	EngineName        string  `json:"EngineName"`
	IP                string  `json:"Ip"`
	Port              string  `json:"Port"`
	Region            string  `json:"Region"`
	DatabaseName      string  `json:"DatabaseName"`
	UserName          string  `json:"UserName"`
	OracleSID         *string `json:"OracleSID,omitempty"`
	SslSolutionEnum   string  `json:"SslSolutionEnum"`
	CanModifyPassword *bool   `json:"CanModifyPassword,omitempty"`
}

type migrationModeJSON struct {
	StructureInitialization  bool `json:"StructureInitialization"`
	DataInitialization       bool `json:"DataInitialization"`
	DataSynchronization      bool `json:"DataSynchronization"`
	DataExtractTransformLoad bool `json:"DataExtractTransformLoad"`
}

type listMigrationModeJSON struct {
	migrationModeJSON
	FullDataCheck      bool `json:"FullDataCheck"`
	IncDataCheck       bool `json:"IncDataCheck"`
	StructureDataCheck bool `json:"StructureDataCheck"`
}

type dtsPhaseJSON struct {
	Status       string `json:"Status"`
	Percent      string `json:"Percent"`
	Progress     string `json:"Progress"`
	NeedUpgrade  bool   `json:"NeedUpgrade"`
	ErrorMessage string `json:"ErrorMessage"`
}

type dtsPrecheckJSON struct {
	Status       string `json:"Status"`
	Percent      string `json:"Percent"`
	ErrorMessage string `json:"ErrorMessage"`
	Detail       []any  `json:"Detail"`
}

type retryStateJSON struct {
	Retrying     bool   `json:"Retrying"`
	RetryCount   int    `json:"RetryCount"`
	RetryTime    int    `json:"RetryTime"`
	MaxRetryTime int    `json:"MaxRetryTime"`
	RetryTarget  string `json:"RetryTarget"`
	Module       string `json:"Module"`
	JobID        string `json:"JobId"`
	ErrMessage   string `json:"ErrMessage"`
}

type dtsPerformanceJSON struct {
	Flow string `json:"Flow"`
	Rps  string `json:"Rps"`
}

type dtsTagJSON struct {
	TagKey   string `json:"TagKey"`
	TagValue string `json:"TagValue"`
}

type errorDetailJSON struct {
	ErrorCode string `json:"ErrorCode"`
	HelpURL   string `json:"HelpUrl"`
}

// dtsJobDetail is the DescribeDtsJobDetail answer (the root of the SDK
// model with the fields the alicloud provider reads).
type dtsJobDetail struct {
	RequestID                 string            `json:"RequestId"`
	Success                   bool              `json:"Success"`
	HTTPStatusCode            int               `json:"HttpStatusCode"`
	Code                      int               `json:"Code"`
	DtsJobID                  string            `json:"DtsJobId"`
	DtsInstanceID             string            `json:"DtsInstanceID"`
	DtsJobName                string            `json:"DtsJobName"`
	DtsJobClass               string            `json:"DtsJobClass"`
	DtsJobDirection           string            `json:"DtsJobDirection,omitempty"` // two-way jobs only
	SynchronizationDirection  string            `json:"SynchronizationDirection"`
	JobType                   string            `json:"JobType"`
	Status                    string            `json:"Status"`
	PayType                   string            `json:"PayType"`
	ExpireTime                string            `json:"ExpireTime,omitempty"`
	CreateTime                string            `json:"CreateTime"`
	Checkpoint                int64             `json:"Checkpoint"` // unix seconds
	Delay                     int64             `json:"Delay"`      // milliseconds (Behavior.DelayUnit)
	ErrorMessage              string            `json:"ErrorMessage"`
	DbObject                  string            `json:"DbObject"`
	Reserved                  string            `json:"Reserved"`
	MigrationMode             migrationModeJSON `json:"MigrationMode"`
	SourceEndpoint            dtsEndpointJSON   `json:"SourceEndpoint"`
	DestinationEndpoint       dtsEndpointJSON   `json:"DestinationEndpoint"`
	DataSynchronizationStatus dtsPhaseJSON      `json:"DataSynchronizationStatus"`
	RetryState                retryStateJSON    `json:"RetryState"`
	SubSyncJob                []any             `json:"SubSyncJob"`
	SubDistributedJob         []any             `json:"SubDistributedJob"`
}

// dtsJobTask is one task (direction) in the DescribeDtsJobs list.
type dtsJobTask struct {
	DtsJobID                      string                `json:"DtsJobId"`
	DtsInstanceID                 string                `json:"DtsInstanceID"`
	DtsJobName                    string                `json:"DtsJobName"`
	DtsJobClass                   string                `json:"DtsJobClass"`
	DtsJobDirection               string                `json:"DtsJobDirection"`
	JobType                       string                `json:"JobType"`
	Status                        string                `json:"Status"`
	PayType                       string                `json:"PayType"`
	ExpireTime                    string                `json:"ExpireTime,omitempty"`
	CreateTime                    string                `json:"CreateTime"`
	Checkpoint                    string                `json:"Checkpoint"` // unix seconds, as a string here
	Delay                         int64                 `json:"Delay"`      // seconds here (Behavior.DelayUnit)
	ErrorMessage                  string                `json:"ErrorMessage"`
	ErrorDetails                  []errorDetailJSON     `json:"ErrorDetails"`
	DbObject                      string                `json:"DbObject"`
	Reserved                      string                `json:"Reserved"`
	MigrationMode                 listMigrationModeJSON `json:"MigrationMode"`
	SourceEndpoint                dtsEndpointJSON       `json:"SourceEndpoint"`
	DestinationEndpoint           dtsEndpointJSON       `json:"DestinationEndpoint"`
	PrecheckStatus                dtsPrecheckJSON       `json:"PrecheckStatus"`
	StructureInitializationStatus dtsPhaseJSON          `json:"StructureInitializationStatus"`
	DataInitializationStatus      dtsPhaseJSON          `json:"DataInitializationStatus"`
	DataSynchronizationStatus     dtsPhaseJSON          `json:"DataSynchronizationStatus"`
	Performance                   dtsPerformanceJSON    `json:"Performance"`
	RetryState                    retryStateJSON        `json:"RetryState"`
	TagList                       []dtsTagJSON          `json:"TagList"`
}

// dtsJobItem is a DescribeDtsJobs entry: the Forward task, with the
// Reverse task nested for two-way jobs.
type dtsJobItem struct {
	dtsJobTask
	ReverseJob *dtsJobTask `json:"ReverseJob,omitempty"`
}

type dtsJobsResponse struct {
	RequestID        string       `json:"RequestId"`
	Success          bool         `json:"Success"`
	HTTPStatusCode   int          `json:"HttpStatusCode"`
	PageNumber       int          `json:"PageNumber"`
	PageRecordCount  int          `json:"PageRecordCount"`
	TotalRecordCount int          `json:"TotalRecordCount"`
	DtsJobList       []dtsJobItem `json:"DtsJobList"`
	EtlDemoList      []dtsJobItem `json:"EtlDemoList"`
}

// dtsJobErrorBody is a business error of the DtsJob family. The detail's
// SDK model has no DynamicCode; the other actions carry both.
type dtsJobErrorBody struct {
	RequestID      string  `json:"RequestId"`
	Success        bool    `json:"Success"`
	HTTPStatusCode int     `json:"HttpStatusCode"`
	ErrCode        string  `json:"ErrCode"`
	ErrMessage     string  `json:"ErrMessage"`
	DynamicCode    *string `json:"DynamicCode,omitempty"`
	DynamicMessage string  `json:"DynamicMessage"`
	gatewayFields
}

func dtsEndpointOut(e Endpoint, region string, list bool) dtsEndpointJSON {
	l := endpointOut(e)
	out := dtsEndpointJSON{InstanceID: l.InstanceID, InstanceType: l.InstanceType, EngineName: l.EngineName,
		IP: l.IP, Port: l.Port, Region: region, UserName: l.UserName, SslSolutionEnum: "DISABLE"}
	if list {
		out.OracleSID = new("")
	} else {
		out.CanModifyPassword = new(false)
	}
	return out
}

// dbObject is the job's objects in DTS's DbList JSON, inside a string.
func (j *job) dbObject() string {
	type table struct {
		Name string `json:"name"`
		All  bool   `json:"all"`
	}
	type schema struct {
		Name  string           `json:"name"`
		All   bool             `json:"all"`
		Table map[string]table `json:"Table,omitempty"`
	}
	out := map[string]schema{}
	for _, o := range j.cfg.Objects {
		sc := schema{Name: cmp.Or(o.NewSchemaName, o.SchemaName), All: len(o.Tables) == 0}
		for _, t := range o.Tables {
			if sc.Table == nil {
				sc.Table = map[string]table{}
			}
			sc.Table[t] = table{Name: t, All: true}
		}
		out[o.SchemaName] = sc
	}
	data, _ := json.Marshal(out)
	return string(data)
}

func (j *job) migrationMode() migrationModeJSON {
	return migrationModeJSON{StructureInitialization: j.cfg.StructureInitialization,
		DataInitialization: j.cfg.DataInitialization, DataSynchronization: true}
}

func (j *job) retryState(d *direction) retryStateJSON {
	r := retryStateJSON{MaxRetryTime: 43200}
	if d.status == StatusRetrying {
		r.Retrying, r.RetryCount, r.RetryTime = true, 1, 60
		r.RetryTarget, r.Module, r.JobID, r.ErrMessage = "srcDB", "reader", j.cfg.DtsJobID, d.errMsg
	}
	return r
}

// dtsSyncPhase is DataSynchronizationStatus in the DtsJob vocabulary.
func (j *job) dtsSyncPhase(d *direction, now time.Time) dtsPhaseJSON {
	_, _, _, status, percent := j.phases(d)
	p := j.performance(d, now)
	return dtsPhaseJSON{Status: status, Percent: percent, ErrorMessage: d.errMsg,
		Progress: p.RPS + ".00RPS/(" + p.Flow + "MB/s)"}
}

func (j *job) detailResponse(d *direction, now time.Time) dtsJobDetail {
	ckpt, lag := j.position(d, now)
	out := dtsJobDetail{
		DtsJobID:                  j.cfg.DtsJobID,
		DtsInstanceID:             j.cfg.ID,
		DtsJobName:                j.cfg.Name,
		DtsJobClass:               j.cfg.Class,
		SynchronizationDirection:  d.name,
		JobType:                   "sync",
		Status:                    j.dtsJobStatus(d),
		PayType:                   j.cfg.PayType,
		ExpireTime:                j.expireTime(),
		CreateTime:                j.cfg.CreateTime.UTC().Format(isoUTC),
		Checkpoint:                ckpt,
		Delay:                     j.beh.dtsJobDelay(lag, true),
		ErrorMessage:              d.errMsg,
		DbObject:                  j.dbObject(),
		Reserved:                  "{}",
		MigrationMode:             j.migrationMode(),
		SourceEndpoint:            dtsEndpointOut(j.cfg.Source, j.cfg.Region, false),
		DestinationEndpoint:       dtsEndpointOut(j.cfg.Destination, j.cfg.Region, false),
		DataSynchronizationStatus: j.dtsSyncPhase(d, now),
		RetryState:                j.retryState(d),
		SubSyncJob:                []any{},
		SubDistributedJob:         []any{},
	}
	if j.cfg.TwoWay {
		out.DtsJobDirection = d.name
	}
	return out
}

// dtsPhaseOf converts a legacy sub-status to the DtsJob one.
func dtsPhaseOf(p initStatusJSON) dtsPhaseJSON {
	return dtsPhaseJSON{Status: p.Status, Percent: p.Percent, Progress: p.Progress, ErrorMessage: p.ErrorMessage}
}

// dtsPrecheckStatus maps the legacy precheck vocabulary to the list's
// NotStarted|Checking|Failed|Finished.
func dtsPrecheckStatus(legacy string) string {
	switch legacy {
	case "Prechecking":
		return "Checking"
	case "Success":
		return "Finished"
	}
	return legacy
}

func (j *job) dtsJobTask(d *direction, now time.Time) dtsJobTask {
	ckpt, lag := j.position(d, now)
	pre, structure, data, _, _ := j.phases(d)
	perf := j.performance(d, now)
	tags := []dtsTagJSON{}
	for _, t := range j.cfg.Tags {
		tags = append(tags, dtsTagJSON{TagKey: t.Key, TagValue: t.Value})
	}
	preErr := ""
	if len(pre.Detail) > 0 {
		preErr = pre.Detail[0].ErrorMessage
	}
	return dtsJobTask{
		DtsJobID:                      j.cfg.DtsJobID,
		DtsInstanceID:                 j.cfg.ID,
		DtsJobName:                    j.cfg.Name,
		DtsJobClass:                   j.cfg.Class,
		DtsJobDirection:               d.name,
		JobType:                       "SYNC",
		Status:                        j.dtsJobStatus(d),
		PayType:                       j.cfg.PayType,
		ExpireTime:                    j.expireTime(),
		CreateTime:                    j.cfg.CreateTime.UTC().Format(isoUTC),
		Checkpoint:                    strconv.FormatInt(ckpt, 10),
		Delay:                         j.beh.dtsJobDelay(lag, false),
		ErrorMessage:                  d.errMsg,
		ErrorDetails:                  []errorDetailJSON{},
		DbObject:                      j.dbObject(),
		Reserved:                      "{}",
		MigrationMode:                 listMigrationModeJSON{migrationModeJSON: j.migrationMode()},
		SourceEndpoint:                dtsEndpointOut(j.cfg.Source, j.cfg.Region, true),
		DestinationEndpoint:           dtsEndpointOut(j.cfg.Destination, j.cfg.Region, true),
		PrecheckStatus:                dtsPrecheckJSON{Status: dtsPrecheckStatus(pre.Status), Percent: pre.Percent, ErrorMessage: preErr, Detail: []any{}},
		StructureInitializationStatus: dtsPhaseOf(structure),
		DataInitializationStatus:      dtsPhaseOf(data),
		DataSynchronizationStatus:     j.dtsSyncPhase(d, now),
		Performance:                   dtsPerformanceJSON{Flow: perf.Flow, Rps: perf.RPS},
		RetryState:                    j.retryState(d),
		TagList:                       tags,
	}
}

func (j *job) dtsJobItem(now time.Time) dtsJobItem {
	item := dtsJobItem{dtsJobTask: j.dtsJobTask(j.dirs[0], now)}
	if len(j.dirs) > 1 {
		r := j.dtsJobTask(j.dirs[1], now)
		item.ReverseJob = &r
	}
	return item
}
