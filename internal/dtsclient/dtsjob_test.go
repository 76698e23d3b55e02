package dtsclient

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Maintained-family bodies beyond the docs/development/dts-api.md §8 samples in decode_test.go,
// built from the §5.4 field types.
const (
	// A two-way job read for Reverse, answered the §6 way: the root is the
	// Forward task, the Reverse task sits in SubSyncJob[].ReverseJob, whose
	// Checkpoint is a string.
	sampleDtsJobDetailTwoWay = `{"RequestId":"D2","Success":true,"HttpStatusCode":200,"Code":200,
 "DtsJobId":"mr1q4mc2152xxxx","DtsInstanceID":"dtsmr1q4mc2152xxxx","DtsJobName":"orders-sync","DtsJobDirection":"Forward",
 "SynchronizationDirection":"Forward","Status":"synchronizing","PayType":"PrePaid","Checkpoint":1714550400,"Delay":1500,
 "SourceEndpoint":{"InstanceID":"rm-a","Ip":"10.0.0.1","Port":"3306","Region":"cn-hangzhou"},
 "DestinationEndpoint":{"InstanceID":"rm-b","Ip":"10.0.0.2","Port":"3306","Region":"cn-hangzhou"},
 "SubSyncJob":[{"DtsJobId":"mr1q4mc2152xxxx","Status":"Synchronizing","Checkpoint":"1714550400",
   "ReverseJob":{"DtsJobId":"rv1q4mc2152xxxx","DtsInstanceID":"dtsmr1q4mc2152xxxx","DtsJobDirection":"Reverse","Status":"Suspending",
     "Checkpoint":"1714549800","Delay":250,"ErrorMessage":"",
     "SourceEndpoint":{"InstanceID":"rm-b","Ip":"10.0.0.2","Port":3306},"DestinationEndpoint":{"InstanceID":"rm-a","Ip":"10.0.0.1","Port":3306}}}]}`

	// DescribeDtsJobs: a two-way job, a one-way job with quirky types, and an
	// item whose ReverseJob is an empty string.
	sampleDtsJobs = `{"RequestId":"L1","Success":true,"HttpStatusCode":200,"PageNumber":1,"PageRecordCount":3,"TotalRecordCount":3,
 "DtsJobList":[
  {"DtsJobId":"mr1q4mc2152xxxx","DtsInstanceID":"dtsmr1q4mc2152xxxx","DtsJobName":"orders-sync","DtsJobClass":"medium",
   "DtsJobDirection":"Forward","JobType":"SYNC","Status":"Synchronizing","PayType":"PostPaid","CreateTime":"2024-04-30T08:01:19Z",
   "Checkpoint":"1714550400","Delay":3,"ErrorMessage":"",
   "SourceEndpoint":{"InstanceID":"rm-a","InstanceType":"RDS","EngineName":"MySQL","Ip":"10.0.0.1","Port":"3306","Region":"cn-hangzhou","DatabaseName":"shop","UserName":"u"},
   "DestinationEndpoint":{"InstanceID":"rm-b","InstanceType":"RDS","EngineName":"MySQL","Ip":"10.0.0.2","Port":"3306","Region":"cn-hangzhou","UserName":"u"},
   "TagList":[{"TagKey":"env","TagValue":"prod"}],
   "ReverseJob":{"DtsJobId":"rv1q4mc2152xxxx","DtsInstanceID":"dtsmr1q4mc2152xxxx","DtsJobDirection":"Reverse","Status":"Suspending","Checkpoint":"1714549800","Delay":0}},
  {"DtsJobId":"kfq1149w254xxxx","DtsInstanceID":"dtskfq1149w254xxxx","Status":"Retrying","Checkpoint":1714540000,"Delay":"7","ReverseJob":null},
  {"DtsJobId":"exjk1alb116xxxx","DtsInstanceId":"dtsexjk1alb116xxxx","Status":"locked","ReverseJob":""}],
 "EtlDemoList":[]}`
)

func TestDecodeDtsJobDetail(t *testing.T) {
	t.Parallel()
	refForward := Endpoint{InstanceID: "rm-bp1i99e8l7913xxxx", InstanceType: "RDS", EngineName: "MySQL", IP: "172.16.88.xxx", Port: "3306", Region: "cn-hangzhou", UserName: "dtstest"}
	refDest := Endpoint{InstanceID: "rm-bp162d4tp0500xxxx", InstanceType: "RDS", EngineName: "MySQL", IP: "172.16.88.xxx", Port: "3306", Region: "cn-hangzhou", UserName: "dtstest"}
	cases := map[string]struct {
		body      string
		direction string
		want      *JobStatus
	}{
		"reference sample: DtsInstanceID, Delay in ms, numeric Checkpoint and Code": {
			body: sampleDtsJobDetail,
			want: &JobStatus{
				RequestID: "29207299-7C41-493A-BA4F-2FAC5DE4xxxx", JobID: "dtsmr1q4mc2152xxxx", DtsJobID: "mr1q4mc2152xxxx",
				Name: "orders-sync", Class: "medium", Direction: DirectionForward, Status: StatusSuspending, PayType: "PostPaid",
				DelaySeconds: 12, DelayMillis: 12034, Checkpoint: 1714550400, Delay: 12034 * time.Millisecond, DelayReported: true,
				StructureInitialization: true, DataInitialization: true,
				Source: refForward, Destination: refDest, DataSynchronizationStatus: StatusSuspending,
				Family: FamilyDtsJob,
			},
		},
		"Reverse from SubSyncJob ReverseJob, string Checkpoint, own endpoints": {
			body: sampleDtsJobDetailTwoWay, direction: DirectionReverse,
			want: &JobStatus{
				RequestID: "D2", JobID: "dtsmr1q4mc2152xxxx", DtsJobID: "rv1q4mc2152xxxx", Name: "orders-sync",
				Direction: DirectionReverse, Status: StatusSuspending, PayType: "PrePaid", DelayMillis: 250, Checkpoint: 1714549800, Delay: 250 * time.Millisecond, DelayReported: true,
				Source:      Endpoint{InstanceID: "rm-b", IP: "10.0.0.2", Port: "3306"},
				Destination: Endpoint{InstanceID: "rm-a", IP: "10.0.0.1", Port: "3306"},
				Family:      FamilyDtsJob,
			},
		},
		"Forward of a two-way job, lowercase synchronizing": {
			body: sampleDtsJobDetailTwoWay, direction: DirectionForward,
			want: &JobStatus{
				RequestID: "D2", JobID: "dtsmr1q4mc2152xxxx", DtsJobID: "mr1q4mc2152xxxx", Name: "orders-sync",
				Direction: DirectionForward, Status: StatusSynchronizing, PayType: "PrePaid", DelaySeconds: 1, DelayMillis: 1500, Checkpoint: 1714550400, Delay: 1500 * time.Millisecond, DelayReported: true,
				Source:      Endpoint{InstanceID: "rm-a", IP: "10.0.0.1", Port: "3306", Region: "cn-hangzhou"},
				Destination: Endpoint{InstanceID: "rm-b", IP: "10.0.0.2", Port: "3306", Region: "cn-hangzhou"},
				Family:      FamilyDtsJob,
			},
		},
		"root answers Reverse itself": {
			body:      `{"RequestId":"D3","Success":true,"DtsJobId":"rv1","DtsInstanceID":"dtsx","SynchronizationDirection":"Reverse","Status":"Suspending","Checkpoint":"1714549800"}`,
			direction: DirectionReverse,
			want: &JobStatus{
				RequestID: "D3", JobID: "dtsx", DtsJobID: "rv1", Direction: DirectionReverse, Status: StatusSuspending,
				Checkpoint: 1714549800, Family: FamilyDtsJob,
			},
		},
		"retrying with RetryState, string Success, DtsInstanceId spelling, no direction": {
			body: `{"RequestId":"D4","Success":"true","HttpStatusCode":"200","DtsJobId":"j1","DtsInstanceId":"dtsj1","Status":"Retrying",
				"Checkpoint":null,"Delay":"n/a","MigrationMode":"","SourceEndpoint":null,
				"RetryState":{"Retrying":true,"RetryCount":3,"RetryTime":120,"MaxRetryTime":43200,"RetryTarget":"srcDB","ErrMessage":"DTS-070211: Connect Source DB failed"}}`,
			want: &JobStatus{
				RequestID: "D4", JobID: "dtsj1", DtsJobID: "j1", Status: StatusRetrying, Family: FamilyDtsJob,
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var w wireDtsJobDetail
			if ae := interpret(raw200(tc.body), &w); ae != nil {
				t.Fatalf("interpret: %v", ae)
			}
			got, ok := w.model(tc.direction)
			if !ok {
				t.Fatal("model found no task for the direction")
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("JobStatus (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDecodeDtsJobDetailStatuses: every status of the new enum (docs/development/dts-api.md §6)
// in any casing comes out in its one spelling.
func TestDecodeDtsJobDetailStatuses(t *testing.T) {
	t.Parallel()
	for wire, want := range map[string]Status{
		"synchronizing": StatusSynchronizing, "Retrying": StatusRetrying, "Locked": StatusLocked,
		"NotConfigured": StatusNotConfigured, "PreCheckPass": StatusPreCheckPass, "precheckpass": StatusPreCheckPass,
		"Upgrade": StatusUpgrade, "Downgrade": StatusDowngrade, "SUSPENDING": StatusSuspending, "Finished": StatusFinished,
	} {
		var w wireDtsJobDetail
		if ae := interpret(raw200(`{"Success":true,"Status":"`+wire+`"}`), &w); ae != nil {
			t.Fatalf("%s: %v", wire, ae)
		}
		st, _ := w.model("")
		if st.Status != want {
			t.Errorf("Status %q decoded as %q, want %q", wire, st.Status, want)
		}
	}
}

func TestDescribeDtsJobDetailReverseOnOneWay(t *testing.T) {
	t.Parallel()
	f := newFakeDTS(t, always(200, sampleDtsJobDetail))
	c := newTestClient(t, testConfig(t, f))
	_, err := c.DescribeDtsJobDetail(testContext(t), JobRef{RegionID: "cn-hangzhou", DtsJobID: "mr1q4mc2152xxxx", Direction: DirectionReverse})
	if !errors.Is(err, ErrDirectionNotFound) {
		t.Fatalf("err = %v, want ErrDirectionNotFound", err)
	}
	if IsRetryable(err) || IsUnknownToFamily(err) {
		t.Errorf("a one-way answer must be neither retried nor sent to the other family: %v", err)
	}
	if !strings.Contains(err.Error(), "DescribeDtsJobDetail") || !strings.Contains(err.Error(), "Reverse") {
		t.Errorf("Error() = %q, want the action and the direction", err)
	}
}

func TestDecodeDtsJobs(t *testing.T) {
	t.Parallel()
	var w wireDtsJobList
	if ae := interpret(raw200(sampleDtsJobs), &w); ae != nil {
		t.Fatalf("interpret: %v", ae)
	}
	want := &ListJobsPage{
		RequestID: "L1", PageNumber: 1, PageRecordCount: 3, TotalRecordCount: 3,
		Jobs: []JobSummary{
			{
				JobID: "dtsmr1q4mc2152xxxx", DtsJobID: "mr1q4mc2152xxxx", Name: "orders-sync", Class: "medium", Status: StatusSynchronizing,
				PayType: "PostPaid", CreateTime: "2024-04-30T08:01:19Z", DelaySeconds: 3, Checkpoint: 1714550400, Delay: 3 * time.Second, DelayReported: true,
				Source:      Endpoint{InstanceID: "rm-a", InstanceType: "RDS", EngineName: "MySQL", IP: "10.0.0.1", Port: "3306", Region: "cn-hangzhou", DatabaseName: "shop", UserName: "u"},
				Destination: Endpoint{InstanceID: "rm-b", InstanceType: "RDS", EngineName: "MySQL", IP: "10.0.0.2", Port: "3306", Region: "cn-hangzhou", UserName: "u"},
				Tags:        []Tag{{Key: "env", Value: "prod"}},
				Family:      FamilyDtsJob,
				Directions: []DirectionStatus{
					{Direction: DirectionForward, Status: StatusSynchronizing, Checkpoint: 1714550400, DtsJobID: "mr1q4mc2152xxxx", Delay: 3 * time.Second, DelayReported: true},
					{Direction: DirectionReverse, Status: StatusSuspending, Checkpoint: 1714549800, DtsJobID: "rv1q4mc2152xxxx", DelayReported: true},
				},
			},
			{
				JobID: "dtskfq1149w254xxxx", DtsJobID: "kfq1149w254xxxx", Status: StatusRetrying, DelaySeconds: 7, Checkpoint: 1714540000, Delay: 7 * time.Second, DelayReported: true,
				Family:     FamilyDtsJob,
				Directions: []DirectionStatus{{Direction: DirectionForward, Status: StatusRetrying, Checkpoint: 1714540000, DtsJobID: "kfq1149w254xxxx", Delay: 7 * time.Second, DelayReported: true}},
			},
			{
				JobID: "dtsexjk1alb116xxxx", DtsJobID: "exjk1alb116xxxx", Status: StatusLocked, Family: FamilyDtsJob,
				Directions: []DirectionStatus{{Direction: DirectionForward, Status: StatusLocked, DtsJobID: "exjk1alb116xxxx"}},
			},
		},
	}
	got := w.model()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ListJobsPage (-want +got):\n%s", diff)
	}
	if !got.Jobs[0].HasReverse() || got.Jobs[1].HasReverse() {
		t.Errorf("HasReverse = %v, %v; want true, false", got.Jobs[0].HasReverse(), got.Jobs[1].HasReverse())
	}
	if d := got.Jobs[0].JobDirections(); d.JobID != "dtsmr1q4mc2152xxxx" || d.DtsJobID != "mr1q4mc2152xxxx" || len(d.Directions) != 2 {
		t.Errorf("JobDirections() = %+v", d)
	}
}

// TestDecodeDtsJobErrors: business failures of the maintained family, with
// DynamicMessage put into ErrMessage's %s, on HTTP 200 and 403 alike.
func TestDecodeDtsJobErrors(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		status int
		body   string
		want   errorView
	}{
		"200 InvalidParameter with DynamicMessage": {
			status: 200, body: sampleSuspendDtsJobBadArg,
			want: errorView{HTTPStatus: 200, Code: "InvalidParameter", Message: "The Value of Input Parameter DtsJobId is not valid.", RequestID: "01B6F25-21E7-4484-99D5-3EF2625Cyyyy", Business: true},
		},
		"403 InvalidParameter with DynamicMessage": {
			status: 403, body: sampleSuspendDtsJobBadArg,
			want: errorView{HTTPStatus: 403, Code: "InvalidParameter", Message: "The Value of Input Parameter DtsJobId is not valid.", RequestID: "01B6F25-21E7-4484-99D5-3EF2625Cyyyy"},
		},
		"DynamicMessage without %s is not appended": {
			status: 200, body: `{"RequestId":"E1","Success":false,"HttpStatusCode":400,"ErrCode":"InvalidJobStatus","ErrMessage":"The job status does not allow this.","DynamicMessage":"Suspending"}`,
			want: errorView{HTTPStatus: 200, Code: "InvalidJobStatus", Message: "The job status does not allow this.", RequestID: "E1", Business: true},
		},
		"DynamicMessage alone": {
			status: 200, body: `{"RequestId":"E2","Success":false,"ErrCode":"OperationDenied","DynamicMessage":"job is locked","DynamicCode":"403"}`,
			want: errorView{HTTPStatus: 200, Code: "OperationDenied", Message: "job is locked", RequestID: "E2", Business: true},
		},
		"detail not found with numeric Code beside ErrCode": {
			status: 403, body: `{"RequestId":"E3","Success":false,"HttpStatusCode":403,"Code":403,"ErrCode":"Forbidden.InstanceNotFound","ErrMessage":"The specified instance is not found."}`,
			want: errorView{HTTPStatus: 403, Code: "Forbidden.InstanceNotFound", Message: "The specified instance is not found.", RequestID: "E3"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var w wireDtsJobDetail
			ae := interpret(&rawResponse{status: tc.status, header: http.Header{}, body: []byte(tc.body)}, &w)
			if ae == nil {
				t.Fatal("interpret returned no error")
			}
			if diff := cmp.Diff(tc.want, viewOf(ae)); diff != "" {
				t.Errorf("APIError (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIsUnknownToFamily(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		err  error
		want bool
	}{
		"InvalidJobId (legacy not found)":         {err: &APIError{HTTPStatus: 200, Code: "InvalidJobId", business: true}, want: true},
		"Forbidden.InstanceNotFound (maintained)": {err: &APIError{HTTPStatus: 403, Code: "Forbidden.InstanceNotFound"}, want: true},
		"wrapped":                                   {err: fmt.Errorf("read: %w", &APIError{Code: "InvalidJobId"}), want: true},
		"InvalidParameter naming DtsJobId":          {err: &APIError{HTTPStatus: 403, Code: "InvalidParameter", dynamicMessage: "DtsJobId"}, want: true},
		"InvalidParameter naming DtsInstanceID":     {err: &APIError{HTTPStatus: 403, Code: "InvalidParameter", dynamicMessage: "DtsInstanceID"}, want: true},
		"InvalidParameter naming another parameter": {err: &APIError{HTTPStatus: 403, Code: "InvalidParameter", dynamicMessage: "SynchronizationDirection"}},
		"InvalidParameter without a name":           {err: &APIError{HTTPStatus: 400, Code: "InvalidParameter"}},
		"unknown action":                            {err: &APIError{HTTPStatus: 404, Code: "InvalidApi.NotFound"}, want: true},
		"unknown action variant":                    {err: &APIError{HTTPStatus: 404, Code: "InvalidAction.NotFound"}, want: true},
		"unsupported operation":                     {err: &APIError{HTTPStatus: 400, Code: "UnsupportedOperation"}, want: true},
		"RAM denies the action":                     {err: &APIError{HTTPStatus: 403, Code: "Forbidden.RAM"}},
		"plain Forbidden":                           {err: &APIError{HTTPStatus: 403, Code: "Forbidden"}},
		"NoPermission":                              {err: &APIError{HTTPStatus: 403, Code: "NoPermission"}},
		"job-state conflict":                        {err: &APIError{Code: "InvalidJobStatus", business: true}},
		"Forbidden state conflict":                  {err: &APIError{HTTPStatus: 403, Code: "Forbidden.JobStatusLocked"}},
		"throttled":                                 {err: &APIError{HTTPStatus: 400, Code: "Throttling.User"}},
		"arrears":                                   {err: &APIError{HTTPStatus: 403, Code: "LXBuyError"}},
		"server error":                              {err: &APIError{HTTPStatus: 503, Code: "ServiceUnavailable"}},
		"signature":                                 {err: &APIError{HTTPStatus: 400, Code: "SignatureDoesNotMatch"}},
		"invalid input":                             {err: &APIError{Err: ErrInvalidInput}},
		"direction not found":                       {err: &APIError{HTTPStatus: 200, Err: ErrDirectionNotFound}},
		"not an APIError":                           {err: errors.New("InvalidJobId")},
		"nil":                                       {},
	}
	for name, tc := range cases {
		if got := IsUnknownToFamily(tc.err); got != tc.want {
			t.Errorf("%s: IsUnknownToFamily(%v) = %v, want %v", name, tc.err, got, tc.want)
		}
	}
}

// An authorization failure is neither "not found" nor a reason to try the
// other family.
func TestIsAuthorizationFailure(t *testing.T) {
	t.Parallel()
	for err, want := range map[error]bool{
		&APIError{HTTPStatus: 403, Code: "Forbidden.RAM"}:                 true,
		&APIError{HTTPStatus: 403, Code: "Forbidden"}:                     true,
		&APIError{HTTPStatus: 403, Code: "NoPermission"}:                  true,
		&APIError{HTTPStatus: 403, Code: "NoPermission.SuspendDtsJob"}:    true,
		&APIError{HTTPStatus: 403, Code: "AccessDenied"}:                  true,
		fmt.Errorf("read: %w", &APIError{Code: "Forbidden.NoPermission"}): true,
		&APIError{HTTPStatus: 403, Code: "Forbidden.InstanceNotFound"}:    false,
		&APIError{HTTPStatus: 403, Code: "Forbidden.JobStatusLocked"}:     false,
		&APIError{HTTPStatus: 200, Code: "InvalidJobId", business: true}:  false,
		&APIError{HTTPStatus: 400, Code: "Throttling.User"}:               false,
		&APIError{HTTPStatus: 404, Code: "InvalidApi.NotFound"}:           false,
		&APIError{HTTPStatus: 400, Code: "SignatureDoesNotMatch"}:         false,
		errors.New("Forbidden.RAM"):                                       false,
	} {
		if got := IsAuthorizationFailure(err); got != want {
			t.Errorf("IsAuthorizationFailure(%v) = %v, want %v", err, got, want)
		}
		if IsAuthorizationFailure(err) && (IsUnknownToFamily(err) || IsNotFound(err)) {
			t.Errorf("%v is an authorization failure and also not found or unknown to the family", err)
		}
	}
}

func TestIsDirectionRejected(t *testing.T) {
	t.Parallel()
	for err, want := range map[error]bool{
		&APIError{HTTPStatus: 403, Code: "InvalidParameter", dynamicMessage: "SynchronizationDirection"}:        true,
		&APIError{HTTPStatus: 200, Err: ErrDirectionNotFound}:                                                   true,
		fmt.Errorf("read: %w", &APIError{Code: "InvalidParameter", dynamicMessage: "synchronizationdirection"}): true,
		&APIError{HTTPStatus: 403, Code: "InvalidParameter", dynamicMessage: "DtsJobId"}:                        false,
		&APIError{HTTPStatus: 403, Code: "Forbidden.InstanceNotFound"}:                                          false,
	} {
		if got := IsDirectionRejected(err); got != want {
			t.Errorf("IsDirectionRejected(%v) = %v, want %v", err, got, want)
		}
	}
}

// TestUnknownToFamilyThroughClient: the reference's InvalidParameter answer
// reaches IsUnknownToFamily through a real call, DynamicMessage and all.
func TestUnknownToFamilyThroughClient(t *testing.T) {
	t.Parallel()
	f := newFakeDTS(t, always(403, sampleSuspendDtsJobBadArg))
	c := newTestClient(t, testConfig(t, f))
	_, err := c.SuspendDtsJob(testContext(t), JobRef{RegionID: "cn-hangzhou", DtsJobID: "mr1q4mc2152xxxx"})
	if !IsUnknownToFamily(err) || IsRetryable(err) {
		t.Fatalf("err = %v: unknown to family %v, retryable %v; want true, false", err, IsUnknownToFamily(err), IsRetryable(err))
	}
	if !strings.Contains(err.Error(), "The Value of Input Parameter DtsJobId is not valid.") {
		t.Errorf("Error() = %q, want DynamicMessage substituted", err)
	}
	if f.count() != 1 {
		t.Errorf("requests = %d, want 1", f.count())
	}
}

func TestDtsJobInvalidInputSendsNothing(t *testing.T) {
	t.Parallel()
	f := newFakeDTS(t, always(200, okBody))
	c := newTestClient(t, testConfig(t, f))
	ctx := testContext(t)
	for name, call := range map[string]func() error{
		"no ID": func() error {
			_, err := c.DescribeDtsJobDetail(ctx, JobRef{RegionID: "cn-hangzhou", Direction: "Forward"})
			return err
		},
		"bad direction": func() error {
			_, err := c.SuspendDtsJob(ctx, JobRef{DtsJobID: "mr1q4mc2152xxxx", Direction: "Sideways"})
			return err
		},
		"blank IDs": func() error { _, err := c.StartDtsJob(ctx, JobRef{DtsJobID: " ", JobID: "\t"}); return err },
		"tag without key": func() error {
			_, err := c.DescribeDtsJobs(ctx, ListDtsJobsInput{Tags: []Tag{{Value: "v"}}})
			return err
		},
	} {
		if err := call(); !errors.Is(err, ErrInvalidInput) || IsRetryable(err) || IsUnknownToFamily(err) {
			t.Errorf("%s: err = %v, want non-retryable ErrInvalidInput", name, err)
		}
	}
	if f.count() != 0 {
		t.Errorf("requests = %d, want 0", f.count())
	}
}

// TestDtsJobOneIDSendsOne: a call with only the task ID or only the instance
// ID sends only that one.
func TestDtsJobOneIDSendsOne(t *testing.T) {
	t.Parallel()
	f := newFakeDTS(t, always(200, sampleSuspendDtsJobOK))
	c := newTestClient(t, testConfig(t, f))
	ctx := testContext(t)
	if _, err := c.SuspendDtsJob(ctx, JobRef{DtsJobID: "mr1q4mc2152xxxx"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.StartDtsJob(ctx, JobRef{JobID: "dtsmr1q4mc2152xxxx"}); err != nil {
		t.Fatal(err)
	}
	reqs := f.requests()
	if q := reqs[0].Query; q.Get("DtsJobId") != "mr1q4mc2152xxxx" || q.Has("DtsInstanceId") || q.Has("SynchronizationDirection") || q.Has("RegionId") {
		t.Errorf("task-ID-only query = %v", q)
	}
	if q := reqs[1].Query; q.Get("DtsInstanceId") != "dtsmr1q4mc2152xxxx" || q.Has("DtsJobId") {
		t.Errorf("instance-ID-only query = %v", q)
	}
}

// pagedDtsJobs serves total one-way jobs in pages, honouring PageNumber and PageSize.
func pagedDtsJobs(total int) func(int, *http.Request) reply {
	return func(_ int, r *http.Request) reply {
		q := r.URL.Query()
		page, _ := strconv.Atoi(q.Get("PageNumber"))
		size, _ := strconv.Atoi(q.Get("PageSize"))
		var items []string
		for i := (page - 1) * size; i < page*size && i < total; i++ {
			items = append(items, fmt.Sprintf(`{"DtsJobId":"job%05d","DtsInstanceID":"dtsjob%05d","Status":"Synchronizing","Checkpoint":"%d"}`, i, i, 1714550400+i))
		}
		return reply{body: fmt.Sprintf(`{"RequestId":"P%d","Success":true,"HttpStatusCode":200,"PageNumber":%d,"PageRecordCount":%d,"TotalRecordCount":%d,"DtsJobList":[%s]}`,
			page, page, len(items), total, strings.Join(items, ","))}
	}
}

func TestListAllDtsJobs(t *testing.T) {
	t.Parallel()
	f := newFakeDTS(t, pagedDtsJobs(250))
	c := newTestClient(t, testConfig(t, f))
	jobs, err := c.ListAllDtsJobs(testContext(t), ListDtsJobsInput{RegionID: "cn-hangzhou"})
	if err != nil {
		t.Fatalf("ListAllDtsJobs: %v", err)
	}
	if len(jobs) != 250 || jobs[249].JobID != "dtsjob00249" || jobs[249].Directions[0].Checkpoint != 1714550649 {
		t.Fatalf("got %d jobs, last %+v", len(jobs), jobs[len(jobs)-1])
	}
	reqs := f.requests()
	if len(reqs) != 3 {
		t.Fatalf("requests = %d, want 3 pages of 100", len(reqs))
	}
	for i, r := range reqs {
		q := r.Query
		if q.Get("PageNumber") != strconv.Itoa(i+1) || q.Get("PageSize") != "100" || q.Get("JobType") != "SYNC" || q.Get("Region") != "cn-hangzhou" {
			t.Errorf("page %d query = %v", i+1, q)
		}
	}
}

// TestDescribeDtsJobsNewestFirst: DTS lists oldest first unless asked to
// order by CreateTime, descending.
func TestDescribeDtsJobsNewestFirst(t *testing.T) {
	t.Parallel()
	f := newFakeDTS(t, pagedDtsJobs(1))
	c := newTestClient(t, testConfig(t, f))
	for _, newest := range []bool{false, true} {
		if _, err := c.DescribeDtsJobs(testContext(t), ListDtsJobsInput{RegionID: "cn-hangzhou", NewestFirst: newest}); err != nil {
			t.Fatal(err)
		}
	}
	reqs := f.requests()
	if q := reqs[0].Query; q.Has("OrderColumn") || q.Has("OrderDirection") {
		t.Errorf("default order query = %v, want no order parameters", q)
	}
	if q := reqs[1].Query; q.Get("OrderColumn") != "CreateTime" || q.Get("OrderDirection") != "DESC" {
		t.Errorf("newest-first query = %v, want OrderColumn=CreateTime and OrderDirection=DESC", q)
	}
}

// TestActionsOfBothFamilies: the same JobActions calls read the same job
// through either family into the same normalised JobStatus, apart from what
// only the maintained family reports.
func TestActionsOfBothFamilies(t *testing.T) {
	t.Parallel()
	f := newFakeDTS(t, func(_ int, r *http.Request) reply {
		switch r.Header.Get("x-acs-action") {
		case "DescribeDtsJobDetail":
			return reply{body: sampleDtsJobDetail}
		case "DescribeSynchronizationJobStatus":
			return reply{body: sampleStatusPaused}
		case "SuspendDtsJob", "StartDtsJob":
			return reply{body: sampleSuspendDtsJobOK}
		}
		return reply{body: sampleSuspendOK}
	})
	c := newTestClient(t, testConfig(t, f))
	ctx := testContext(t)
	ref := JobRef{RegionID: "cn-hangzhou", JobID: "dtsmr1q4mc2152xxxx", DtsJobID: "mr1q4mc2152xxxx"}
	var got []*JobStatus
	for _, fam := range []Family{FamilyDtsJob, FamilySynchronizationJob} {
		a, err := c.Actions(fam)
		if err != nil {
			t.Fatal(err)
		}
		st, err := a.DescribeJob(ctx, ref)
		if err != nil {
			t.Fatalf("%s DescribeJob: %v", fam, err)
		}
		if st.Family != fam || a.Family() != fam {
			t.Errorf("Family = %q/%q, want %q", st.Family, a.Family(), fam)
		}
		if _, err := a.SuspendJob(ctx, ref); err != nil {
			t.Fatalf("%s SuspendJob: %v", fam, err)
		}
		if _, err := a.StartJob(ctx, ref); err != nil {
			t.Fatalf("%s StartJob: %v", fam, err)
		}
		got = append(got, st)
	}
	// Fields both families report, for the same job, agree.
	type common struct {
		JobID, DtsJobID, Name, Class, Direction, PayType string
		Status                                           Status
		DelaySeconds, Checkpoint                         int64
		SourceID, DestinationID                          string
	}
	view := func(s *JobStatus) common {
		return common{s.JobID, s.DtsJobID, s.Name, s.Class, s.Direction, s.PayType, s.Status, s.DelaySeconds, s.Checkpoint, s.Source.InstanceID, s.Destination.InstanceID}
	}
	if diff := cmp.Diff(view(got[1]), view(got[0])); diff != "" {
		t.Errorf("maintained vs legacy JobStatus (-legacy +maintained):\n%s", diff)
	}
	var actions []string
	for _, r := range f.requests() {
		actions = append(actions, r.Header.Get("x-acs-action"))
	}
	want := []string{"DescribeDtsJobDetail", "SuspendDtsJob", "StartDtsJob", "DescribeSynchronizationJobStatus", "SuspendSynchronizationJob", "StartSynchronizationJob"}
	if diff := cmp.Diff(want, actions); diff != "" {
		t.Errorf("actions (-want +got):\n%s", diff)
	}
	if _, err := c.Actions("v3"); err == nil {
		t.Error("Actions accepted an unknown family")
	}
}

func TestValidateDtsJobID(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"l3m1213ye7lxxxx", "mr1q4mc2152xxxx", "exjk1alb116xxxx", "abcd1234"} {
		if err := ValidateDtsJobID(ok); err != nil {
			t.Errorf("ValidateDtsJobID(%q) = %v, want nil", ok, err)
		}
	}
	for id, want := range map[string]string{
		"dtsl3m1213ye7lxxxx":    "instance ID",
		"":                      "8 to 32",
		" l3m1213ye7lxxxx":      "without spaces",
		"L3M1213YE7LXXXX":       "lower-case",
		"l3m1213-ye7l":          "lower-case",
		"short":                 "8 to 32",
		strings.Repeat("a", 33): "8 to 32",
	} {
		err := ValidateDtsJobID(id)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), strconv.Quote(id)) {
			t.Errorf("ValidateDtsJobID(%q) = %v, want an error naming the value and %q", id, err, want)
		}
	}
	if IsTaskIDForm("dtsl3m1213ye7lxxxx") || !IsTaskIDForm("l3m1213ye7lxxxx") || IsTaskIDForm("Job1") {
		t.Error("IsTaskIDForm does not tell the two forms apart")
	}
	if ValidateInstanceID("dtsmr1q4mc2152xxxx") != nil || ValidateInstanceID("dts job") == nil || ValidateInstanceID("") == nil {
		t.Error("ValidateInstanceID accepts a bad ID or rejects a good one")
	}
}
