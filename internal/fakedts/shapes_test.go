package fakedts

import (
	"encoding/json"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// shape replaces every JSON leaf by its JSON type name, and every array by
// the shape of its first element (or an empty array), so that answers can
// be compared with a declared shape, types included.
func shape(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = shape(e)
		}
		return out
	case []any:
		if len(x) == 0 {
			return []any{}
		}
		return []any{shape(x[0])}
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "bool"
	case nil:
		return "null"
	}
	return "?"
}

// subsetTypes checks that every key of the reference sample is in got,
// with the same JSON type, recursively.
func subsetTypes(t *testing.T, path string, ref, got any) {
	t.Helper()
	switch r := ref.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			t.Errorf("%s: got %T, want an object", path, got)
			return
		}
		for k, rv := range r {
			gv, ok := g[k]
			if !ok {
				t.Errorf("%s.%s: missing", path, k)
				continue
			}
			subsetTypes(t, path+"."+k, rv, gv)
		}
	case []any:
		g, ok := got.([]any)
		if !ok {
			t.Errorf("%s: got %T, want an array", path, got)
			return
		}
		if len(r) > 0 && len(g) > 0 {
			subsetTypes(t, path+"[0]", r[0], g[0])
		}
	default:
		if shape(ref) != shape(got) {
			t.Errorf("%s: got %s %v, want %s", path, shape(got), got, shape(ref))
		}
	}
}

func decode(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

var (
	endpointShape = map[string]any{"InstanceId": "string", "InstanceType": "string", "EngineName": "string",
		"IP": "string", "Port": "string", "UserName": "string"}
	initShape = map[string]any{"Status": "string", "Percent": "string", "Progress": "string", "ErrorMessage": "string"}
	objShape  = []any{map[string]any{"SchemaName": "string", "NewSchemaName": "string",
		"TableIncludes": []any{map[string]any{"TableName": "string"}}, "TableExcludes": []any{}}}
	perfShape = map[string]any{"FLOW": "string", "RPS": "string"}
)

func statusShape(prePaid bool) map[string]any {
	m := map[string]any{
		"RequestId": "string", "Success": "string", "SynchronizationJobId": "string", "TaskId": "string",
		"SynchronizationJobName": "string", "SynchronizationJobClass": "string", "SynchronizationDirection": "string",
		"Status": "string", "PayType": "string", "Delay": "string", "DelayMillis": "number", "Checkpoint": "string",
		"ErrorMessage": "string", "StructureInitialization": "string", "DataInitialization": "string",
		"SourceEndpoint": endpointShape, "DestinationEndpoint": endpointShape,
		"PrecheckStatus":                map[string]any{"Status": "string", "Percent": "string", "Detail": []any{}},
		"StructureInitializationStatus": initShape, "DataInitializationStatus": initShape,
		"DataSynchronizationStatus": map[string]any{"Status": "string", "Percent": "string", "Delay": "string",
			"DelayMillis": "number", "Checkpoint": "string", "ErrorMessage": "string"},
		"Performance": perfShape, "SynchronizationObjects": objShape,
	}
	if prePaid {
		m["ExpireTime"] = "string"
	}
	return m
}

// The DescribeSynchronizationJobStatus sample of docs/development/dts-api.md §8.
const refStatusSample = `{"RequestId":"DACDF659-AFC6-4DC8-ADB8-4569419A4xxx","Success":"true",
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

const refStatusListSample = `{"RequestId":"1413460B-138A-48D1-836C-B24EDDC1xxxx","Success":"true","PageNumber":1,"PageRecordCount":1,"TotalRecordCount":1,
 "SynchronizationJobListStatusList":[{"SynchronizationJobId":"dtsmr1q4mc2152xxxx","SynchronizationDirectionInfoList":[
   {"SynchronizationDirection":"Forward","Status":"Synchronizing","Checkpoint":"1714550400"},
   {"SynchronizationDirection":"Reverse","Status":"Suspending","Checkpoint":"1714549800"}]}]}`

const refSuspendSample = `{"RequestId":"C306C198-7807-409D-930A-D6CE6C32xxxx","Success":"true"}`

const refGatewaySample = `{"RequestId":"7A3E2B1C-0D4F-4A5B-9C8D-1E2F3A4Bxxxx","HostId":"dts.aliyuncs.com","Code":"SignatureDoesNotMatch",
 "Message":"Specified signature is not matched with our calculation.","Recommend":"https://error-center.aliyun.com/status/search?Keyword=SignatureDoesNotMatch&source=PopGw"}`

func TestShapeSuspendStartAndErrors(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: manual()})
	ok := map[string]any{"RequestId": "string", "Success": "string"}
	_, body := call(t, s, "SuspendSynchronizationJob", ordersParams)
	if d := cmp.Diff(ok, shape(body)); d != "" {
		t.Errorf("suspend shape (-want +got):\n%s", d)
	}
	if d := cmp.Diff(shape(decode(t, refSuspendSample)), shape(body)); d != "" {
		t.Errorf("suspend vs reference (-want +got):\n%s", d)
	}
	_, body = call(t, s, "StartSynchronizationJob", ordersParams)
	if d := cmp.Diff(ok, shape(body)); d != "" {
		t.Errorf("start shape (-want +got):\n%s", d)
	}
	_, body = call(t, s, "StartSynchronizationJob", ordersParams) // already running
	want := map[string]any{"RequestId": "string", "Success": "string", "ErrCode": "string", "ErrMessage": "string"}
	if d := cmp.Diff(want, shape(body)); d != "" || body["Success"] != "false" {
		t.Errorf("business error shape (-want +got):\n%s %v", d, body)
	}
	_, body = doV1(t, s, v1Req{action: describe, params: ordersParams, signedFor: "x"})
	if d := cmp.Diff(shape(decode(t, refGatewaySample)), shape(body)); d != "" {
		t.Errorf("gateway error vs reference (-want +got):\n%s", d)
	}
	if body["Recommend"] != "https://error-center.aliyun.com/status/search?Keyword=SignatureDoesNotMatch&source=PopGw" {
		t.Errorf("Recommend %v", body["Recommend"])
	}
}

func TestShapeDescribeStatus(t *testing.T) {
	t.Parallel()
	clock := manual()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: clock})
	mustOK(t, s, "SuspendSynchronizationJob", ordersParams)
	s.AdvanceClock(12 * time.Second)
	body := mustOK(t, s, describe, ordersParams)
	if d := cmp.Diff(statusShape(false), shape(body)); d != "" {
		t.Errorf("shape (-want +got):\n%s", d)
	}
	subsetTypes(t, "status", decode(t, refStatusSample), body)

	j, _ := s.Job(DefaultOrdersJobID)
	ckpt := strconv.FormatInt(j.Forward.Checkpoint, 10)
	delayMs := float64(j.Forward.Delay.Milliseconds())
	want := map[string]any{
		"SynchronizationJobId": DefaultOrdersJobID, "TaskId": "l3m1213ye7l0001", "SynchronizationJobName": "orders-sync",
		"SynchronizationJobClass": "medium", "SynchronizationDirection": "Forward", "Status": "Suspending",
		"PayType": "PostPaid", "Delay": strconv.FormatInt(int64(delayMs)/1000, 10), "DelayMillis": delayMs,
		"Checkpoint": ckpt, "ErrorMessage": "", "StructureInitialization": "true", "DataInitialization": "true",
		"SourceEndpoint": map[string]any{"InstanceId": "rm-bp1i99e8l7913a001", "InstanceType": "RDS", "EngineName": "MySQL",
			"IP": "172.16.88.10", "Port": "3306", "UserName": "dtstest"},
		"PrecheckStatus":            map[string]any{"Status": "Success", "Percent": "100", "Detail": []any{}},
		"DataSynchronizationStatus": map[string]any{"Status": "Suspending", "Percent": "95", "Delay": strconv.FormatInt(int64(delayMs)/1000, 10), "DelayMillis": delayMs, "Checkpoint": ckpt, "ErrorMessage": ""},
		"Performance":               map[string]any{"FLOW": "0", "RPS": "0"},
		"SynchronizationObjects": []any{map[string]any{"SchemaName": "shop", "NewSchemaName": "shop",
			"TableIncludes": []any{map[string]any{"TableName": "orders"}, map[string]any{"TableName": "order_items"}},
			"TableExcludes": []any{}}},
	}
	got := map[string]any{}
	for k := range want {
		got[k] = body[k]
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("values (-want +got):\n%s", d)
	}
	if delayMs < 12000 || delayMs > 15000 {
		t.Errorf("DelayMillis %v after a 12 s pause", delayMs)
	}

	// PrePaid jobs carry ExpireTime, in UTC ISO form.
	body = mustOK(t, s, describe, map[string]string{"SynchronizationJobId": DefaultUsersJobID})
	if d := cmp.Diff(statusShape(true), shape(body)); d != "" {
		t.Errorf("prepaid shape (-want +got):\n%s", d)
	}
	if body["ExpireTime"] != "2030-12-31T16:00:00Z" || body["PayType"] != "PrePaid" {
		t.Errorf("prepaid %v %v", body["ExpireTime"], body["PayType"])
	}
}

func TestShapeDescribeStatusList(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: manual()})
	mustOK(t, s, "SuspendSynchronizationJob", map[string]string{"SynchronizationJobId": DefaultInventoryJobID,
		"SynchronizationDirection": "Reverse"})
	body := mustOK(t, s, "DescribeSynchronizationJobStatusList", map[string]string{
		"SynchronizationJobIdListJsonStr": `["` + DefaultInventoryJobID + `","dtsunknown000000","` + DefaultOrdersJobID + `"]`})
	subsetTypes(t, "list", decode(t, refStatusListSample), body)
	want := map[string]any{"RequestId": "string", "Success": "string", "PageNumber": "number", "PageRecordCount": "number",
		"TotalRecordCount": "number", "SynchronizationJobListStatusList": []any{map[string]any{
			"SynchronizationJobId": "string", "SynchronizationDirectionInfoList": []any{map[string]any{
				"SynchronizationDirection": "string", "Status": "string", "Checkpoint": "string"}}}}}
	if d := cmp.Diff(want, shape(body)); d != "" {
		t.Errorf("shape (-want +got):\n%s", d)
	}
	list := body["SynchronizationJobListStatusList"].([]any)
	if len(list) != 2 || body["TotalRecordCount"] != 2.0 || body["PageRecordCount"] != 2.0 || body["PageNumber"] != 1.0 {
		t.Fatalf("unknown IDs should be absent: %v", body)
	}
	inv := list[0].(map[string]any)
	dirs := inv["SynchronizationDirectionInfoList"].([]any)
	if inv["SynchronizationJobId"] != DefaultInventoryJobID || len(dirs) != 2 ||
		dirs[0].(map[string]any)["SynchronizationDirection"] != "Forward" ||
		dirs[0].(map[string]any)["Status"] != "Synchronizing" ||
		dirs[1].(map[string]any)["SynchronizationDirection"] != "Reverse" ||
		dirs[1].(map[string]any)["Status"] != "Suspending" {
		t.Fatalf("two-way entry %v", inv)
	}
	if n := len(list[1].(map[string]any)["SynchronizationDirectionInfoList"].([]any)); n != 1 {
		t.Fatalf("one-way job has %d directions", n)
	}
	// RegionId hides jobs of other regions.
	body = mustOK(t, s, "DescribeSynchronizationJobStatusList", map[string]string{"RegionId": "cn-beijing",
		"SynchronizationJobIdListJsonStr": `["` + DefaultInventoryJobID + `","` + DefaultArchiveJobID + `"]`})
	if l := body["SynchronizationJobListStatusList"].([]any); len(l) != 1 ||
		l[0].(map[string]any)["SynchronizationJobId"] != DefaultArchiveJobID {
		t.Fatalf("region filter: %v", body)
	}
}

func TestShapeDescribeJobs(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: manual()})
	status, body := call(t, s, "DescribeSynchronizationJobs", nil)
	if status != 200 {
		t.Fatalf("%d %v", status, body)
	}
	if _, has := body["Success"]; has {
		t.Error("DescribeSynchronizationJobs has no Success field")
	}
	wantRequestID(t, body)
	items := body["SynchronizationInstances"].([]any)
	if len(items) != 5 || body["TotalRecordCount"] != 5.0 || body["PageRecordCount"] != 5.0 || body["PageNumber"] != 1.0 {
		t.Fatalf("paging %v %v %v", body["TotalRecordCount"], body["PageRecordCount"], body["PageNumber"])
	}
	itemShape := map[string]any{
		"SynchronizationJobId": "string", "SynchronizationJobName": "string", "SynchronizationJobClass": "string",
		"SynchronizationDirection": "string", "Status": "string", "PayType": "string", "Delay": "string",
		"ErrorMessage": "string", "StructureInitialization": "string", "DataInitialization": "string",
		"SourceEndpoint": endpointShape, "DestinationEndpoint": endpointShape,
		"PrecheckStatus":                map[string]any{"Status": "string", "Percent": "string", "Detail": []any{}},
		"StructureInitializationStatus": initShape, "DataInitializationStatus": initShape, "Performance": perfShape,
		"SynchronizationObjects": objShape, "CreateTime": "string", "JobCreateTime": "string",
		"InstanceCreateTime": "string", "Tags": []any{map[string]any{"Key": "string", "Value": "string"}},
	}
	wantTop := map[string]any{"RequestId": "string", "PageNumber": "number", "PageRecordCount": "number",
		"TotalRecordCount": "number", "SynchronizationInstances": []any{itemShape}}
	// Newest first: archive (PrePaid) leads, so its shape has ExpireTime.
	itemShape["ExpireTime"] = "string"
	if d := cmp.Diff(wantTop, shape(body)); d != "" {
		t.Errorf("shape (-want +got):\n%s", d)
	}
	first := items[0].(map[string]any)
	if first["SynchronizationJobId"] != DefaultArchiveJobID {
		t.Fatalf("order: first is %v", first["SynchronizationJobId"])
	}
	if first["CreateTime"] != "2024-05-05 20:30:00.0" || first["JobCreateTime"] != "2024-05-05T12:30:00Z" ||
		first["InstanceCreateTime"] != "2024-05-05T12:30:00Z" {
		t.Errorf("times %v %v %v", first["CreateTime"], first["JobCreateTime"], first["InstanceCreateTime"])
	}
	if !regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.0$`).MatchString(first["CreateTime"].(string)) {
		t.Errorf("CreateTime format %v", first["CreateTime"])
	}
	if d := cmp.Diff([]any{map[string]any{"Key": "env", "Value": "prod"}, map[string]any{"Key": "team", "Value": "archive"}},
		first["Tags"]); d != "" {
		t.Errorf("tags (-want +got):\n%s", d)
	}
}

func TestDescribeJobsFilters(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: manual()})
	ids := func(params map[string]string) ([]string, map[string]any) {
		t.Helper()
		status, body := call(t, s, "DescribeSynchronizationJobs", params)
		if status != 200 {
			t.Fatalf("%d %v", status, body)
		}
		var out []string
		for _, it := range body["SynchronizationInstances"].([]any) {
			out = append(out, it.(map[string]any)["SynchronizationJobId"].(string))
		}
		return out, body
	}
	check := func(name string, params map[string]string, want ...string) {
		t.Helper()
		got, _ := ids(params)
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", name, d)
		}
	}
	check("name substring, any case", map[string]string{"SynchronizationJobName": "SYNC"}, DefaultUsersJobID, DefaultOrdersJobID)
	check("tag key and value", map[string]string{"Tag.1.Key": "env", "Tag.1.Value": "test"},
		DefaultPaymentsJobID, DefaultUsersJobID, DefaultOrdersJobID)
	check("two tags", map[string]string{"Tag.1.Key": "env", "Tag.1.Value": "test", "Tag.2.Key": "team", "Tag.2.Value": "orders"},
		DefaultOrdersJobID)
	check("tag key only", map[string]string{"Tag.1.Key": "team"},
		DefaultArchiveJobID, DefaultPaymentsJobID, DefaultInventoryJobID, DefaultUsersJobID, DefaultOrdersJobID)
	check("region", map[string]string{"RegionId": "cn-beijing"}, DefaultArchiveJobID)
	check("no match", map[string]string{"SynchronizationJobName": "nothing"})
	check("page 2 of 2", map[string]string{"PageSize": "2", "PageNum": "2"}, DefaultInventoryJobID, DefaultUsersJobID)
	_, body := ids(map[string]string{"PageSize": "2", "PageNum": "3"})
	if body["PageRecordCount"] != 1.0 || body["TotalRecordCount"] != 5.0 || body["PageNumber"] != 3.0 {
		t.Errorf("paging %v", body)
	}
	_, body = ids(map[string]string{"PageNum": "9"})
	if l := body["SynchronizationInstances"].([]any); len(l) != 0 || body["PageRecordCount"] != 0.0 {
		t.Errorf("past the end: %v", body)
	}
	// Default page size 30.
	for i := range 40 {
		if err := s.AddJob(Job{ID: "dtsbulk" + strconv.Itoa(100+i), Name: "bulk"}); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := ids(map[string]string{"SynchronizationJobName": "bulk"})
	if len(got) != 30 {
		t.Errorf("default page size gave %d", len(got))
	}
	got, _ = ids(map[string]string{"SynchronizationJobName": "bulk", "PageSize": "100"})
	if len(got) != 40 {
		t.Errorf("page size 100 gave %d", len(got))
	}
}

func TestLowercaseSynchronizing(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: []Job{{ID: "dtslower00000001", LowercaseSynchronizing: true}}})
	body := mustOK(t, s, describe, map[string]string{"SynchronizationJobId": "dtslower00000001"})
	if body["Status"] != "synchronizing" {
		t.Fatalf("status %v", body["Status"])
	}
	body = mustOK(t, s, "DescribeSynchronizationJobStatusList", map[string]string{
		"SynchronizationJobIdListJsonStr": `["dtslower00000001"]`})
	if got := body["SynchronizationJobListStatusList"].([]any)[0].(map[string]any)["SynchronizationDirectionInfoList"].([]any)[0].(map[string]any)["Status"]; got != "synchronizing" {
		t.Fatalf("list status %v", got)
	}
	// The state machine itself still accepts the suspend.
	mustOK(t, s, "SuspendSynchronizationJob", map[string]string{"SynchronizationJobId": "dtslower00000001"})
	if j, _ := s.Job("dtslower00000001"); j.Forward.Status != StatusSuspending {
		t.Fatal(j.Forward.Status)
	}
}

func TestGETRequests(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs()})
	status, body := doV1(t, s, v1Req{method: "GET", action: describe, params: ordersParams})
	wantOK(t, status, body)
	if body["SynchronizationJobId"] != DefaultOrdersJobID {
		t.Fatal(body)
	}
}
