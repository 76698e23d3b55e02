package fakedts

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Samples of docs/development/dts-api.md §8 (the DtsJob family).
const (
	refDtsSuspendSample = `{"HttpStatusCode":200,"RequestId":"01B6F25-21E7-4484-99D5-3EF2625Cxxxx","Success":true}`
	refDtsParamSample   = `{"HttpStatusCode":403,"RequestId":"01B6F25-21E7-4484-99D5-3EF2625Cyyyy","Success":false,"ErrCode":"InvalidParameter",
 "ErrMessage":"The Value of Input Parameter %s is not valid.","DynamicMessage":"DtsJobId","DynamicCode":"403"}`
	refDtsNotFoundSample = `{"HttpStatusCode":403,"RequestId":"01B6F25-21E7-4484-99D5-3EF2625Czzzz","Success":false,"ErrCode":"Forbidden.InstanceNotFound",
 "ErrMessage":"The specified instance is not found.","DynamicMessage":"","DynamicCode":""}`
	refDtsDetailSample = `{"RequestId":"29207299-7C41-493A-BA4F-2FAC5DE4xxxx","Success":true,"HttpStatusCode":200,"Code":200,
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
)

// The DescribeDtsJobs item as docs/development/dts-api.md §5.4 lists it (no sample exists):
// Checkpoint a string, Delay a number of seconds.
var (
	dtsListEndpointShape = map[string]any{"InstanceID": "string", "InstanceType": "string", "EngineName": "string",
		"Ip": "string", "Port": "string", "Region": "string", "DatabaseName": "string", "UserName": "string",
		"OracleSID": "string", "SslSolutionEnum": "string"}
	dtsPhaseShape = map[string]any{"Status": "string", "Percent": "string", "Progress": "string",
		"NeedUpgrade": "bool", "ErrorMessage": "string"}
	dtsTaskShape = map[string]any{
		"DtsJobId": "string", "DtsInstanceID": "string", "DtsJobName": "string", "DtsJobClass": "string",
		"DtsJobDirection": "string", "JobType": "string", "Status": "string", "PayType": "string",
		"CreateTime": "string", "Checkpoint": "string", "Delay": "number", "ErrorMessage": "string",
		"ErrorDetails": []any{}, "DbObject": "string", "Reserved": "string",
		"MigrationMode": map[string]any{"StructureInitialization": "bool", "DataInitialization": "bool",
			"DataSynchronization": "bool", "DataExtractTransformLoad": "bool", "FullDataCheck": "bool",
			"IncDataCheck": "bool", "StructureDataCheck": "bool"},
		"SourceEndpoint": dtsListEndpointShape, "DestinationEndpoint": dtsListEndpointShape,
		"PrecheckStatus":                map[string]any{"Status": "string", "Percent": "string", "ErrorMessage": "string", "Detail": []any{}},
		"StructureInitializationStatus": dtsPhaseShape, "DataInitializationStatus": dtsPhaseShape,
		"DataSynchronizationStatus": dtsPhaseShape,
		"Performance":               map[string]any{"Flow": "string", "Rps": "string"},
		"RetryState": map[string]any{"Retrying": "bool", "RetryCount": "number", "RetryTime": "number",
			"MaxRetryTime": "number", "RetryTarget": "string", "Module": "string", "JobId": "string", "ErrMessage": "string"},
		"TagList": []any{map[string]any{"TagKey": "string", "TagValue": "string"}},
	}
)

var ordersTask = map[string]string{"DtsJobId": "l3m1213ye7l0001"}

func TestDtsJobDefaultTaskIDs(t *testing.T) {
	t.Parallel()
	for _, j := range DefaultJobs() {
		if got := defaultDtsJobID(j.ID); got != strings.TrimPrefix(j.ID, "dts") {
			t.Errorf("%s: task ID %s, want the instance ID without dts", j.ID, got)
		}
	}
	// An instance ID whose rest has not the documented shape gets a
	// generated, stable task ID of that shape.
	a, b := defaultDtsJobID("dtsold000001"), defaultDtsJobID("dtsold000002")
	if !dtsJobIDPattern.MatchString(a) || a == b || a != defaultDtsJobID("dtsold000001") {
		t.Fatalf("generated task IDs %q %q", a, b)
	}
}

func TestShapeDtsJobSuspendStartAndErrors(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs()})
	_, body := call(t, s, "SuspendDtsJob", ordersTask)
	if d := cmp.Diff(shape(decode(t, refDtsSuspendSample)), shape(body)); d != "" || body["Success"] != true {
		t.Errorf("SuspendDtsJob vs reference (-want +got):\n%s", d)
	}
	_, body = call(t, s, "StartDtsJob", ordersTask)
	if d := cmp.Diff(shape(decode(t, refDtsSuspendSample)), shape(body)); d != "" || body["HttpStatusCode"] != 200.0 {
		t.Errorf("StartDtsJob vs reference (-want +got):\n%s", d)
	}
	status, body := call(t, s, "SuspendDtsJob", map[string]string{"DtsJobId": "nosuch000000001"})
	if d := cmp.Diff(shape(decode(t, refDtsNotFoundSample)), shape(body)); d != "" || status != http.StatusOK ||
		body["Success"] != false || body["ErrCode"] != CodeInstanceNotFound || body["DynamicCode"] != "" {
		t.Errorf("not found vs reference (-want +got):\n%s\n%d %v", d, status, body)
	}
	// Reverse on a one-way job: the message carries %s, DynamicMessage the name.
	status, body = call(t, s, "StartDtsJob", map[string]string{"DtsJobId": "l3m1213ye7l0001", "SynchronizationDirection": "Reverse"})
	if d := cmp.Diff(shape(decode(t, refDtsParamSample)), shape(body)); d != "" || body["ErrCode"] != CodeInvalidParameter ||
		body["ErrMessage"] != "The Value of Input Parameter %s is not valid." || body["DynamicMessage"] != "SynchronizationDirection" ||
		body["DynamicCode"] != "403" || body["HttpStatusCode"] != 403.0 || status != http.StatusOK {
		t.Errorf("one-way Reverse vs reference (-want +got):\n%s\n%v", d, body)
	}
	// A state conflict is a business error in the same shape.
	_, body = call(t, s, "StartDtsJob", ordersTask)
	if body["Success"] != false || body["ErrCode"] != CodeInvalidJobStatus {
		t.Errorf("start of a running job: %v", body)
	}
	// The detail's model has DynamicMessage but no DynamicCode.
	_, body = call(t, s, "DescribeDtsJobDetail", map[string]string{"DtsJobId": "nosuch000000001"})
	if _, has := body["DynamicCode"]; has || body["Success"] != false || body["ErrCode"] != CodeInstanceNotFound {
		t.Errorf("detail not found: %v", body)
	}
}

func TestShapeDescribeDtsJobDetail(t *testing.T) {
	t.Parallel()
	clock := manual()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: clock})
	mustDts(t, s, "SuspendDtsJob", ordersTask)
	clock.Advance(12 * time.Second)
	body := mustDts(t, s, "DescribeDtsJobDetail", ordersTask)
	subsetTypes(t, "detail", decode(t, refDtsDetailSample), body)
	if _, wrong := body["DtsInstanceId"]; wrong || body["DtsInstanceID"] != DefaultOrdersJobID {
		t.Errorf("the detail spells DtsInstanceID: %v", body)
	}
	if body["Status"] != StatusSuspending || body["DtsJobId"] != "l3m1213ye7l0001" || body["JobType"] != "sync" ||
		body["CreateTime"] != "2024-04-30T08:01:19Z" || body["Code"] != 200.0 {
		t.Errorf("detail values: %v", body)
	}
	// Delay in milliseconds, Checkpoint a number of seconds.
	if d := body["Delay"].(float64); d < 12000 || d > 15000 {
		t.Errorf("Delay %v, want about 12 000 ms", d)
	}
	legacy := statusOf(t, s, DefaultOrdersJobID, "")
	if fmt.Sprint(int64(body["Checkpoint"].(float64))) != legacy["Checkpoint"] {
		t.Errorf("checkpoint %v, legacy %v", body["Checkpoint"], legacy["Checkpoint"])
	}
	if _, has := body["DtsJobDirection"]; has {
		t.Error("a one-way job has no DtsJobDirection")
	}
	if body["DbObject"] != `{"shop":{"name":"shop","all":false,"Table":{"order_items":{"name":"order_items","all":true},"orders":{"name":"orders","all":true}}}}` {
		t.Errorf("DbObject %v", body["DbObject"])
	}
	// PrePaid: ExpireTime; two-way: DtsJobDirection per direction.
	body = mustDts(t, s, "DescribeDtsJobDetail", map[string]string{"DtsInstanceID": DefaultUsersJobID})
	if body["ExpireTime"] != "2030-12-31T16:00:00Z" {
		t.Errorf("ExpireTime %v", body["ExpireTime"])
	}
	body = mustDts(t, s, "DescribeDtsJobDetail", map[string]string{"DtsInstanceID": DefaultInventoryJobID, "SynchronizationDirection": "Reverse"})
	if body["DtsJobDirection"] != "Reverse" || body["SynchronizationDirection"] != "Reverse" {
		t.Errorf("reverse detail %v", body)
	}
}

func mustDts(t *testing.T, s *Server, action string, params map[string]string) map[string]any {
	t.Helper()
	status, body := call(t, s, action, params)
	if status != http.StatusOK || body["Success"] != true || body["HttpStatusCode"] != 200.0 {
		t.Fatalf("%s %v: %d %v", action, params, status, body)
	}
	wantRequestID(t, body)
	return body
}

func TestDtsJobKeys(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs()})
	detail := func(p map[string]string) (int, map[string]any) { return call(t, s, "DescribeDtsJobDetail", p) }
	for _, p := range []map[string]string{
		{"DtsJobId": "l3m1213ye7l0001"},
		{"DtsInstanceID": DefaultOrdersJobID},
		{"DtsJobId": "l3m1213ye7l0001", "DtsInstanceID": DefaultOrdersJobID},
		{"DtsJobId": "l3m1213ye7l0001", "RegionId": "cn-hangzhou"},
	} {
		if _, body := detail(p); body["DtsInstanceID"] != DefaultOrdersJobID {
			t.Errorf("%v: %v", p, body)
		}
	}
	for _, p := range []map[string]string{
		{"DtsJobId": "l3m1213ye7l0001", "DtsInstanceID": DefaultUsersJobID}, // two different jobs
		{"DtsJobId": "l3m1213ye7l0001", "RegionId": "cn-beijing"},
		{"DtsInstanceID": "dtsnosuch"},
	} {
		status, body := detail(p)
		if status != http.StatusOK || body["ErrCode"] != CodeInstanceNotFound {
			t.Errorf("%v: %d %v", p, status, body)
		}
	}
	// No ID, or only the spelling of the other actions: the detail wants
	// DtsInstanceID.
	for _, p := range []map[string]string{{}, {"DtsInstanceId": DefaultOrdersJobID}} {
		status, body := detail(p)
		wantGateway(t, status, body, http.StatusBadRequest, CodeMissingParameter)
	}
	// Suspend and Start take DtsInstanceId.
	mustDts(t, s, "SuspendDtsJob", map[string]string{"DtsInstanceId": DefaultOrdersJobID})
	status, body := call(t, s, "StartDtsJob", map[string]string{"DtsInstanceID": DefaultOrdersJobID})
	wantGateway(t, status, body, http.StatusBadRequest, CodeMissingParameter)
	status, body = call(t, s, "StartDtsJob", map[string]string{"DtsJobId": "l3m1213ye7l0001", "SynchronizationDirection": "Both"})
	if status != http.StatusOK || body["ErrCode"] != CodeInvalidParameter || body["DynamicMessage"] != "SynchronizationDirection" {
		t.Errorf("bad direction: %d %v", status, body)
	}
}

// Both families act on one job state.
func TestDtsJobSharesStateWithLegacy(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs()})
	inv := map[string]string{"DtsInstanceId": DefaultInventoryJobID, "SynchronizationDirection": "Reverse"}
	mustDts(t, s, "SuspendDtsJob", inv)
	wantStatus(t, s, DefaultInventoryJobID, DirectionReverse, StatusSuspending)
	wantStatus(t, s, DefaultInventoryJobID, DirectionForward, StatusSynchronizing)
	mustOK(t, s, "StartSynchronizationJob", map[string]string{"SynchronizationJobId": DefaultInventoryJobID, "SynchronizationDirection": "Reverse"})
	body := mustDts(t, s, "DescribeDtsJobDetail", map[string]string{"DtsInstanceID": DefaultInventoryJobID, "SynchronizationDirection": "Reverse"})
	if body["Status"] != StatusSynchronizing {
		t.Fatalf("resumed through the legacy family, detail says %v", body["Status"])
	}
	mustOK(t, s, "SuspendSynchronizationJob", ordersParams)
	body = mustDts(t, s, "DescribeDtsJobs", map[string]string{"JobType": "SYNC", "DtsJobId": "l3m1213ye7l0001"})
	if st := body["DtsJobList"].([]any)[0].(map[string]any)["Status"]; st != StatusSuspending {
		t.Fatalf("paused through the legacy family, list says %v", st)
	}
}

func TestShapeDescribeDtsJobs(t *testing.T) {
	t.Parallel()
	clock := manual()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: clock})
	mustDts(t, s, "SuspendDtsJob", map[string]string{"DtsInstanceId": DefaultInventoryJobID, "SynchronizationDirection": "Reverse"})
	clock.Advance(5 * time.Second)
	body := mustDts(t, s, "DescribeDtsJobs", map[string]string{"JobType": "SYNC"})
	top := map[string]any{"RequestId": "string", "Success": "bool", "HttpStatusCode": "number", "PageNumber": "number",
		"PageRecordCount": "number", "TotalRecordCount": "number", "DtsJobList": []any{}, "EtlDemoList": []any{}}
	got := shape(body).(map[string]any)
	got["DtsJobList"] = []any{}
	if d := cmp.Diff(top, got); d != "" {
		t.Errorf("DescribeDtsJobs shape (-want +got):\n%s", d)
	}
	list := body["DtsJobList"].([]any)
	if body["TotalRecordCount"] != 5.0 || len(list) != 5 {
		t.Fatalf("%v jobs", body["TotalRecordCount"])
	}
	// Default order: CreateTime ascending.
	if list[0].(map[string]any)["DtsInstanceID"] != DefaultOrdersJobID {
		t.Errorf("first job %v", list[0].(map[string]any)["DtsInstanceID"])
	}
	for _, it := range list {
		item := it.(map[string]any)
		want := map[string]any{}
		for k, v := range dtsTaskShape {
			want[k] = v
		}
		if item["DtsInstanceID"] == DefaultInventoryJobID {
			want["ReverseJob"] = dtsTaskShape
		}
		if item["PayType"] == PayTypePrePaid {
			want["ExpireTime"] = "string"
		}
		if d := cmp.Diff(want, shape(item)); d != "" {
			t.Errorf("%v shape (-want +got):\n%s", item["DtsInstanceID"], d)
		}
	}
	inv := list[2].(map[string]any)
	rev := inv["ReverseJob"].(map[string]any)
	if inv["DtsInstanceID"] != DefaultInventoryJobID || inv["DtsJobDirection"] != "Forward" ||
		rev["DtsJobDirection"] != "Reverse" || rev["Status"] != StatusSuspending || inv["Status"] != StatusSynchronizing {
		t.Errorf("two-way item %v", inv)
	}
	if d := rev["Delay"].(float64); d < 5 || d > 8 {
		t.Errorf("reverse Delay %v, want about 5 s", d)
	}
}

func TestDescribeDtsJobsFiltersAndPaging(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs()})
	ids := func(p map[string]string) []string {
		t.Helper()
		body := mustDts(t, s, "DescribeDtsJobs", p)
		var out []string
		for _, it := range body["DtsJobList"].([]any) {
			out = append(out, it.(map[string]any)["DtsInstanceID"].(string))
		}
		return out
	}
	if got := ids(map[string]string{}); len(got) != 0 {
		t.Errorf("JobType defaults to MIGRATION, which the fake has none of: %v", got)
	}
	if got := ids(map[string]string{"JobType": "SYNC", "RegionId": "cn-beijing"}); len(got) != 1 || got[0] != DefaultArchiveJobID {
		t.Errorf("RegionId filter: %v", got)
	}
	if got := ids(map[string]string{"JobType": "SYNC", "Region": "cn-beijing", "RegionId": "cn-hangzhou"}); len(got) != 1 {
		t.Errorf("Region wins over RegionId: %v", got)
	}
	if got := ids(map[string]string{"JobType": "SYNC", "Status": "NotStarted"}); len(got) != 1 || got[0] != DefaultPaymentsJobID {
		t.Errorf("Status filter: %v", got)
	}
	if got := ids(map[string]string{"JobType": "SYNC", "Type": "name", "Params": "USERS"}); len(got) != 1 || got[0] != DefaultUsersJobID {
		t.Errorf("name search: %v", got)
	}
	if got := ids(map[string]string{"JobType": "SYNC", "Tags": `[{"key":"team","value":"orders"}]`}); len(got) != 1 || got[0] != DefaultOrdersJobID {
		t.Errorf("tag filter: %v", got)
	}
	if got := ids(map[string]string{"JobType": "SYNC", "PageSize": "2", "PageNumber": "2", "OrderDirection": "DESC"}); len(got) != 2 ||
		got[0] != DefaultInventoryJobID || got[1] != DefaultUsersJobID {
		t.Errorf("page 2 of 2, newest first: %v", got)
	}
	for _, p := range []map[string]string{
		{"JobType": "sync"}, {"JobType": "SYNC", "PageSize": "101"}, {"JobType": "SYNC", "PageNumber": "0"},
		{"JobType": "SYNC", "OrderDirection": "UP"}, {"JobType": "SYNC", "Tags": "env=test"}, {"JobType": "SYNC", "Type": "owner"},
	} {
		status, body := call(t, s, "DescribeDtsJobs", p)
		wantGateway(t, status, body, http.StatusBadRequest, CodeInvalidParameter)
	}
	// The listed page sizes of DescribeDtsJobs include 20.
	s2 := newTestServer(t, Options{Jobs: DefaultJobs(), Behavior: Behavior{PageSizes: PageSizesListed}})
	mustDts(t, s2, "DescribeDtsJobs", map[string]string{"JobType": "SYNC", "PageSize": "20"})
	status, body := call(t, s2, "DescribeDtsJobs", map[string]string{"JobType": "SYNC", "PageSize": "10"})
	wantGateway(t, status, body, http.StatusBadRequest, CodeInvalidParameter)
}

func TestDtsJobSwitches(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Behavior: Behavior{LowercaseSynchronizing: true,
		BusinessErrorStatus: http.StatusForbidden, NotFoundCode: CodeInvalidJobID, RejectRepeatedChange: true}})
	if body := mustDts(t, s, "DescribeDtsJobDetail", ordersTask); body["Status"] != "synchronizing" {
		t.Errorf("lowercase: detail says %v", body["Status"])
	}
	body := mustDts(t, s, "DescribeDtsJobs", map[string]string{"JobType": "SYNC", "DtsJobId": "l3m1213ye7l0001"})
	if st := body["DtsJobList"].([]any)[0].(map[string]any)["Status"]; st != "synchronizing" {
		t.Errorf("lowercase: list says %v", st)
	}
	status, body := call(t, s, "StartDtsJob", map[string]string{"DtsJobId": "nosuch000000001"})
	if status != http.StatusForbidden || body["Success"] != false || body["ErrCode"] != CodeInvalidJobID ||
		body["Code"] != CodeInvalidJobID || body["HttpStatusCode"] != 403.0 {
		t.Errorf("403 InvalidJobId: %d %v", status, body)
	}
	if err := s.SetTransitionTime(DefaultOrdersJobID, time.Hour); err != nil {
		t.Fatal(err)
	}
	mustDts(t, s, "SuspendDtsJob", ordersTask)
	status, body = call(t, s, "SuspendDtsJob", ordersTask)
	if status != http.StatusForbidden || body["ErrCode"] != CodeInvalidJobStatus {
		t.Errorf("repeat rejected: %d %v", status, body)
	}
}

func TestDtsJobOnlyStatuses(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs()})
	set := func(status string) {
		t.Helper()
		if err := s.SetStatus(DefaultOrdersJobID, "", status); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct{ status, legacy string }{
		{StatusRetrying, StatusSynchronizing}, {StatusLocked, StatusFailed}, {StatusUpgrade, StatusModifying},
		{StatusDowngrade, StatusModifying}, {StatusNotConfigured, StatusNotStarted}, {StatusPreCheckPass, StatusNotStarted},
	}
	for _, c := range cases {
		set(c.status)
		if body := mustDts(t, s, "DescribeDtsJobDetail", ordersTask); body["Status"] != c.status {
			t.Errorf("detail says %v, want %s", body["Status"], c.status)
		}
		wantStatus(t, s, DefaultOrdersJobID, "", c.legacy)
	}
	set(StatusRetrying)
	rs := mustDts(t, s, "DescribeDtsJobDetail", ordersTask)["RetryState"].(map[string]any)
	if rs["Retrying"] != true || rs["RetryCount"] != 1.0 {
		t.Errorf("RetryState of a retrying job: %v", rs)
	}
	for _, st := range []string{StatusLocked, StatusRetrying, StatusNotConfigured} {
		set(st)
		for _, action := range []string{"SuspendDtsJob", "StartDtsJob"} {
			if _, body := call(t, s, action, ordersTask); body["ErrCode"] != CodeInvalidJobStatus {
				t.Errorf("%s of a %s job: %v", action, st, body)
			}
		}
	}
	set(StatusPreCheckPass)
	mustDts(t, s, "StartDtsJob", ordersTask)
	if j, _ := s.Job(DefaultOrdersJobID); j.Forward.Status != StatusSynchronizing {
		t.Errorf("start from PreCheckPass: %s", j.Forward.Status)
	}
}

func TestLegacyRefusesDtsJobs(t *testing.T) {
	t.Parallel()
	jobs := DefaultJobs()
	jobs[0].CreatedBy = CreatedByDtsJob // orders
	s := newTestServer(t, Options{Jobs: jobs, Behavior: Behavior{LegacyRefusesDtsJobs: true}})
	for _, action := range []string{"SuspendSynchronizationJob", "StartSynchronizationJob"} {
		status, body := call(t, s, action, ordersParams)
		wantBusiness(t, status, body, CodeInstanceNotFound)
	}
	wantStatus(t, s, DefaultOrdersJobID, "", StatusSynchronizing) // the legacy read still works
	mustDts(t, s, "SuspendDtsJob", ordersTask)
	mustOK(t, s, "SuspendSynchronizationJob", map[string]string{"SynchronizationJobId": DefaultUsersJobID})
	if j, _ := s.Job(DefaultUsersJobID); j.CreatedBy != CreatedBySynchronizationJob {
		t.Errorf("default created_by %q", j.CreatedBy)
	}

	// Without the switch the legacy actions serve every job.
	s2 := newTestServer(t, Options{Jobs: jobs})
	mustOK(t, s2, "SuspendSynchronizationJob", ordersParams)

	// The dts-job-only profile marks every job that names none.
	p, _ := ProfileByName("dts-job-only")
	s3 := newTestServer(t, Options{Jobs: DefaultJobs(), Behavior: p.Behavior})
	status, body := call(t, s3, "SuspendSynchronizationJob", map[string]string{"SynchronizationJobId": DefaultUsersJobID})
	wantBusiness(t, status, body, CodeInstanceNotFound)
	if j, _ := s3.Job(DefaultUsersJobID); j.CreatedBy != CreatedByDtsJob {
		t.Errorf("created_by under dts-job-only: %q", j.CreatedBy)
	}
}

// The DtsJob actions pass the same V1 and V3 checks, through the real
// darabonba client.
func TestDtsJobSignatures(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs()})
	for _, v1 := range []bool{false, true} {
		c := newSDKClient(t, s, DefaultCredential(), v1)
		body, err := sdkCall(c, "DescribeDtsJobDetail", ordersTask, false)
		if err != nil || body["DtsInstanceID"] != DefaultOrdersJobID {
			t.Fatalf("v1=%v: %v %v", v1, body, err)
		}
		bad := newSDKClient(t, s, Credential{AccessKeyID: DefaultCredential().AccessKeyID, AccessKeySecret: "wrong"}, v1)
		_, err = sdkCall(bad, "SuspendDtsJob", ordersTask, false)
		wantSDKError(t, err, http.StatusBadRequest, CodeSignatureDoesNotMatch)
	}
	status, body := doV3(t, s, v3Req{action: "DescribeDtsJobs", query: map[string]string{"JobType": "SYNC"}})
	if status != http.StatusOK || body["TotalRecordCount"] != 5.0 {
		t.Fatalf("V3 DescribeDtsJobs: %d %v", status, body)
	}
	status, body = doV3(t, s, v3Req{action: "SuspendDtsJob", query: ordersTask, badHash: true})
	wantGateway(t, status, body, http.StatusBadRequest, CodeSignatureDoesNotMatch)
	if j, _ := s.Job(DefaultOrdersJobID); j.Forward.Status != StatusSynchronizing {
		t.Fatal("a rejected signature changed the job")
	}
}
