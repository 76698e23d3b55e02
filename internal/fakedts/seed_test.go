package fakedts

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestSeedExampleFile(t *testing.T) {
	t.Parallel()
	now := time.Now()
	jobs, err := LoadSeedFile(filepath.Join("testdata", "seed.example.json"), now, 3*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	s := New(Options{Jobs: jobs, Clock: NewManualClock(now)})
	if len(s.Jobs()) != len(jobs) || len(jobs) < 2 {
		t.Fatalf("%d jobs", len(jobs))
	}
	for _, j := range jobs {
		if j.TransitionTime == 0 && j.ID != "dtsfastdemo00001" {
			t.Errorf("%s: default transition not applied", j.ID)
		}
	}
}

func TestParseSeed(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	jobs, err := ParseSeed([]byte(`{"include_defaults":true,"jobs":[{"id":"dtsseed000000001","two_way":true,
		"forward":{"status":"Suspending","paused_for":"200h"},"transition_time":"0s",
		"structure_initialization":false,"fault":{"fail_resume_after":"6h"}}]}`), now, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 6 || jobs[0].TransitionTime != 2*time.Second {
		t.Fatalf("defaults not included with the default transition: %d", len(jobs))
	}
	j := jobs[5]
	if j.TransitionTime != 0 || !j.Forward.PausedAt.Equal(now.Add(-200*time.Hour)) ||
		j.StructureInitialization || !j.DataInitialization || j.Fault.FailResumeAfter != 6*time.Hour {
		t.Fatalf("%+v", j)
	}
	for _, bad := range []string{
		`{"jobs":[{"id":"x","password":"p"}]}`,
		`{"jobs":[{"id":"x","transition_time":"soon"}]}`,
		`{"jobs":[{"id":"x","forward":{"paused_at":"2024-01-01T00:00:00Z","paused_for":"1h"}}]}`,
		`{"jobs":[]} {}`,
		`[]`,
	} {
		if _, err := ParseSeed([]byte(bad), now, 0); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
	if _, err := LoadSeedFile(filepath.Join(t.TempDir(), "missing.json"), now, 0); !os.IsNotExist(err) {
		t.Fatalf("missing file: %v", err)
	}
}

func TestJobJSONRoundTrip(t *testing.T) {
	t.Parallel()
	now := time.Now()
	for _, j := range DefaultJobs() {
		j.Fault = JobFault{FailAfter: time.Minute, Direction: DirectionForward}
		back, err := jobToSeed(j).toJob(now, 0)
		if err != nil {
			t.Fatal(err)
		}
		if back.ID != j.ID || back.TwoWay != j.TwoWay || back.PayType != j.PayType || !back.ExpireTime.Equal(j.ExpireTime) ||
			!back.CreateTime.Equal(j.CreateTime) || back.Source != j.Source || len(back.Tags) != len(j.Tags) ||
			back.Fault != j.Fault || back.Forward.Status != j.Forward.Status {
			t.Errorf("round trip of %s:\n%+v\n%+v", j.ID, j, back)
		}
	}
}

func TestSeedTaskIDAndCreator(t *testing.T) {
	t.Parallel()
	now := time.Now()
	jobs, err := ParseSeed([]byte(`{"jobs":[
		{"id":"dtsseed000000001","dts_job_id":"abcdefghij12345","created_by":"dts_job"},
		{"id":"dtsseed000000002","task_id":"legacyname00002"},
		{"id":"dtsseed000000003"}]}`), now, 0)
	if err != nil {
		t.Fatal(err)
	}
	s := New(Options{Jobs: jobs})
	a, _ := s.Job("dtsseed000000001")
	b, _ := s.Job("dtsseed000000002")
	c, _ := s.Job("dtsseed000000003")
	if a.DtsJobID != "abcdefghij12345" || a.CreatedBy != CreatedByDtsJob || b.DtsJobID != "legacyname00002" ||
		!dtsJobIDPattern.MatchString(c.DtsJobID) || c.CreatedBy != CreatedBySynchronizationJob {
		t.Fatalf("task IDs and creators: %+v\n%+v\n%+v", a, b, c)
	}
	if out := jobToSeed(a); out.DtsJobID != a.DtsJobID || out.CreatedBy != CreatedByDtsJob || out.TaskID != "" {
		t.Fatalf("seed form %+v", out)
	}
	for _, bad := range []string{
		`{"jobs":[{"id":"x","task_id":"aaaaaaaaaaaaaaa","dts_job_id":"bbbbbbbbbbbbbbb"}]}`,
		`{"jobs":[{"id":"x","created_by":"console"}]}`,
	} {
		jobs, err := ParseSeed([]byte(bad), now, 0)
		if err == nil {
			err = New(Options{}).AddJob(jobs[0])
		}
		if err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
	// Two jobs cannot share a task ID: DtsJobId lookups must be unambiguous.
	if err := s.AddJob(Job{ID: "dtsseed000000004", DtsJobID: "abcdefghij12345"}); err == nil {
		t.Fatal("duplicate task ID accepted")
	}
}
