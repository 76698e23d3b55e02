package dtsclient

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Sample bodies from docs/development/dts-api.md §8 and §5.
const (
	sampleSuspendOK = `{"RequestId":"C306C198-7807-409D-930A-D6CE6C32xxxx","Success":"true"}`

	sampleStatusPaused = `{"RequestId":"DACDF659-AFC6-4DC8-ADB8-4569419A4xxx","Success":"true",
 "SynchronizationJobId":"dtsmr1q4mc2152xxxx","TaskId":"mr1q4mc2152xxxx","SynchronizationJobName":"orders-sync",
 "SynchronizationJobClass":"medium","SynchronizationDirection":"Forward","Status":"Suspending",
 "PayType":"PostPaid","Delay":"12","DelayMillis":12034,"Checkpoint":"1714550400","ErrorMessage":"",
 "StructureInitialization":"true","DataInitialization":"true",
 "SourceEndpoint":{"InstanceId":"rm-bp1i99e8l7913xxxx","InstanceType":"RDS","EngineName":"MySQL","IP":"172.16.88.xxx","Port":"3306","UserName":"dtstest"},
 "DestinationEndpoint":{"InstanceId":"rm-bp162d4tp0500xxxx","InstanceType":"RDS","EngineName":"MySQL","IP":"172.16.88.xxx","Port":"3306","UserName":"dtstest"},
 "PrecheckStatus":{"Status":"Success","Percent":"100","Detail":[]},
 "DataInitializationStatus":{"Status":"Finished","Percent":"100","Progress":"200001"},
 "DataSynchronizationStatus":{"Status":"Suspending","Percent":"95","Delay":"12","DelayMillis":12034,"Checkpoint":"1714550400"},
 "Performance":{"FLOW":"0","RPS":"0"},
 "SynchronizationObjects":[{"SchemaName":"shop","NewSchemaName":"shop","TableIncludes":[{"TableName":"orders"}],"TableExcludes":[]}]}`

	sampleStatusList = `{"RequestId":"1413460B-138A-48D1-836C-B24EDDC1xxxx","Success":"true","PageNumber":1,"PageRecordCount":1,"TotalRecordCount":1,
 "SynchronizationJobListStatusList":[{"SynchronizationJobId":"dtsmr1q4mc2152xxxx","SynchronizationDirectionInfoList":[
   {"SynchronizationDirection":"Forward","Status":"Synchronizing","Checkpoint":"1714550400"},
   {"SynchronizationDirection":"Reverse","Status":"Suspending","Checkpoint":"1714549800"}]}]}`

	sampleSuspendDtsJobOK     = `{"HttpStatusCode":200,"RequestId":"01B6F25-21E7-4484-99D5-3EF2625Cxxxx","Success":true}`
	sampleSuspendDtsJobBadArg = `{"HttpStatusCode":403,"RequestId":"01B6F25-21E7-4484-99D5-3EF2625Cyyyy","Success":false,"ErrCode":"InvalidParameter",
 "ErrMessage":"The Value of Input Parameter %s is not valid.","DynamicMessage":"DtsJobId","DynamicCode":"403"}`
	sampleSuspendDtsJobNotFound = `{"HttpStatusCode":403,"RequestId":"01B6F25-21E7-4484-99D5-3EF2625Czzzz","Success":false,"ErrCode":"Forbidden.InstanceNotFound",
 "ErrMessage":"The specified instance is not found.","DynamicMessage":"","DynamicCode":""}`

	sampleDtsJobDetail = `{"RequestId":"29207299-7C41-493A-BA4F-2FAC5DE4xxxx","Success":true,"HttpStatusCode":200,"Code":200,
 "DtsJobId":"mr1q4mc2152xxxx","DtsInstanceID":"dtsmr1q4mc2152xxxx","DtsJobName":"orders-sync","DtsJobClass":"medium",
 "JobType":"sync","SynchronizationDirection":"Forward","Status":"Suspending","PayType":"PostPaid",
 "CreateTime":"2024-04-30T08:01:19Z","Checkpoint":1714550400,"Delay":12034,"ErrorMessage":"",
 "DbObject":"{\"shop\":{\"name\":\"shop\",\"all\":true}}","Reserved":"{}",
 "MigrationMode":{"StructureInitialization":true,"DataInitialization":true,"DataSynchronization":true,"DataExtractTransformLoad":false},
 "SourceEndpoint":{"InstanceID":"rm-bp1i99e8l7913xxxx","InstanceType":"RDS","EngineName":"MySQL","Ip":"172.16.88.xxx","Port":"3306","Region":"cn-hangzhou","DatabaseName":"","UserName":"dtstest","SslSolutionEnum":"DISABLE","CanModifyPassword":false},
 "DestinationEndpoint":{"InstanceID":"rm-bp162d4tp0500xxxx","InstanceType":"RDS","EngineName":"MySQL","Ip":"172.16.88.xxx","Port":"3306","Region":"cn-hangzhou","UserName":"dtstest","SslSolutionEnum":"DISABLE"},
 "DataSynchronizationStatus":{"Status":"Suspending","Percent":"95","Progress":"0.00RPS/(0.000MB/s)","NeedUpgrade":false,"ErrorMessage":""},
 "RetryState":{"Retrying":false,"RetryCount":0,"RetryTime":0,"MaxRetryTime":43200,"RetryTarget":"","Module":"","JobId":"","ErrMessage":""},
 "SubSyncJob":[],"SubDistributedJob":[]}`

	sampleGatewayError = `{"RequestId":"7A3E2B1C-0D4F-4A5B-9C8D-1E2F3A4Bxxxx","HostId":"dts.aliyuncs.com","Code":"SignatureDoesNotMatch",
 "Message":"Specified signature is not matched with our calculation.","Recommend":"https://error-center.aliyun.com/status/search?Keyword=SignatureDoesNotMatch&source=PopGw"}`

	sampleJobs = `{"RequestId":"B2C3","PageNumber":"1","PageRecordCount":"2","TotalRecordCount":2,
 "SynchronizationInstances":[
  {"SynchronizationJobId":"dtsaaa","SynchronizationJobName":"orders-sync","SynchronizationJobClass":"small","Status":"synchronizing",
   "PayType":"PostPaid","ExpireTime":"","ErrorMessage":"","Delay":"3","CreateTime":"2021-06-28 17:34:53.0",
   "JobCreateTime":"2021-06-28T09:34:53Z","InstanceCreateTime":"2021-06-28T09:30:00Z",
   "SourceEndpoint":{"InstanceId":"rm-src","InstanceType":"RDS","EngineName":"MySQL","IP":"10.0.0.1","Port":3306,"UserName":"u"},
   "DestinationEndpoint":{"InstanceId":"rm-dst","InstanceType":"RDS","EngineName":"MySQL","IP":"10.0.0.2","Port":"3306","UserName":"u"},
   "Tags":[{"Key":"env","Value":"prod"}]},
  {"SynchronizationJobId":"dtsbbb","Status":"NotStarted","Delay":7}]}`
)

var statusPausedWant = &JobStatus{
	RequestID: "DACDF659-AFC6-4DC8-ADB8-4569419A4xxx", JobID: "dtsmr1q4mc2152xxxx",
	Name: "orders-sync", Class: "medium", Direction: "Forward", Status: StatusSuspending, PayType: "PostPaid",
	DelaySeconds: 12, DelayMillis: 12034, Checkpoint: 1714550400, Delay: 12034 * time.Millisecond, DelayReported: true,
	StructureInitialization: true, DataInitialization: true,
	Source:                    Endpoint{InstanceID: "rm-bp1i99e8l7913xxxx", InstanceType: "RDS", EngineName: "MySQL", IP: "172.16.88.xxx", Port: "3306", UserName: "dtstest"},
	Destination:               Endpoint{InstanceID: "rm-bp162d4tp0500xxxx", InstanceType: "RDS", EngineName: "MySQL", IP: "172.16.88.xxx", Port: "3306", UserName: "dtstest"},
	DataSynchronizationStatus: StatusSuspending,
	Family:                    FamilySynchronizationJob, DtsJobID: "mr1q4mc2152xxxx",
}

func raw200(body string) *rawResponse {
	return &rawResponse{status: http.StatusOK, header: http.Header{}, body: []byte(body)}
}

func TestDecodeJobStatus(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		body string
		want *JobStatus
	}{
		"reference sample, paused": {body: sampleStatusPaused, want: statusPausedWant},
		"boolean success, lowercase status, JSON numbers": {
			body: `{"RequestId":"R","Success":true,"SynchronizationJobId":"dtsx","Status":"synchronizing",
				"Delay":5,"DelayMillis":"5100","Checkpoint":1714550400,"StructureInitialization":true,"DataInitialization":false,
				"SourceEndpoint":{"InstanceId":"rm-a","Port":3306},
				"DataSynchronizationStatus":{"Status":"catched"}}`,
			want: &JobStatus{
				RequestID: "R", JobID: "dtsx", Status: StatusSynchronizing, DelaySeconds: 5, DelayMillis: 5100, Delay: 5100 * time.Millisecond, DelayReported: true,
				Checkpoint: 1714550400, StructureInitialization: true,
				Source: Endpoint{InstanceID: "rm-a", Port: "3306"}, DataSynchronizationStatus: "Catched",
			},
		},
		"missing optional objects": {
			body: `{"RequestId":"R","Success":"true","SynchronizationJobId":"dtsx","Status":"NotStarted"}`,
			want: &JobStatus{RequestID: "R", JobID: "dtsx", Status: StatusNotStarted},
		},
		"null and empty-string objects and numbers": {
			body: `{"RequestId":"R","Success":"TRUE","Status":"Failed","SourceEndpoint":null,"DestinationEndpoint":"",
				"DataSynchronizationStatus":"","Delay":"","Checkpoint":null,"DelayMillis":"n/a","StructureInitialization":"","ErrorMessage":"DTS-070211: Connect Source DB failed"}`,
			want: &JobStatus{RequestID: "R", Status: StatusFailed, ErrorMessage: "DTS-070211: Connect Source DB failed"},
		},
		"fractional and quoted numbers": {
			body: `{"Success":"true","Delay":"12.9","DelayMillis":1.2e4,"Checkpoint":" 1714550400 ","StructureInitialization":"1","DataInitialization":1}`,
			want: &JobStatus{DelaySeconds: 12, DelayMillis: 12000, Delay: 12 * time.Second, DelayReported: true, Checkpoint: 1714550400, StructureInitialization: true, DataInitialization: true},
		},
		"lowercase keys and unknown status": {
			body: `{"requestId":"R","success":"true","status":" Paused ","synchronizationDirection":"Reverse"}`,
			want: &JobStatus{RequestID: "R", Status: "Paused", Direction: "Reverse"},
		},
		"escaped strings": {
			body: `{"Success":"true","SynchronizationJobName":"a\"b\u00e9","ErrorMessage":"line1\nline2"}`,
			want: &JobStatus{Name: "a\"bé", ErrorMessage: "line1\nline2"},
		},
		"DescribeDtsJobDetail shape decodes without error": {
			body: sampleDtsJobDetail,
			want: &JobStatus{
				RequestID: "29207299-7C41-493A-BA4F-2FAC5DE4xxxx", Direction: "Forward", Status: StatusSuspending,
				PayType: "PostPaid", DelaySeconds: 12034, Checkpoint: 1714550400, Delay: 12034 * time.Second, DelayReported: true,
				Source:                    Endpoint{InstanceID: "rm-bp1i99e8l7913xxxx", InstanceType: "RDS", EngineName: "MySQL", IP: "172.16.88.xxx", Port: "3306", UserName: "dtstest", Region: "cn-hangzhou"},
				Destination:               Endpoint{InstanceID: "rm-bp162d4tp0500xxxx", InstanceType: "RDS", EngineName: "MySQL", IP: "172.16.88.xxx", Port: "3306", UserName: "dtstest", Region: "cn-hangzhou"},
				DataSynchronizationStatus: StatusSuspending,
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var w wireJobStatus
			if ae := interpret(raw200(tc.body), &w); ae != nil {
				t.Fatalf("interpret: %v", ae)
			}
			// Every legacy answer names its family and takes the task ID from TaskId.
			want := *tc.want
			want.Family = FamilySynchronizationJob
			if diff := cmp.Diff(&want, w.model()); diff != "" {
				t.Errorf("JobStatus (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeStatusList(t *testing.T) {
	t.Parallel()
	twoWay := []JobDirections{{
		JobID: "dtsmr1q4mc2152xxxx",
		Directions: []DirectionStatus{
			{Direction: DirectionForward, Status: StatusSynchronizing, Checkpoint: 1714550400},
			{Direction: DirectionReverse, Status: StatusSuspending, Checkpoint: 1714549800},
		},
	}}
	cases := map[string]struct {
		body string
		want []JobDirections
	}{
		"reference sample": {body: sampleStatusList, want: twoWay},
		"numbers, boolean success, lowercase": {
			body: `{"Success":true,"SynchronizationJobListStatusList":[{"SynchronizationJobId":"dtsmr1q4mc2152xxxx","SynchronizationDirectionInfoList":[
				{"SynchronizationDirection":"Forward","Status":"synchronizing","Checkpoint":1714550400},
				{"SynchronizationDirection":"Reverse","Status":"SUSPENDING","Checkpoint":1714549800}]}]}`,
			want: twoWay,
		},
		"XML-style wrappers": {
			body: `{"Success":"true","SynchronizationJobListStatusList":{"SynchronizationJobListStatus":[{"SynchronizationJobId":"dtsmr1q4mc2152xxxx",
				"SynchronizationDirectionInfoList":{"SynchronizationDirectionInfo":[
				{"SynchronizationDirection":"Forward","Status":"Synchronizing","Checkpoint":"1714550400"},
				{"SynchronizationDirection":"Reverse","Status":"Suspending","Checkpoint":"1714549800"}]}}]}}`,
			want: twoWay,
		},
		"bad items dropped": {
			body: `{"Success":"true","SynchronizationJobListStatusList":["junk",{"SynchronizationJobId":"dtsmr1q4mc2152xxxx",
				"SynchronizationDirectionInfoList":[7,{"SynchronizationDirection":"Forward","Status":"Synchronizing","Checkpoint":"1714550400"},
				{"SynchronizationDirection":"Reverse","Status":"Suspending","Checkpoint":1714549800}]}]}`,
			want: twoWay,
		},
		"missing list":       {body: `{"Success":"true"}`, want: []JobDirections{}},
		"job without infos":  {body: `{"Success":"true","SynchronizationJobListStatusList":[{"SynchronizationJobId":"dtsx"}]}`, want: []JobDirections{{JobID: "dtsx", Directions: []DirectionStatus{}}}},
		"null list and item": {body: `{"Success":"true","SynchronizationJobListStatusList":null}`, want: []JobDirections{}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var w wireStatusList
			if ae := interpret(raw200(tc.body), &w); ae != nil {
				t.Fatalf("interpret: %v", ae)
			}
			if diff := cmp.Diff(tc.want, w.model()); diff != "" {
				t.Errorf("JobDirections (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeJobList(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		body string
		want *ListJobsPage
	}{
		"no Success field, numbers as strings": {
			body: sampleJobs,
			want: &ListJobsPage{
				RequestID: "B2C3", PageNumber: 1, PageRecordCount: 2, TotalRecordCount: 2,
				Jobs: []JobSummary{
					{
						JobID: "dtsaaa", Name: "orders-sync", Class: "small", Status: StatusSynchronizing, PayType: "PostPaid",
						CreateTime: "2021-06-28 17:34:53.0", JobCreateTime: "2021-06-28T09:34:53Z", InstanceCreateTime: "2021-06-28T09:30:00Z",
						DelaySeconds: 3, Delay: 3 * time.Second, DelayReported: true,
						Source:      Endpoint{InstanceID: "rm-src", InstanceType: "RDS", EngineName: "MySQL", IP: "10.0.0.1", Port: "3306", UserName: "u"},
						Destination: Endpoint{InstanceID: "rm-dst", InstanceType: "RDS", EngineName: "MySQL", IP: "10.0.0.2", Port: "3306", UserName: "u"},
						Tags:        []Tag{{Key: "env", Value: "prod"}},
						Family:      FamilySynchronizationJob,
					},
					{JobID: "dtsbbb", Status: StatusNotStarted, DelaySeconds: 7, Delay: 7 * time.Second, DelayReported: true, Family: FamilySynchronizationJob},
				},
			},
		},
		"empty page": {
			body: `{"RequestId":"E","PageNumber":3,"PageRecordCount":0,"TotalRecordCount":2,"SynchronizationInstances":[]}`,
			want: &ListJobsPage{RequestID: "E", PageNumber: 3, TotalRecordCount: 2, Jobs: []JobSummary{}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var w wireJobList
			if ae := interpret(raw200(tc.body), &w); ae != nil {
				t.Fatalf("interpret: %v", ae)
			}
			if diff := cmp.Diff(tc.want, w.model()); diff != "" {
				t.Errorf("ListJobsPage (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeCommandResult(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"legacy string success": sampleSuspendOK,
		"new boolean success":   sampleSuspendDtsJobOK,
		"no success field":      `{"RequestId":"C306C198-7807-409D-930A-D6CE6C32xxxx"}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var w wireResult
			if ae := interpret(raw200(body), &w); ae != nil {
				t.Fatalf("interpret: %v", ae)
			}
			if w.RequestID == "" {
				t.Errorf("RequestId not decoded")
			}
		})
	}
}

// errorView is the comparable part of an APIError.
type errorView struct {
	HTTPStatus int
	Code       string
	Message    string
	RequestID  string
	Business   bool
	HasErr     bool
	EmptyBody  bool
}

func viewOf(ae *APIError) errorView {
	return errorView{
		HTTPStatus: ae.HTTPStatus, Code: ae.Code, Message: ae.Message, RequestID: ae.RequestID,
		Business: ae.business, HasErr: ae.Err != nil, EmptyBody: errors.Is(ae.Err, errEmptyBody),
	}
}

func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		status int
		header http.Header
		body   string
		want   errorView
	}{
		"legacy Success=false string": {
			status: 200,
			body:   `{"RequestId":"R1","Success":"false","ErrCode":"Forbidden.InstanceNotFound","ErrMessage":"The specified instance is not found."}`,
			want:   errorView{HTTPStatus: 200, Code: "Forbidden.InstanceNotFound", Message: "The specified instance is not found.", RequestID: "R1", Business: true},
		},
		"boolean Success=false with DynamicMessage": {
			status: 200, body: sampleSuspendDtsJobBadArg,
			want: errorView{HTTPStatus: 200, Code: "InvalidParameter", Message: "The Value of Input Parameter DtsJobId is not valid.", RequestID: "01B6F25-21E7-4484-99D5-3EF2625Cyyyy", Business: true},
		},
		"boolean Success=false, empty DynamicMessage": {
			status: 200, body: sampleSuspendDtsJobNotFound,
			want: errorView{HTTPStatus: 200, Code: "Forbidden.InstanceNotFound", Message: "The specified instance is not found.", RequestID: "01B6F25-21E7-4484-99D5-3EF2625Czzzz", Business: true},
		},
		"Success=false falls back to Code and Message": {
			status: 200, body: `{"RequestId":"R2","Success":false,"Code":"InvalidJobId","Message":"bad id"}`,
			want: errorView{HTTPStatus: 200, Code: "InvalidJobId", Message: "bad id", RequestID: "R2", Business: true},
		},
		"Success=false with numeric Code only": {
			status: 200, body: `{"RequestId":"R3","Success":"false","Code":200}`,
			want: errorView{HTTPStatus: 200, Message: "Success=false without an error code", RequestID: "R3", Business: true},
		},
		"business failure on HTTP 403": {
			status: 403, body: sampleSuspendDtsJobNotFound,
			want: errorView{HTTPStatus: 403, Code: "Forbidden.InstanceNotFound", Message: "The specified instance is not found.", RequestID: "01B6F25-21E7-4484-99D5-3EF2625Czzzz"},
		},
		"gateway 400 signature": {
			status: 400, body: sampleGatewayError,
			want: errorView{HTTPStatus: 400, Code: "SignatureDoesNotMatch", Message: "Specified signature is not matched with our calculation.", RequestID: "7A3E2B1C-0D4F-4A5B-9C8D-1E2F3A4Bxxxx"},
		},
		"gateway 400 throttling": {
			status: 400, body: `{"RequestId":"T1","Code":"Throttling.User","Message":"Request was denied due to user flow control."}`,
			want: errorView{HTTPStatus: 400, Code: "Throttling.User", Message: "Request was denied due to user flow control.", RequestID: "T1"},
		},
		"gateway 403 lowercase keys": {
			status: 403, body: `{"requestId":"L1","code":"Forbidden.RAM","message":"User not authorized"}`,
			want: errorView{HTTPStatus: 403, Code: "Forbidden.RAM", Message: "User not authorized", RequestID: "L1"},
		},
		"gateway 403 LXBuyError": {
			status: 403, body: `{"RequestId":"B1","HostId":"dts.aliyuncs.com","Code":"LXBuyError","Message":"Buy instance error.ARREARAGE"}`,
			want: errorView{HTTPStatus: 403, Code: "LXBuyError", Message: "Buy instance error.ARREARAGE", RequestID: "B1"},
		},
		"XML error body": {
			status: 404, header: http.Header{"Content-Type": {"text/xml;charset=utf-8"}},
			body: `<?xml version="1.0" encoding="UTF-8"?><Error><RequestId>X1</RequestId><Code>InvalidApi.NotFound</Code><Message>Specified api is not found.</Message></Error>`,
			want: errorView{HTTPStatus: 404, Code: "InvalidApi.NotFound", Message: "Specified api is not found.", RequestID: "X1"},
		},
		"HTML 502 from a proxy": {
			status: 502, header: http.Header{"Content-Type": {"text/html"}}, body: `<html><body>Bad Gateway</body></html>`,
			want: errorView{HTTPStatus: 502, Message: "Bad Gateway: undecodable response body (Content-Type text/html, 37 bytes)", HasErr: true},
		},
		"truncated JSON 503": {
			status: 503, body: `{"Code":"ServiceUnav`,
			want: errorView{HTTPStatus: 503, Message: "Service Unavailable: undecodable response body (no Content-Type, 20 bytes)", HasErr: true},
		},
		"empty 500 with header request id": {
			status: 500, header: http.Header{"X-Acs-Request-Id": {"H1"}},
			want: errorView{HTTPStatus: 500, Message: "Internal Server Error: empty response body", RequestID: "H1", HasErr: true, EmptyBody: true},
		},
		"empty 200": {
			status: 200, body: "  \n",
			want: errorView{HTTPStatus: 200, Message: "empty response body", HasErr: true, EmptyBody: true},
		},
		"non-JSON 200": {
			status: 200, header: http.Header{"Content-Type": {"text/xml"}}, body: `<Response><RequestId>1</RequestId></Response>`,
			want: errorView{HTTPStatus: 200, Message: "response body is not valid JSON (Content-Type text/xml, 45 bytes)", HasErr: true},
		},
		"JSON 4xx without code": {
			status: 404, body: `{}`,
			want: errorView{HTTPStatus: 404, Message: "Not Found"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := tc.header
			if h == nil {
				h = http.Header{}
			}
			var w wireJobStatus
			ae := interpret(&rawResponse{status: tc.status, header: h, body: []byte(tc.body)}, &w)
			if ae == nil {
				t.Fatal("interpret returned no error")
			}
			if diff := cmp.Diff(tc.want, viewOf(ae)); diff != "" {
				t.Errorf("APIError (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDecodeThroughClient checks that a response reaches the caller intact.
func TestDecodeThroughClient(t *testing.T) {
	t.Parallel()
	f := newFakeDTS(t, always(200, sampleStatusPaused))
	c := newTestClient(t, testConfig(t, f))
	got, err := c.DescribeSynchronizationJobStatus(testContext(t), JobRef{RegionID: "cn-hangzhou", JobID: "dtsmr1q4mc2152xxxx"})
	if err != nil {
		t.Fatalf("DescribeSynchronizationJobStatus: %v", err)
	}
	if diff := cmp.Diff(statusPausedWant, got); diff != "" {
		t.Errorf("JobStatus (-want +got):\n%s", diff)
	}

	f2 := newFakeDTS(t, always(200, sampleStatusList))
	c2 := newTestClient(t, testConfig(t, f2))
	dirs, err := c2.DescribeSynchronizationJobStatusList(testContext(t), "cn-hangzhou", []string{"dtsmr1q4mc2152xxxx"})
	if err != nil {
		t.Fatalf("DescribeSynchronizationJobStatusList: %v", err)
	}
	if len(dirs) != 1 || len(dirs[0].Directions) != 2 || dirs[0].Directions[1].Status != StatusSuspending {
		t.Errorf("status list = %+v", dirs)
	}
}
