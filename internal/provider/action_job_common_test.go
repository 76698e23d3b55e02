package provider

import (
	"testing"
	"time"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

func TestActionProgress_messages(t *testing.T) {
	t.Parallel()
	ref := dtsclient.JobRef{JobID: "dtsx001", Direction: "Forward"}
	st := func(status string) *dtsclient.JobStatus {
		return &dtsclient.JobStatus{Name: "orders-sync", Status: dtsclient.Status(status)}
	}
	p := &actionProgress{ref: ref, desired: stateSuspended}
	for _, step := range []struct {
		status  string
		elapsed time.Duration
		want    string
	}{
		{"Synchronizing", 0, "orders-sync (Forward): Synchronizing, asking DTS to pause it"},
		{"Synchronizing", 600 * time.Millisecond, "orders-sync (Forward): Synchronizing, waiting for Suspending, 1 s"},
		{"Suspending", 4 * time.Second, "orders-sync (Forward): Synchronizing → Suspending, 4 s"},
	} {
		if got := p.message(st(step.status), step.elapsed); got != step.want {
			t.Errorf("got %q, want %q", got, step.want)
		}
	}
	done := &actionProgress{ref: ref, desired: stateSynchronizing}
	if got := done.message(&dtsclient.JobStatus{Status: "Synchronizing"}, 0); got != "dtsx001 (Forward): already Synchronizing, nothing to do" {
		t.Errorf("a job with no name, already running: %q", got)
	}
	resume := &actionProgress{ref: ref, desired: stateSynchronizing}
	if got := resume.message(st("Suspending"), 0); got != "orders-sync (Forward): Suspending, asking DTS to resume it" {
		t.Errorf("resume: %q", got)
	}
}
