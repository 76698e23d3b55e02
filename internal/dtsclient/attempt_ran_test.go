package dtsclient

import (
	"net/http"
	"testing"
)

// A Suspend whose retry is rejected for the job's status says whether an
// earlier attempt may have made the change: the caller waits for the pause
// instead of sending Suspend again only when one may have.
func TestEarlierAttemptMayHaveRun(t *testing.T) {
	t.Parallel()
	const conflict = `{"RequestId":"R","Success":"false","ErrCode":"InvalidJobStatus","ErrMessage":"job is changing"}`
	cases := map[string]struct {
		first reply
		want  bool
	}{
		"503 first":        {reply{status: 503, body: `{"RequestId":"U","Code":"ServiceUnavailable","Message":"x"}`}, true},
		"truncated body":   {reply{status: 200, body: `{"RequestId":"T","Succ`}, true},
		"throttled first":  {reply{status: 400, body: throttledBody}, false},
		"conflict at once": {reply{status: 200, body: conflict}, false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeDTS(t, func(n int, _ *http.Request) reply {
				if n == 0 {
					return tc.first
				}
				return reply{status: 200, body: conflict}
			})
			c := newTestClient(t, testConfig(t, f))
			_, err := c.SuspendSynchronizationJob(testContext(t), JobRef{JobID: "dtsx"})
			if !IsJobStateConflict(err) {
				t.Fatalf("err = %v, want a job-state conflict", err)
			}
			if got := EarlierAttemptMayHaveRun(err); got != tc.want {
				t.Errorf("EarlierAttemptMayHaveRun = %v, want %v (%d requests)", got, tc.want, f.count())
			}
		})
	}
}
