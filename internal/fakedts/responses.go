package fakedts

import (
	"cmp"
	"strconv"
	"time"
)

// JSON shapes of the legacy actions. Field names and JSON types follow the
// SDK models (docs/development/dts-api.md §5.1-5.3): numbers the SDK declares as strings are
// strings here too.

type endpointJSON struct {
	InstanceID   string `json:"InstanceId"`
	InstanceType string `json:"InstanceType"`
	EngineName   string `json:"EngineName"`
	IP           string `json:"IP"`
	Port         string `json:"Port"`
	UserName     string `json:"UserName"`
}

type precheckDetailJSON struct {
	ItemName     string `json:"ItemName"`
	CheckStatus  string `json:"CheckStatus"`
	ErrorMessage string `json:"ErrorMessage"`
	RepairMethod string `json:"RepairMethod"`
}

type precheckJSON struct {
	Status  string               `json:"Status"`
	Percent string               `json:"Percent"`
	Detail  []precheckDetailJSON `json:"Detail"`
}

type initStatusJSON struct {
	Status       string `json:"Status"`
	Percent      string `json:"Percent"`
	Progress     string `json:"Progress"`
	ErrorMessage string `json:"ErrorMessage"`
}

type dataSyncJSON struct {
	Status       string `json:"Status"`
	Percent      string `json:"Percent"`
	Delay        string `json:"Delay"`
	DelayMillis  int64  `json:"DelayMillis"`
	Checkpoint   string `json:"Checkpoint"`
	ErrorMessage string `json:"ErrorMessage"`
}

type performanceJSON struct {
	Flow string `json:"FLOW"`
	RPS  string `json:"RPS"`
}

type tableJSON struct {
	TableName string `json:"TableName"`
}

type objectJSON struct {
	SchemaName    string      `json:"SchemaName"`
	NewSchemaName string      `json:"NewSchemaName"`
	TableIncludes []tableJSON `json:"TableIncludes"`
	TableExcludes []tableJSON `json:"TableExcludes"`
}

type statusResponse struct {
	RequestID                     string          `json:"RequestId"`
	Success                       string          `json:"Success"`
	SynchronizationJobID          string          `json:"SynchronizationJobId"`
	TaskID                        string          `json:"TaskId"`
	SynchronizationJobName        string          `json:"SynchronizationJobName"`
	SynchronizationJobClass       string          `json:"SynchronizationJobClass"`
	SynchronizationDirection      string          `json:"SynchronizationDirection"`
	Status                        string          `json:"Status"`
	PayType                       string          `json:"PayType"`
	ExpireTime                    string          `json:"ExpireTime,omitempty"`
	Delay                         string          `json:"Delay"`
	DelayMillis                   int64           `json:"DelayMillis"`
	Checkpoint                    string          `json:"Checkpoint"`
	ErrorMessage                  string          `json:"ErrorMessage"`
	StructureInitialization       string          `json:"StructureInitialization"`
	DataInitialization            string          `json:"DataInitialization"`
	SourceEndpoint                endpointJSON    `json:"SourceEndpoint"`
	DestinationEndpoint           endpointJSON    `json:"DestinationEndpoint"`
	PrecheckStatus                precheckJSON    `json:"PrecheckStatus"`
	StructureInitializationStatus initStatusJSON  `json:"StructureInitializationStatus"`
	DataInitializationStatus      initStatusJSON  `json:"DataInitializationStatus"`
	DataSynchronizationStatus     dataSyncJSON    `json:"DataSynchronizationStatus"`
	Performance                   performanceJSON `json:"Performance"`
	SynchronizationObjects        []objectJSON    `json:"SynchronizationObjects"`
}

type directionInfoJSON struct {
	SynchronizationDirection string `json:"SynchronizationDirection"`
	Status                   string `json:"Status"`
	Checkpoint               string `json:"Checkpoint"`
}

type jobDirections struct {
	SynchronizationJobID             string              `json:"SynchronizationJobId"`
	SynchronizationDirectionInfoList []directionInfoJSON `json:"SynchronizationDirectionInfoList"`
}

type statusListResponse struct {
	RequestID        string          `json:"RequestId"`
	Success          string          `json:"Success"`
	PageNumber       int             `json:"PageNumber"`
	PageRecordCount  int             `json:"PageRecordCount"`
	TotalRecordCount int             `json:"TotalRecordCount"`
	List             []jobDirections `json:"SynchronizationJobListStatusList"`
}

type tagJSON struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

type jobItem struct {
	SynchronizationJobID          string          `json:"SynchronizationJobId"`
	SynchronizationJobName        string          `json:"SynchronizationJobName"`
	SynchronizationJobClass       string          `json:"SynchronizationJobClass"`
	SynchronizationDirection      string          `json:"SynchronizationDirection"`
	Status                        string          `json:"Status"`
	PayType                       string          `json:"PayType"`
	ExpireTime                    string          `json:"ExpireTime,omitempty"`
	Delay                         string          `json:"Delay"`
	ErrorMessage                  string          `json:"ErrorMessage"`
	StructureInitialization       string          `json:"StructureInitialization"`
	DataInitialization            string          `json:"DataInitialization"`
	SourceEndpoint                endpointJSON    `json:"SourceEndpoint"`
	DestinationEndpoint           endpointJSON    `json:"DestinationEndpoint"`
	PrecheckStatus                precheckJSON    `json:"PrecheckStatus"`
	StructureInitializationStatus initStatusJSON  `json:"StructureInitializationStatus"`
	DataInitializationStatus      initStatusJSON  `json:"DataInitializationStatus"`
	Performance                   performanceJSON `json:"Performance"`
	SynchronizationObjects        []objectJSON    `json:"SynchronizationObjects"`
	CreateTime                    string          `json:"CreateTime"`
	JobCreateTime                 string          `json:"JobCreateTime"`
	InstanceCreateTime            string          `json:"InstanceCreateTime"`
	Tags                          []tagJSON       `json:"Tags"`
}

type jobsResponse struct {
	RequestID        string    `json:"RequestId"`
	PageNumber       int       `json:"PageNumber"`
	PageRecordCount  int       `json:"PageRecordCount"`
	TotalRecordCount int       `json:"TotalRecordCount"`
	Items            []jobItem `json:"SynchronizationInstances"`
}

const isoUTC = "2006-01-02T15:04:05Z"

// utc8 is the zone of DescribeSynchronizationJobs' CreateTime.
var utc8 = time.FixedZone("UTC+8", 8*3600)

func endpointOut(e Endpoint) endpointJSON {
	port := ""
	if e.Port != 0 {
		port = strconv.Itoa(e.Port)
	}
	return endpointJSON{InstanceID: e.InstanceID, InstanceType: e.InstanceType, EngineName: e.EngineName,
		IP: e.IP, Port: port, UserName: e.UserName}
}

func objectsOut(objs []SyncObject) []objectJSON {
	out := []objectJSON{}
	for _, o := range objs {
		oj := objectJSON{SchemaName: o.SchemaName, NewSchemaName: cmp.Or(o.NewSchemaName, o.SchemaName),
			TableIncludes: []tableJSON{}, TableExcludes: []tableJSON{}}
		for _, t := range o.Tables {
			oj.TableIncludes = append(oj.TableIncludes, tableJSON{t})
		}
		for _, t := range o.ExcludeTables {
			oj.TableExcludes = append(oj.TableExcludes, tableJSON{t})
		}
		out = append(out, oj)
	}
	return out
}

// phases derives the precheck, initialization and synchronization
// sub-statuses from a direction's status.
func (j *job) phases(d *direction) (pre precheckJSON, structure, data initStatusJSON, syncStatus, syncPercent string) {
	tables := 0
	for _, o := range j.cfg.Objects {
		tables += len(o.Tables)
	}
	rows := strconv.FormatUint(100000+j.seed%900000, 10)
	notStarted := initStatusJSON{Status: "NotStarted", Percent: "0", Progress: "0"}
	finishedStructure := initStatusJSON{Status: "Finished", Percent: "100", Progress: strconv.Itoa(tables)}
	finishedData := initStatusJSON{Status: "Finished", Percent: "100", Progress: rows}
	pre = precheckJSON{Status: "Success", Percent: "100", Detail: []precheckDetailJSON{}}
	structure, data = notStarted, notStarted
	syncStatus, syncPercent = "NotStarted", "0"
	switch d.status {
	case StatusNotStarted, StatusNotConfigured:
		pre = precheckJSON{Status: "NotStarted", Percent: "0", Detail: []precheckDetailJSON{}}
	case StatusPreCheckPass:
	case StatusPrechecking:
		pre = precheckJSON{Status: "Prechecking", Percent: "50", Detail: []precheckDetailJSON{}}
	case StatusPrecheckFailed:
		pre = precheckJSON{Status: "Failed", Percent: "100", Detail: []precheckDetailJSON{{
			ItemName: "CHECK_CONN_SRC", CheckStatus: "Failed", ErrorMessage: d.errMsg,
			RepairMethod: "Check that the source database is reachable from DTS and the account is correct.",
		}}}
	case StatusInitializing:
		structure = finishedStructure
		data = initStatusJSON{Status: "Migrating", Percent: "50", Progress: "0"}
	case StatusInitializeFailed:
		structure = finishedStructure
		data = initStatusJSON{Status: "Failed", Percent: "50", Progress: "0", ErrorMessage: d.errMsg}
	default:
		structure, data = finishedStructure, finishedData
		syncPercent = "95"
		switch d.status {
		case StatusSynchronizing, StatusModifying, StatusRetrying, StatusUpgrade, StatusDowngrade:
			syncStatus = "Migrating"
		case StatusSuspending:
			syncStatus = "Suspending"
		case StatusFailed:
			syncStatus = "Failed"
		case StatusFinished:
			syncStatus, syncPercent = "Finished", "100"
		}
	}
	if !j.cfg.StructureInitialization {
		structure = notStarted
	}
	if !j.cfg.DataInitialization {
		data = notStarted
	}
	return pre, structure, data, syncStatus, syncPercent
}

func (j *job) performance(d *direction, now time.Time) performanceJSON {
	if d.status != StatusSynchronizing {
		return performanceJSON{Flow: "0", RPS: "0"}
	}
	rps := 10 + (j.seed+uint64(now.Unix()/5))%90
	return performanceJSON{Flow: strconv.FormatFloat(float64(rps)*0.004, 'f', 3, 64), RPS: strconv.FormatUint(rps, 10)}
}

func (j *job) expireTime() string {
	if j.cfg.PayType != PayTypePrePaid || j.cfg.ExpireTime.IsZero() {
		return ""
	}
	return j.cfg.ExpireTime.UTC().Format(isoUTC)
}

func (j *job) statusResponse(d *direction, now time.Time) statusResponse {
	ckpt, lag := j.position(d, now)
	pre, structure, data, syncStatus, syncPercent := j.phases(d)
	delay := strconv.FormatInt(lag/1000, 10)
	return statusResponse{
		SynchronizationJobID:          j.cfg.ID,
		TaskID:                        j.cfg.DtsJobID,
		SynchronizationJobName:        j.cfg.Name,
		SynchronizationJobClass:       j.cfg.Class,
		SynchronizationDirection:      d.name,
		Status:                        j.displayStatus(d),
		PayType:                       j.cfg.PayType,
		ExpireTime:                    j.expireTime(),
		Delay:                         delay,
		DelayMillis:                   lag,
		Checkpoint:                    strconv.FormatInt(ckpt, 10),
		ErrorMessage:                  d.errMsg,
		StructureInitialization:       strconv.FormatBool(j.cfg.StructureInitialization),
		DataInitialization:            strconv.FormatBool(j.cfg.DataInitialization),
		SourceEndpoint:                endpointOut(j.cfg.Source),
		DestinationEndpoint:           endpointOut(j.cfg.Destination),
		PrecheckStatus:                pre,
		StructureInitializationStatus: structure,
		DataInitializationStatus:      data,
		DataSynchronizationStatus: dataSyncJSON{Status: syncStatus, Percent: syncPercent, Delay: delay,
			DelayMillis: lag, Checkpoint: strconv.FormatInt(ckpt, 10), ErrorMessage: d.errMsg},
		Performance:            j.performance(d, now),
		SynchronizationObjects: objectsOut(j.cfg.Objects),
	}
}

func (j *job) directionsResponse(now time.Time) jobDirections {
	out := jobDirections{SynchronizationJobID: j.cfg.ID, SynchronizationDirectionInfoList: []directionInfoJSON{}}
	for _, d := range j.dirs {
		ckpt, _ := j.position(d, now)
		out.SynchronizationDirectionInfoList = append(out.SynchronizationDirectionInfoList, directionInfoJSON{
			SynchronizationDirection: d.name, Status: j.displayStatus(d), Checkpoint: strconv.FormatInt(ckpt, 10)})
	}
	return out
}

// listItem is the DescribeSynchronizationJobs view: one item per instance,
// showing the Forward direction.
func (j *job) listItem(now time.Time) jobItem {
	d := j.dirs[0]
	_, lag := j.position(d, now)
	pre, structure, data, _, _ := j.phases(d)
	tags := []tagJSON{}
	for _, t := range j.cfg.Tags {
		tags = append(tags, tagJSON(t))
	}
	created := j.cfg.CreateTime
	return jobItem{
		SynchronizationJobID:          j.cfg.ID,
		SynchronizationJobName:        j.cfg.Name,
		SynchronizationJobClass:       j.cfg.Class,
		SynchronizationDirection:      d.name,
		Status:                        j.displayStatus(d),
		PayType:                       j.cfg.PayType,
		ExpireTime:                    j.expireTime(),
		Delay:                         strconv.FormatInt(lag/1000, 10),
		ErrorMessage:                  d.errMsg,
		StructureInitialization:       strconv.FormatBool(j.cfg.StructureInitialization),
		DataInitialization:            strconv.FormatBool(j.cfg.DataInitialization),
		SourceEndpoint:                endpointOut(j.cfg.Source),
		DestinationEndpoint:           endpointOut(j.cfg.Destination),
		PrecheckStatus:                pre,
		StructureInitializationStatus: structure,
		DataInitializationStatus:      data,
		Performance:                   j.performance(d, now),
		SynchronizationObjects:        objectsOut(j.cfg.Objects),
		CreateTime:                    created.In(utc8).Format("2006-01-02 15:04:05") + ".0",
		JobCreateTime:                 created.UTC().Format(isoUTC),
		InstanceCreateTime:            created.UTC().Format(isoUTC),
		Tags:                          tags,
	}
}
