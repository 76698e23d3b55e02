package fakedts

import (
	"net/http"
	"strings"
	"testing"
)

// wantDenied checks RAM's 403 for action: the gateway's fields plus
// AccessDeniedDetail naming the action and the kind of deny.
func wantDenied(t *testing.T, status int, body map[string]any, action, kind string) {
	t.Helper()
	wantGateway(t, status, body, http.StatusForbidden, CodeNoPermission)
	if msg := body["Message"].(string); !strings.Contains(msg, "Action: dts:"+action) {
		t.Errorf("Message %q does not name dts:%s", msg, action)
	}
	d, ok := body["AccessDeniedDetail"].(map[string]any)
	if !ok || d["AuthAction"] != "dts:"+action || d["NoPermissionType"] != kind {
		t.Fatalf("AccessDeniedDetail = %#v, want AuthAction dts:%s, NoPermissionType %s", body["AccessDeniedDetail"], action, kind)
	}
	if _, has := body["Success"]; has {
		t.Errorf("a RAM denial is a gateway answer, not a business one: %v", body)
	}
}

func TestPermissionsDefaultAllowsAll(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs()})
	st, body := call(t, s, "SuspendDtsJob", map[string]string{"DtsJobId": "l3m1213ye7l0001"})
	if st != http.StatusOK || body["Success"] != true {
		t.Fatalf("%d %v", st, body)
	}
	if p := s.CurrentPermissions(); p.Code != CodeNoPermission || len(p.Policies) != 0 {
		t.Fatalf("default permissions %+v", p)
	}
}

// A denied action answers 403 NoPermission in both families, never runs,
// and leaves the other family's equivalent alone.
func TestPermissionsDenyAction(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Permissions: Permissions{Policies: []Policy{
		{Deny: []string{"dts:SuspendDtsJob", "SuspendSynchronizationJob"}},
	}}})
	st, body := call(t, s, "SuspendDtsJob", map[string]string{"DtsJobId": "l3m1213ye7l0001", "RegionId": "cn-hangzhou"})
	wantDenied(t, st, body, "SuspendDtsJob", "ExplicitDeny")
	if !strings.Contains(body["Message"].(string), "acs:dts:cn-hangzhou:") {
		t.Errorf("Message should name the region's resource: %v", body["Message"])
	}
	st, body = call(t, s, "SuspendSynchronizationJob", map[string]string{"SynchronizationJobId": DefaultOrdersJobID})
	wantDenied(t, st, body, "SuspendSynchronizationJob", "ExplicitDeny")
	if j, _ := s.Job(DefaultOrdersJobID); j.Forward.Status != StatusSynchronizing || j.Forward.NextStatus != "" {
		t.Fatalf("a denied suspend changed the job: %+v", j.Forward)
	}
	calls := s.Calls()
	if last := calls[len(calls)-1]; last.Stage != StageRAM || last.Code != CodeNoPermission || last.HTTPStatus != 403 {
		t.Fatalf("call log %+v", last)
	}
	st, body = call(t, s, "DescribeDtsJobDetail", map[string]string{"DtsJobId": "l3m1213ye7l0001"})
	if st != http.StatusOK || body["Success"] != true {
		t.Fatalf("an action the policy does not deny: %d %v", st, body)
	}
	// V3-signed calls are judged the same way.
	st, body = doV3(t, s, v3Req{action: "SuspendDtsJob", query: map[string]string{"DtsJobId": "l3m1213ye7l0001"}})
	wantDenied(t, st, body, "SuspendDtsJob", "ExplicitDeny")
}

// An allow list denies every other action implicitly; patterns match as in
// RAM, case-insensitively.
func TestPermissionsAllowList(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Permissions: Permissions{Policies: []Policy{
		{Allow: []string{"dts:describe*"}},
	}}})
	for action, params := range map[string]map[string]string{
		"DescribeSynchronizationJobStatus":     {"SynchronizationJobId": DefaultOrdersJobID},
		"DescribeSynchronizationJobStatusList": {"SynchronizationJobIdListJsonStr": `["` + DefaultOrdersJobID + `"]`},
		"DescribeSynchronizationJobs":          {},
		"DescribeDtsJobDetail":                 {"DtsJobId": "l3m1213ye7l0001"},
		"DescribeDtsJobs":                      {"JobType": "SYNC"},
	} {
		st, body := call(t, s, action, params)
		if st != http.StatusOK {
			t.Errorf("%s allowed by dts:describe*: %d %v", action, st, body)
		}
	}
	for _, action := range []string{"SuspendDtsJob", "StartDtsJob", "SuspendSynchronizationJob", "StartSynchronizationJob"} {
		st, body := call(t, s, action, map[string]string{"SynchronizationJobId": DefaultOrdersJobID, "DtsJobId": "l3m1213ye7l0001"})
		wantDenied(t, st, body, action, "ImplicitDeny")
	}
}

// Policies are per access key; a key-less policy covers the keys without
// one of their own.
func TestPermissionsPerKey(t *testing.T) {
	t.Parallel()
	reader := Credential{AccessKeyID: "LTAIreader0000000001", AccessKeySecret: "reader-secret"}
	operator := Credential{AccessKeyID: "LTAIoperator00000001", AccessKeySecret: "operator-secret"}
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Credentials: []Credential{reader, operator, DefaultCredential()},
		Permissions: Permissions{Policies: []Policy{
			{AccessKeyID: reader.AccessKeyID, Allow: []string{"dts:Describe*"}},
			{AccessKeyID: operator.AccessKeyID, Allow: []string{"*"}, Deny: []string{"dts:Start*"}},
			{Allow: []string{}},
		}}})
	params := map[string]string{"SynchronizationJobId": DefaultOrdersJobID}
	st, body := doV1(t, s, v1Req{action: "SuspendSynchronizationJob", params: params, cred: &reader})
	wantDenied(t, st, body, "SuspendSynchronizationJob", "ImplicitDeny")
	st, body = doV1(t, s, v1Req{action: "SuspendSynchronizationJob", params: params, cred: &operator})
	wantOK(t, st, body)
	st, body = doV1(t, s, v1Req{action: "StartSynchronizationJob", params: params, cred: &operator})
	wantDenied(t, st, body, "StartSynchronizationJob", "ExplicitDeny")
	st, body = doV1(t, s, v1Req{action: "DescribeSynchronizationJobStatus", params: params, cred: &reader})
	wantOK(t, st, body)
	st, body = doV1(t, s, v1Req{action: "DescribeSynchronizationJobStatus", params: params})
	wantDenied(t, st, body, "DescribeSynchronizationJobStatus", "ImplicitDeny")
}

func TestPermissionsForbiddenRAMCode(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs()})
	if err := s.SetPermissions(Permissions{Code: CodeForbiddenRAM, Policies: []Policy{{Deny: []string{"dts:*"}}}}); err != nil {
		t.Fatal(err)
	}
	st, body := call(t, s, "DescribeDtsJobs", map[string]string{"JobType": "SYNC"})
	wantGateway(t, st, body, http.StatusForbidden, CodeForbiddenRAM)
	if d, _ := body["AccessDeniedDetail"].(map[string]any); d["AuthAction"] != "dts:DescribeDtsJobs" {
		t.Fatalf("AccessDeniedDetail %v", body["AccessDeniedDetail"])
	}
}

func TestPermissionsRefusesBadPolicies(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs()})
	for name, p := range map[string]Permissions{
		"other product": {Policies: []Policy{{Deny: []string{"ecs:DescribeInstances"}}}},
		"empty action":  {Policies: []Policy{{Allow: []string{"dts:"}}}},
		"bad pattern":   {Policies: []Policy{{Deny: []string{"dts:Describe["}}}},
		"duplicate key": {Policies: []Policy{{AccessKeyID: "a"}, {AccessKeyID: "a"}}},
		"unknown code":  {Code: "AccessDenied"},
	} {
		if err := s.SetPermissions(p); err == nil {
			t.Errorf("%s: %+v accepted", name, p)
		}
	}
	if p := s.CurrentPermissions(); len(p.Policies) != 0 {
		t.Fatalf("a refused policy changed the permissions: %+v", p)
	}
}

func TestAdminPermissions(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs()})
	st, body := admin(t, s, "POST", "/_admin/permissions",
		`{"policies":[{"access_key_id":"","allow":["dts:Describe*"],"deny":["dts:DescribeDtsJobs"]}]}`)
	if st != 200 || body["code"] != CodeNoPermission || len(body["policies"].([]any)) != 1 {
		t.Fatalf("set: %d %v", st, body)
	}
	st, resp := call(t, s, "DescribeDtsJobs", map[string]string{"JobType": "SYNC"})
	wantDenied(t, st, resp, "DescribeDtsJobs", "ExplicitDeny")
	st, resp = call(t, s, "StartDtsJob", map[string]string{"DtsJobId": "l3m1213ye7l0001"})
	wantDenied(t, st, resp, "StartDtsJob", "ImplicitDeny")
	st, body = admin(t, s, "GET", "/_admin/permissions", "")
	pol := body["policies"].([]any)[0].(map[string]any)
	if st != 200 || pol["allow"].([]any)[0] != "dts:Describe*" || pol["deny"].([]any)[0] != "dts:DescribeDtsJobs" {
		t.Fatalf("get: %d %v", st, body)
	}
	if st, body = admin(t, s, "POST", "/_admin/permissions", `{"policies":[{"deny":["oss:GetObject"]}]}`); st != 400 {
		t.Fatalf("bad policy: %d %v", st, body)
	}
	if st, body = admin(t, s, "DELETE", "/_admin/permissions", ""); st != 200 || len(body["policies"].([]any)) != 0 {
		t.Fatalf("clear: %d %v", st, body)
	}
	st, resp = call(t, s, "DescribeDtsJobs", map[string]string{"JobType": "SYNC"})
	if st != 200 {
		t.Fatalf("after clear: %d %v", st, resp)
	}
}
