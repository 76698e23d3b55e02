package fakedts

import (
	"strconv"
	"testing"
	"time"
)

func statusOf(t *testing.T, s *Server, id, dir string) map[string]any {
	t.Helper()
	p := map[string]string{"SynchronizationJobId": id}
	if dir != "" {
		p["SynchronizationDirection"] = dir
	}
	return mustOK(t, s, describe, p)
}

func wantStatus(t *testing.T, s *Server, id, dir, want string) map[string]any {
	t.Helper()
	body := statusOf(t, s, id, dir)
	if body["Status"] != want {
		t.Fatalf("%s %s: status %v, want %s", id, dir, body["Status"], want)
	}
	return body
}

func checkpointOf(t *testing.T, body map[string]any) int64 {
	t.Helper()
	n, err := strconv.ParseInt(body["Checkpoint"].(string), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func slowJob(id string, status string) Job {
	return Job{ID: id, Name: id, TransitionTime: 5 * time.Second, Forward: DirectionState{Status: status},
		StructureInitialization: true, DataInitialization: true}
}

func TestSuspendAndResumeTakeTransitionTime(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: []Job{slowJob("dtsslow000000001", "")}, Clock: manual()})
	p := map[string]string{"SynchronizationJobId": "dtsslow000000001"}
	mustOK(t, s, "SuspendSynchronizationJob", p)
	// Until the transition completes the job still reports Synchronizing,
	// and a second suspend is accepted without moving the deadline.
	wantStatus(t, s, "dtsslow000000001", "", StatusSynchronizing)
	s.AdvanceClock(3 * time.Second)
	mustOK(t, s, "SuspendSynchronizationJob", p)
	j, _ := s.Job("dtsslow000000001")
	if j.Forward.NextStatus != StatusSuspending {
		t.Fatalf("pending %q", j.Forward.NextStatus)
	}
	s.AdvanceClock(2 * time.Second)
	wantStatus(t, s, "dtsslow000000001", "", StatusSuspending)
	j, _ = s.Job("dtsslow000000001")
	if j.Forward.PausedAt.IsZero() || j.Forward.NextStatus != "" {
		t.Fatalf("after pause: %+v", j.Forward)
	}

	mustOK(t, s, "StartSynchronizationJob", p)
	s.AdvanceClock(4 * time.Second)
	wantStatus(t, s, "dtsslow000000001", "", StatusSuspending)
	s.AdvanceClock(time.Second)
	wantStatus(t, s, "dtsslow000000001", "", StatusSynchronizing)
	if j, _ := s.Job("dtsslow000000001"); !j.Forward.PausedAt.IsZero() {
		t.Fatal("PausedAt survived the resume")
	}
}

func TestStartFromNotStarted(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: []Job{slowJob("dtsnew0000000001", StatusNotStarted)}, Clock: manual()})
	p := map[string]string{"SynchronizationJobId": "dtsnew0000000001"}
	body := wantStatus(t, s, "dtsnew0000000001", "", StatusNotStarted)
	if body["Checkpoint"] != "0" || body["DelayMillis"] != 0.0 {
		t.Fatalf("not started job has checkpoint %v delay %v", body["Checkpoint"], body["DelayMillis"])
	}
	if body["PrecheckStatus"].(map[string]any)["Status"] != "NotStarted" {
		t.Fatalf("precheck %v", body["PrecheckStatus"])
	}
	mustOK(t, s, "StartSynchronizationJob", p)
	for _, want := range []string{StatusNotStarted, StatusPrechecking, StatusInitializing, StatusSynchronizing} {
		wantStatus(t, s, "dtsnew0000000001", "", want)
		s.AdvanceClock(5 * time.Second)
	}
	body = wantStatus(t, s, "dtsnew0000000001", "", StatusSynchronizing)
	if body["DataInitializationStatus"].(map[string]any)["Status"] != "Finished" ||
		body["DataSynchronizationStatus"].(map[string]any)["Status"] != "Migrating" {
		t.Fatalf("sub-statuses %v %v", body["DataInitializationStatus"], body["DataSynchronizationStatus"])
	}
	if checkpointOf(t, body) == 0 {
		t.Fatal("no checkpoint once synchronizing")
	}
}

func TestFastStartUpIsImmediate(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs()})
	mustOK(t, s, "StartSynchronizationJob", map[string]string{"SynchronizationJobId": DefaultPaymentsJobID})
	wantStatus(t, s, DefaultPaymentsJobID, "", StatusSynchronizing)
	mustOK(t, s, "StartSynchronizationJob", map[string]string{"SynchronizationJobId": DefaultArchiveJobID, "RegionId": "cn-beijing"})
	wantStatus(t, s, DefaultArchiveJobID, "", StatusSynchronizing)
}

func TestPrecheckFailure(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: []Job{slowJob("dtsnew0000000002", StatusNotStarted)}, Clock: manual()})
	if err := s.SetJobFault("dtsnew0000000002", JobFault{FailOnPrecheck: true}); err != nil {
		t.Fatal(err)
	}
	mustOK(t, s, "StartSynchronizationJob", map[string]string{"SynchronizationJobId": "dtsnew0000000002"})
	s.AdvanceClock(5 * time.Second)
	wantStatus(t, s, "dtsnew0000000002", "", StatusPrechecking)
	s.AdvanceClock(5 * time.Second)
	body := wantStatus(t, s, "dtsnew0000000002", "", StatusPrecheckFailed)
	if body["ErrorMessage"] != defaultPrecheckMessage {
		t.Fatalf("error message %v", body["ErrorMessage"])
	}
	pre := body["PrecheckStatus"].(map[string]any)
	if pre["Status"] != "Failed" || len(pre["Detail"].([]any)) != 1 {
		t.Fatalf("precheck %v", pre)
	}
	s.AdvanceClock(time.Hour)
	wantStatus(t, s, "dtsnew0000000002", "", StatusPrecheckFailed)
}

func TestFailWhileSynchronizing(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: manual()})
	before := checkpointOf(t, statusOf(t, s, DefaultInventoryJobID, "Reverse"))
	if err := s.SetJobFault(DefaultInventoryJobID, JobFault{FailWhileSynchronizing: true, Direction: "Reverse",
		FailAfter: time.Minute}); err != nil {
		t.Fatal(err)
	}
	s.AdvanceClock(59 * time.Second)
	wantStatus(t, s, DefaultInventoryJobID, "Reverse", StatusSynchronizing)
	s.AdvanceClock(time.Second)
	body := wantStatus(t, s, DefaultInventoryJobID, "Reverse", StatusFailed)
	if body["ErrorMessage"] != "DTS-070211: Connect Source DB failed." {
		t.Fatalf("message %v", body["ErrorMessage"])
	}
	failedAt := checkpointOf(t, body)
	if failedAt < before+55 || failedAt > before+62 {
		t.Fatalf("checkpoint at failure %d, started %d", failedAt, before)
	}
	wantStatus(t, s, DefaultInventoryJobID, "Forward", StatusSynchronizing)
	// Frozen while failed; the lag grows.
	s.AdvanceClock(time.Hour)
	body = wantStatus(t, s, DefaultInventoryJobID, "Reverse", StatusFailed)
	if checkpointOf(t, body) != failedAt || body["DelayMillis"].(float64) < 3600_000 {
		t.Fatalf("failed job moved: %v %v", body["Checkpoint"], body["DelayMillis"])
	}
	// Clearing the fault and starting again recovers.
	if err := s.SetJobFault(DefaultInventoryJobID, JobFault{}); err != nil {
		t.Fatal(err)
	}
	mustOK(t, s, "StartSynchronizationJob", map[string]string{"SynchronizationJobId": DefaultInventoryJobID,
		"SynchronizationDirection": "Reverse"})
	body = wantStatus(t, s, DefaultInventoryJobID, "Reverse", StatusSynchronizing)
	if body["ErrorMessage"] != "" {
		t.Fatalf("error message kept: %v", body["ErrorMessage"])
	}
}

func TestCustomFailureMessage(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: manual()})
	msg := "DTS-1020042: Execute sql error sql: ..."
	if err := s.SetJobFault(DefaultOrdersJobID, JobFault{FailWhileSynchronizing: true, ErrorMessage: msg}); err != nil {
		t.Fatal(err)
	}
	body := wantStatus(t, s, DefaultOrdersJobID, "", StatusFailed)
	if body["ErrorMessage"] != msg || body["DataSynchronizationStatus"].(map[string]any)["ErrorMessage"] != msg {
		t.Fatalf("%v", body)
	}
}

func TestCheckpointMovesOnlyWhileSynchronizing(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: manual()})
	c0 := checkpointOf(t, statusOf(t, s, DefaultOrdersJobID, ""))
	s.AdvanceClock(30 * time.Second)
	body := statusOf(t, s, DefaultOrdersJobID, "")
	c1 := checkpointOf(t, body)
	if c1 < c0+27 || c1 > c0+33 {
		t.Fatalf("checkpoint moved %d in 30 s", c1-c0)
	}
	if ms := body["DelayMillis"].(float64); ms < 0 || ms >= 3000 {
		t.Fatalf("synchronizing lag %v ms", ms)
	}
	mustOK(t, s, "SuspendSynchronizationJob", ordersParams)
	frozen := checkpointOf(t, statusOf(t, s, DefaultOrdersJobID, ""))
	s.AdvanceClock(10 * time.Minute)
	body = statusOf(t, s, DefaultOrdersJobID, "")
	if checkpointOf(t, body) != frozen {
		t.Fatal("checkpoint moved while paused")
	}
	if d, _ := strconv.Atoi(body["Delay"].(string)); d < 600 || d > 603 {
		t.Fatalf("paused lag %d s after 10 min", d)
	}
	// After the resume the checkpoint catches up: 30 s at the default rate
	// work off 300 s of the 600 s delay.
	mustOK(t, s, "StartSynchronizationJob", ordersParams)
	s.AdvanceClock(30 * time.Second)
	body = statusOf(t, s, DefaultOrdersJobID, "")
	if c := checkpointOf(t, body); c < frozen+327 || c > frozen+333 {
		t.Fatalf("checkpoint 30 s after resume %d, frozen %d: want about +330", c, frozen)
	}
}

func TestOutOfBandChanges(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs(), Clock: manual()})
	// Someone resumes the archive job in the console.
	if err := s.SetStatus(DefaultArchiveJobID, "", "synchronizing"); err != nil {
		t.Fatal(err)
	}
	body := mustOK(t, s, describe, map[string]string{"SynchronizationJobId": DefaultArchiveJobID, "RegionId": "cn-beijing"})
	if body["Status"] != StatusSynchronizing {
		t.Fatal(body["Status"])
	}
	if err := s.SetStatus(DefaultInventoryJobID, "Reverse", StatusFailed); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, s, DefaultInventoryJobID, "Reverse", StatusFailed)
	if err := s.SetStatus(DefaultOrdersJobID, "Reverse", StatusFailed); err == nil {
		t.Fatal("Reverse of a one-way job accepted")
	}
	if err := s.SetStatus(DefaultOrdersJobID, "", "Sleeping"); err == nil {
		t.Fatal("unknown status accepted")
	}
	// An out-of-band change cancels a pending transition.
	if err := s.SetTransitionTime(DefaultUsersJobID, time.Minute); err != nil {
		t.Fatal(err)
	}
	mustOK(t, s, "SuspendSynchronizationJob", map[string]string{"SynchronizationJobId": DefaultUsersJobID})
	if err := s.SetStatus(DefaultUsersJobID, "", StatusSynchronizing); err != nil {
		t.Fatal(err)
	}
	s.AdvanceClock(2 * time.Minute)
	wantStatus(t, s, DefaultUsersJobID, "", StatusSynchronizing)

	if err := s.DeleteJob(DefaultOrdersJobID); err != nil {
		t.Fatal(err)
	}
	status, body := call(t, s, describe, ordersParams)
	wantBusiness(t, status, body, CodeInstanceNotFound)
	if err := s.DeleteJob(DefaultOrdersJobID); err == nil {
		t.Fatal("double delete")
	}
	if _, ok := s.Job(DefaultOrdersJobID); ok {
		t.Fatal("deleted job still there")
	}
}

func TestSeededPausedJob(t *testing.T) {
	t.Parallel()
	clock := manual()
	s := newTestServer(t, Options{Clock: clock, Jobs: []Job{{ID: "dtsold0000000001",
		Forward: DirectionState{Status: StatusSuspending, PausedAt: clock.Now().Add(-8 * 24 * time.Hour)}}}})
	status, body := call(t, s, "StartSynchronizationJob", map[string]string{"SynchronizationJobId": "dtsold0000000001"})
	wantBusiness(t, status, body, CodeInvalidJobStatus)
	body = statusOf(t, s, "dtsold0000000001", "")
	if d, _ := strconv.Atoi(body["Delay"].(string)); d < 8*24*3600 {
		t.Fatalf("delay %d", d)
	}
}

func TestAddJobValidation(t *testing.T) {
	t.Parallel()
	s := New(Options{})
	bad := []Job{
		{},
		{ID: "dtsx", PayType: "Free"},
		{ID: "dtsx", Forward: DirectionState{Status: "Sleeping"}},
		{ID: "dtsx", Reverse: DirectionState{Status: StatusSynchronizing}},
		{ID: "dtsx", TransitionTime: -1},
		{ID: "dtsx", Fault: JobFault{Direction: "Up"}},
	}
	for _, j := range bad {
		if err := s.AddJob(j); err == nil {
			t.Errorf("job %+v accepted", j)
		}
	}
	if err := s.AddJob(Job{ID: "dtsok0000000001"}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddJob(Job{ID: "dtsok0000000001"}); err == nil {
		t.Fatal("duplicate accepted")
	}
	j, _ := s.Job("dtsok0000000001")
	if !dtsJobIDPattern.MatchString(j.DtsJobID) || j.CreatedBy != CreatedBySynchronizationJob || j.Class != "small" || j.Region != "cn-hangzhou" || j.PayType != PayTypePostPaid ||
		j.Forward.Status != StatusSynchronizing || j.CreateTime.IsZero() {
		t.Fatalf("defaults %+v", j)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("New accepted an invalid job")
		}
	}()
	New(Options{Jobs: []Job{{}}})
}

func TestDefaultJobsCoverTheDocumentedSet(t *testing.T) {
	t.Parallel()
	s := New(Options{Jobs: DefaultJobs()})
	oneWay := map[string]bool{}
	twoWay := 0
	for _, j := range s.Jobs() {
		if j.TwoWay {
			twoWay++
			if j.Reverse.Status != StatusSynchronizing {
				t.Errorf("two-way reverse %s", j.Reverse.Status)
			}
		} else {
			oneWay[j.PayType] = true
		}
	}
	if !oneWay[PayTypePrePaid] || !oneWay[PayTypePostPaid] || twoWay != 1 || len(s.Jobs()) != 5 {
		t.Fatalf("default set: one-way %v two-way %d", oneWay, twoWay)
	}
}
