package dtsclient

import (
	"net/http"
	"strings"
	"testing"
)

// FuzzInterpret feeds arbitrary bodies and statuses to the response decoder:
// it must never panic, every failure must be an *APIError with a message,
// and a success must decode to a status that NormalizeStatus leaves alone.
func FuzzInterpret(f *testing.F) {
	for _, seed := range []string{
		sampleStatusPaused,
		`{"RequestId":"R","Success":false,"ErrCode":"InvalidParameter","ErrMessage":"The Value of Input Parameter %s is not valid.","DynamicMessage":"DtsJobId"}`,
		`{"RequestId":"R","Success":"true","Status":"synchronizing","Delay":12,"Checkpoint":"1714550400","SourceEndpoint":null}`,
		`{"RequestId":"R","Code":"Throttling.User","Message":"Request was denied due to user flow control."}`,
		`{"RequestId":"R","Success":"true","Status":`,
		`<html>502</html>`,
		``,
	} {
		f.Add(200, []byte(seed))
		f.Add(503, []byte(seed))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 599 {
			status = 200
		}
		raw := &rawResponse{status: status, header: http.Header{"Content-Type": {"application/json"}}, body: body}
		var w wireJobStatus
		ae := interpret(raw, &w)
		if ae != nil {
			if ae.Error() == "" || ae.HTTPStatus != status {
				t.Fatalf("error %#v lacks a message or the HTTP status %d", ae, status)
			}
			return
		}
		st := w.model()
		if NormalizeStatus(st.Status.String()) != st.Status {
			t.Fatalf("decoded status %q is not normalized", st.Status)
		}
	})
}

// FuzzNormalizeStatus: normalizing twice changes nothing, and every casing
// of a known status maps to the same spelling.
func FuzzNormalizeStatus(f *testing.F) {
	for _, s := range []string{"Synchronizing", "synchronizing", "SUSPENDING", " Failed ", "PreCheckPass", "weird"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := NormalizeStatus(s)
		if NormalizeStatus(once.String()) != once {
			t.Fatalf("NormalizeStatus is not idempotent on %q: %q then %q", s, once, NormalizeStatus(once.String()))
		}
		if _, known := canonicalStatus[strings.ToLower(once.String())]; known {
			if up := NormalizeStatus(strings.ToUpper(once.String())); up != once {
				t.Fatalf("casing changes a known status: %q vs %q", up, once)
			}
		}
	})
}

// FuzzInterpretDtsJob feeds arbitrary bodies to the maintained family's
// decoders (DescribeDtsJobDetail for both directions, DescribeDtsJobs): no
// panic, every failure an *APIError with a message and the HTTP status, every
// decoded status normalized, and Delay milliseconds agreeing with seconds.
func FuzzInterpretDtsJob(f *testing.F) {
	for _, seed := range []string{
		sampleDtsJobDetail,
		sampleDtsJobDetailTwoWay,
		sampleDtsJobs,
		sampleSuspendDtsJobOK,
		sampleSuspendDtsJobBadArg,
		sampleSuspendDtsJobNotFound,
		`{"Success":true,"Status":"synchronizing","Checkpoint":"1714550400","Delay":"12034","DtsInstanceId":"dtsx"}`,
		`{"Success":true,"SubSyncJob":[{"ReverseJob":""},{"ReverseJob":{"Status":"PreCheckPass","Checkpoint":1}}],"ReverseJob":null}`,
		`{"Success":true,"DtsJobList":{"DtsJob":[{"DtsJobId":"a","ReverseJob":{"ReverseJob":{"Status":"Locked"}}}]}}`,
		`{"Success":"false","HttpStatusCode":"403","Code":403,"ErrMessage":"%s %s","DynamicMessage":"x"}`,
		`{"Success":true,"DtsJobList":[`,
		`{"Success":true,"SynchronizationDirection":"Reverse","Status":"Suspending"}`,
	} {
		f.Add(200, []byte(seed))
		f.Add(403, []byte(seed))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 599 {
			status = 200
		}
		raw := func() *rawResponse {
			return &rawResponse{status: status, header: http.Header{"Content-Type": {"application/json"}}, body: body}
		}
		checkErr := func(ae *APIError) {
			if ae.Error() == "" || ae.HTTPStatus != status {
				t.Fatalf("error %#v lacks a message or the HTTP status %d", ae, status)
			}
		}
		var d wireDtsJobDetail
		if ae := interpret(raw(), &d); ae != nil {
			checkErr(ae)
		} else {
			for _, dir := range []string{"", DirectionForward, DirectionReverse} {
				st, ok := d.model(dir)
				if !ok {
					if dir == "" {
						t.Fatal("no task for an unspecified direction")
					}
					continue
				}
				if NormalizeStatus(string(st.Status)) != st.Status || NormalizeStatus(string(st.DataSynchronizationStatus)) != st.DataSynchronizationStatus {
					t.Fatalf("status %q/%q not normalized", st.Status, st.DataSynchronizationStatus)
				}
				if st.DelaySeconds != st.DelayMillis/1000 || st.Family != FamilyDtsJob {
					t.Fatalf("delay %d s vs %d ms, family %q", st.DelaySeconds, st.DelayMillis, st.Family)
				}
				if dir != "" && st.Direction != dir {
					t.Fatalf("asked for %s, got %q", dir, st.Direction)
				}
			}
		}
		var l wireDtsJobList
		if ae := interpret(raw(), &l); ae != nil {
			checkErr(ae)
			return
		}
		for _, j := range l.model().Jobs {
			if len(j.Directions) == 0 || len(j.Directions) > 2 || NormalizeStatus(string(j.Status)) != j.Status {
				t.Fatalf("summary %+v: want 1 or 2 directions and a normalized status", j)
			}
		}
	})
}

// FuzzStatusMeaning: the steady statuses are exactly the running and the
// paused ones, only Suspending is paused, and only they map to a declared state.
func FuzzStatusMeaning(f *testing.F) {
	for _, s := range []string{"Synchronizing", "suspending", "Failed", "NotStarted", "Initializing", "", "Locked"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		s := NormalizeStatus(raw)
		declared := s.DeclaredState()
		if s.IsSteady() != (declared == DeclaredSynchronizing || declared == DeclaredSuspended) {
			t.Fatalf("IsSteady(%q) disagrees with declared state %q", s, declared)
		}
		if s.IsPaused() != (s == StatusSuspending) {
			t.Fatalf("%q: IsPaused = %v", s, s.IsPaused())
		}
		if s.IsRunning() && s.IsPaused() {
			t.Fatalf("%q is both running and paused", s)
		}
	})
}
