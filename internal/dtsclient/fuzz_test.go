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
