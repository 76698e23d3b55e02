package fakedts

import (
	"net/http"
	"strconv"
	"testing"
	"time"
)

// delays is one direction's delay as every action that reports it says it,
// converted to milliseconds by the documented units.
type delays struct {
	legacyMillis   int64 // DescribeSynchronizationJobStatus DelayMillis
	legacySeconds  int64 // DescribeSynchronizationJobStatus Delay
	legacyListSecs int64 // DescribeSynchronizationJobs item Delay (Forward only)
	detail         int64 // DescribeDtsJobDetail Delay, as sent
	list           int64 // DescribeDtsJobs item Delay, as sent
}

func readDelays(t *testing.T, s *Server, id, taskID, dir string) delays {
	t.Helper()
	var out delays
	body := statusOf(t, s, id, dir)
	out.legacyMillis = int64(body["DelayMillis"].(float64))
	out.legacySeconds = mustInt(t, body["Delay"])
	if sync := body["DataSynchronizationStatus"].(map[string]any); sync["DelayMillis"] != body["DelayMillis"] || sync["Delay"] != body["Delay"] {
		t.Errorf("DataSynchronizationStatus delay %v/%v differs from the root's %v/%v", sync["Delay"], sync["DelayMillis"],
			body["Delay"], body["DelayMillis"])
	}
	p := map[string]string{"DtsJobId": taskID}
	if dir != "" {
		p["SynchronizationDirection"] = dir
	}
	out.detail = int64(mustDts(t, s, "DescribeDtsJobDetail", p)["Delay"].(float64))
	item := mustDts(t, s, "DescribeDtsJobs", map[string]string{"JobType": "SYNC", "DtsJobId": taskID})["DtsJobList"].([]any)[0].(map[string]any)
	if dir == DirectionReverse {
		item = item["ReverseJob"].(map[string]any)
	}
	out.list = int64(item["Delay"].(float64))
	for _, it := range mustJobs(t, s, map[string]string{})["SynchronizationInstances"].([]any) {
		if m := it.(map[string]any); m["SynchronizationJobId"] == id {
			out.legacyListSecs = mustInt(t, m["Delay"])
		}
	}
	return out
}

func mustInt(t *testing.T, v any) int64 {
	t.Helper()
	s, ok := v.(string)
	if !ok {
		t.Fatalf("%#v is not a string", v)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// wantDelay checks that every action reports about want (within the live
// lag of under 3 s above it), each in its documented unit.
func wantDelay(t *testing.T, s *Server, id, taskID, dir string, want time.Duration) {
	t.Helper()
	d := readDelays(t, s, id, taskID, dir)
	lo, hi := want.Milliseconds(), want.Milliseconds()+3000
	if d.legacyMillis < lo || d.legacyMillis > hi {
		t.Fatalf("%s %s: DelayMillis %d, want %v (+ under 3 s)", id, dir, d.legacyMillis, want)
	}
	if d.legacySeconds != d.legacyMillis/1000 {
		t.Errorf("Delay %d s is not DelayMillis %d in whole seconds", d.legacySeconds, d.legacyMillis)
	}
	if d.detail != d.legacyMillis {
		t.Errorf("DescribeDtsJobDetail Delay %d, want %d ms", d.detail, d.legacyMillis)
	}
	if d.list != d.legacyMillis/1000 {
		t.Errorf("DescribeDtsJobs Delay %d, want %d s", d.list, d.legacyMillis/1000)
	}
	if dir != DirectionReverse && d.legacyListSecs != d.legacyMillis/1000 {
		t.Errorf("DescribeSynchronizationJobs Delay %d, want %d s", d.legacyListSecs, d.legacyMillis/1000)
	}
}

const ordersTaskID = "l3m1213ye7l0001"

// The delay grows from the pause with the clock, stays growing until a
// resume completes, then falls at the default rate to the live lag.
func TestDelayPauseAndCatchUp(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: manual()})
	if err := s.SetTransitionTime(DefaultOrdersJobID, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	mustOK(t, s, "SuspendSynchronizationJob", ordersParams)
	s.AdvanceClock(5 * time.Second) // the pause completes
	wantDelay(t, s, DefaultOrdersJobID, ordersTaskID, "", 0)
	s.AdvanceClock(10 * time.Minute)
	wantDelay(t, s, DefaultOrdersJobID, ordersTaskID, "", 10*time.Minute)

	mustDts(t, s, "StartDtsJob", map[string]string{"DtsJobId": ordersTaskID})
	s.AdvanceClock(5 * time.Second) // the resume completes: 5 s more behind
	wantDelay(t, s, DefaultOrdersJobID, ordersTaskID, "", 10*time.Minute+5*time.Second)
	s.AdvanceClock(30 * time.Second) // 300 s worked off at 10 s/s
	wantDelay(t, s, DefaultOrdersJobID, ordersTaskID, "", 5*time.Minute+5*time.Second)
	s.AdvanceClock(31 * time.Second)
	wantDelay(t, s, DefaultOrdersJobID, ordersTaskID, "", 0)
	s.AdvanceClock(time.Hour)
	wantDelay(t, s, DefaultOrdersJobID, ordersTaskID, "", 0)
}

// A failed direction keeps falling behind; a resume works it off.
func TestDelayOfFailedDirection(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: manual()})
	if err := s.SetJobFault(DefaultInventoryJobID, JobFault{FailWhileSynchronizing: true, FailAfter: time.Minute,
		Direction: DirectionReverse}); err != nil {
		t.Fatal(err)
	}
	s.AdvanceClock(time.Minute)
	wantStatus(t, s, DefaultInventoryJobID, DirectionReverse, StatusFailed)
	s.AdvanceClock(2 * time.Hour)
	wantDelay(t, s, DefaultInventoryJobID, "exjk1alb1160003", DirectionReverse, 2*time.Hour)
	wantDelay(t, s, DefaultInventoryJobID, "exjk1alb1160003", DirectionForward, 0)
	if err := s.SetJobFault(DefaultInventoryJobID, JobFault{}); err != nil {
		t.Fatal(err)
	}
	mustOK(t, s, "StartSynchronizationJob", map[string]string{"SynchronizationJobId": DefaultInventoryJobID,
		"SynchronizationDirection": DirectionReverse})
	s.AdvanceClock(6 * time.Minute)
	wantDelay(t, s, DefaultInventoryJobID, "exjk1alb1160003", DirectionReverse, time.Hour) // 360 s at 10 s/s work off 1 h
}

// SetDelay and SetCatchUpRate put a job behind and say how fast it catches
// up; a paused direction grows from a set delay.
func TestSetDelayAndCatchUpRate(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: manual()})
	if err := s.SetCatchUpRate(DefaultOrdersJobID, 2); err != nil {
		t.Fatal(err)
	}
	if err := s.SetDelay(DefaultOrdersJobID, "", 100*time.Second); err != nil {
		t.Fatal(err)
	}
	wantDelay(t, s, DefaultOrdersJobID, ordersTaskID, "", 100*time.Second)
	s.AdvanceClock(10 * time.Second)
	wantDelay(t, s, DefaultOrdersJobID, ordersTaskID, "", 80*time.Second)
	// A new rate counts from now; what was worked off stays worked off.
	if err := s.SetCatchUpRate(DefaultOrdersJobID, 4); err != nil {
		t.Fatal(err)
	}
	s.AdvanceClock(10 * time.Second)
	wantDelay(t, s, DefaultOrdersJobID, ordersTaskID, "", 40*time.Second)
	if j, _ := s.Job(DefaultOrdersJobID); j.CatchUpRate != 4 || j.Forward.Delay < 40*time.Second {
		t.Fatalf("snapshot %v %v", j.CatchUpRate, j.Forward.Delay)
	}

	if err := s.SetDelay(DefaultArchiveJobID, "", time.Hour); err != nil {
		t.Fatal(err)
	}
	s.AdvanceClock(time.Minute)
	if j, _ := s.Job(DefaultArchiveJobID); j.Forward.Status != StatusSuspending || j.Forward.Delay != time.Hour+time.Minute {
		t.Fatalf("paused job set to 1 h behind, a minute later: %s %v", j.Forward.Status, j.Forward.Delay)
	}
	for _, err := range []error{
		s.SetDelay(DefaultOrdersJobID, "", -time.Second),
		s.SetDelay(DefaultOrdersJobID, DirectionReverse, time.Second),
		s.SetDelay("dtsnosuch", "", time.Second),
		s.SetCatchUpRate(DefaultOrdersJobID, -1),
		s.SetCatchUpRate("dtsnosuch", 1),
	} {
		if err == nil {
			t.Error("accepted")
		}
	}
}

// A job seeded with a delay is catching up from it; one not started has
// none; a checkpoint seeds a paused direction's delay.
func TestDelaySeeded(t *testing.T) {
	t.Parallel()
	clock := manual()
	jobs, err := ParseSeed([]byte(`{"jobs":[
		{"id":"dtsbehind0000001","catch_up_rate":5,"forward":{"status":"Synchronizing","delay":"50s"}},
		{"id":"dtsnotstarted001","forward":{"status":"NotStarted","delay":"50s"}},
		{"id":"dtspaused0000001","forward":{"status":"Suspending","paused_for":"1h"}}]}`), clock.Now(), 0)
	if err != nil {
		t.Fatal(err)
	}
	s := newTestServer(t, Options{Jobs: jobs, Clock: clock})
	s.AdvanceClock(4 * time.Second)
	if j, _ := s.Job("dtsbehind0000001"); j.Forward.Delay != 30*time.Second || j.CatchUpRate != 5 {
		t.Fatalf("seeded 50 s behind at 5 s/s, 4 s later: %v (rate %v)", j.Forward.Delay, j.CatchUpRate)
	}
	if j, _ := s.Job("dtsnotstarted001"); j.Forward.Delay != 0 || j.Forward.Checkpoint != 0 {
		t.Fatalf("a job not started has no delay: %v %d", j.Forward.Delay, j.Forward.Checkpoint)
	}
	if j, _ := s.Job("dtspaused0000001"); j.Forward.Delay < time.Hour+4*time.Second || j.Forward.Delay > time.Hour+7*time.Second {
		t.Fatalf("paused an hour ago: %v", j.Forward.Delay)
	}
	if err := s.AddJob(Job{ID: "dtsbadrate", CatchUpRate: -2}); err == nil {
		t.Fatal("negative catch-up rate accepted")
	}
	if err := s.AddJob(Job{ID: "dtsbaddelay", Forward: DirectionState{Delay: -time.Second}}); err == nil {
		t.Fatal("negative delay accepted")
	}
}

// The unit switch changes the DtsJob actions' Delay only.
func TestDelayUnitSwitch(t *testing.T) {
	t.Parallel()
	for unit, want := range map[DelayUnit][2]int64{
		"":                    {120_000, 120},
		DelayUnitDocumented:   {120_000, 120},
		DelayUnitSeconds:      {120, 120},
		DelayUnitMilliseconds: {120_000, 120_000},
	} {
		s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: manual(), Behavior: Behavior{DelayUnit: unit}})
		if err := s.SetCatchUpRate(DefaultOrdersJobID, 1e-9); err != nil { // keep the delay where it is set
			t.Fatal(err)
		}
		if err := s.SetDelay(DefaultOrdersJobID, "", 2*time.Minute); err != nil {
			t.Fatal(err)
		}
		d := readDelays(t, s, DefaultOrdersJobID, ordersTaskID, "")
		if d.detail != want[0] || d.list != want[1] {
			t.Errorf("unit %q: detail %d, list %d; want %v", unit, d.detail, d.list, want)
		}
		if d.legacyMillis != 120_000 || d.legacySeconds != 120 || d.legacyListSecs != 120 {
			t.Errorf("unit %q changed the legacy family: %+v", unit, d)
		}
	}
	s := newTestServer(t, Options{})
	if err := s.SetBehavior(Behavior{DelayUnit: "minutes"}); err == nil {
		t.Fatal("unknown unit accepted")
	}
}

func TestAdminDelay(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: manual()})
	st, body := admin(t, s, "POST", "/_admin/jobs/"+DefaultInventoryJobID+"/delay",
		`{"direction":"Reverse","delay":"5m","catch_up_rate":3}`)
	if st != 200 || body["catch_up_rate"] != 3.0 || body["reverse"].(map[string]any)["delay_millis"].(float64) != 300_000 {
		t.Fatalf("%d %v", st, body)
	}
	s.AdvanceClock(10 * time.Second)
	wantDelay(t, s, DefaultInventoryJobID, "exjk1alb1160003", DirectionReverse, 270*time.Second)
	st, body = admin(t, s, "POST", "/_admin/behavior", `{"delay_unit":"seconds"}`)
	if st != 200 || body["delay_unit"] != "seconds" {
		t.Fatalf("%d %v", st, body)
	}
	for _, bad := range []string{`{}`, `{"delay":"soon"}`, `{"delay":"-1s"}`, `{"catch_up_rate":-1}`, `{"direction":"Sideways","delay":"1s"}`} {
		if st, body = admin(t, s, "POST", "/_admin/jobs/"+DefaultInventoryJobID+"/delay", bad); st != 400 {
			t.Errorf("%s: %d %v", bad, st, body)
		}
	}
	if st, _ = admin(t, s, "POST", "/_admin/jobs/dtsnosuch/delay", `{"delay":"1s"}`); st != 404 {
		t.Errorf("unknown job: %d", st)
	}
}

// Answers carry the fake clock's time in Date, so that a client comparing
// it with a checkpoint finds the delay the fake reports.
func TestDateHeaderIsTheFakeClock(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: manual()})
	s.AdvanceClock(3 * time.Hour)
	req := buildV1(t, s, v1Req{action: describe, params: ordersParams})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	got, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil || got.Sub(s.Now()) > time.Second || s.Now().Sub(got) > 2*time.Second {
		t.Fatalf("Date %q, fake now %v (%v)", resp.Header.Get("Date"), s.Now(), err)
	}
}
