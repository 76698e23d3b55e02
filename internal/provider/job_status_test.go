package provider

import (
	"strings"
	"testing"
	"time"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

func TestNextStep(t *testing.T) {
	t.Parallel()
	type tc struct {
		status, desired string
		want            step
		wantErr         bool
	}
	cases := []tc{
		{"Synchronizing", stateSuspended, stepSuspend, false},
		{"Suspending", stateSuspended, stepDone, false},
		{"Initializing", stateSuspended, stepWait, false},
		{"Modifying", stateSuspended, stepWait, false},
		{"NotStarted", stateSuspended, 0, true},
		{"Failed", stateSuspended, 0, true},
		{"PrecheckFailed", stateSuspended, 0, true},
		{"Finished", stateSuspended, 0, true},
		{"Suspending", stateSynchronizing, stepStart, false},
		{"NotStarted", stateSynchronizing, stepStart, false},
		{"Failed", stateSynchronizing, stepStart, false},
		{"Synchronizing", stateSynchronizing, stepDone, false},
		{"Prechecking", stateSynchronizing, stepWait, false},
		{"InitializeFailed", stateSynchronizing, 0, true},
		{"Finished", stateSynchronizing, 0, true},
		{"Locked", stateSynchronizing, 0, true},
		{"Locked", stateSuspended, 0, true},
		{"Retrying", stateSuspended, stepWait, false},
		{"Retrying", stateSynchronizing, stepDone, false},
		{"PreCheckPass", stateSynchronizing, stepStart, false},
		{"PreCheckPass", stateSuspended, stepWait, false},
		{"NotConfigured", stateSynchronizing, 0, true},
		{"NotConfigured", stateSuspended, 0, true},
		{"Upgrade", stateSuspended, stepWait, false},
	}
	for _, c := range cases {
		got, err := nextStep(dtsclient.Status(c.status), c.desired)
		if (err != nil) != c.wantErr || (!c.wantErr && got != c.want) {
			t.Errorf("nextStep(%q, %q) = %v, %v; want %v (error %v)", c.status, c.desired, got, err, c.want, c.wantErr)
		}
	}
}

// The state attribute folds the statuses of both families (the table on
// the resource page).
func TestDeclaredState(t *testing.T) {
	t.Parallel()
	for status, want := range map[dtsclient.Status]string{
		"Synchronizing": stateSynchronizing, "Retrying": stateSynchronizing, "Modifying": stateSynchronizing,
		"Upgrade": stateSynchronizing, "Downgrade": stateSynchronizing, "Suspending": stateSuspended,
		"Locked": "Locked", "Failed": "Failed", "NotConfigured": "NotConfigured", "PreCheckPass": "PreCheckPass",
	} {
		if got := declaredState(status); got != want {
			t.Errorf("declaredState(%s) = %s, want %s", status, got, want)
		}
	}
}

// Locked blocks both changes with a message that names arrears and the lock.
func TestNextStep_lockedNamesArrears(t *testing.T) {
	t.Parallel()
	for _, desired := range []string{stateSynchronizing, stateSuspended} {
		_, err := nextStep(dtsclient.StatusLocked, desired)
		if err == nil || !strings.Contains(err.Error(), "arrears") || !strings.Contains(err.Error(), "Locked") {
			t.Errorf("nextStep(Locked, %s) = %v; want an error naming the lock and arrears", desired, err)
		}
	}
}

// The wait schedule is what makes a quick transition return quickly and a
// long one cost few reads; these are the properties the benchmark targets.
func TestPollSchedule(t *testing.T) {
	t.Parallel()
	readsUntil := func(d time.Duration) (reads int, lag time.Duration) {
		var elapsed time.Duration
		for n := 0; ; n++ {
			elapsed += pollInterval(n)
			if elapsed >= d {
				return n + 1, elapsed - d
			}
		}
	}
	if _, lag := readsUntil(2 * time.Second); lag > time.Second {
		t.Errorf("a 2s transition is noticed %s late, want at most 1s", lag)
	}
	reads, lag := readsUntil(60 * time.Second)
	if reads > 10 {
		t.Errorf("a 60s transition takes %d reads, want at most 10", reads)
	}
	if lag > 12*time.Second {
		t.Errorf("a 60s transition is noticed %s late, want at most 20%%", lag)
	}
}
