package provider

import (
	"math"
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

// The wait schedule sees a transition at most max(750ms, 12%) of its length
// after it ends, for any length and any phase of the shared poll grid, with
// a read count that grows slowly with the length.
func TestPollSchedule(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 1, 1, 0, 0, 0, 123456789, time.UTC)
	for _, phase := range []time.Duration{0, 37 * time.Millisecond, 249 * time.Millisecond, 777 * time.Millisecond} {
		for _, d := range []time.Duration{time.Second, 2 * time.Second, 5 * time.Second, 17 * time.Second, time.Minute, 5 * time.Minute, time.Hour} {
			reads, lag := pollReadsUntil(start.Add(phase), d)
			if bound := max(pollMinInterval, time.Duration(pollFraction*float64(d))); lag > bound {
				t.Errorf("phase %s: a %s transition is seen %s late, want at most %s", phase, d, lag, bound)
			}
			if limit := maxPollReads(d); reads > limit {
				t.Errorf("phase %s: a %s transition takes %d reads, want at most %d", phase, d, reads, limit)
			}
		}
	}
}

// pollReadsUntil follows the schedule from start until a transition of
// length d has ended: the reads it takes, and how late the last one is.
func pollReadsUntil(start time.Time, d time.Duration) (int, time.Duration) {
	now := start
	for n := 1; ; n++ {
		next := pollDelay(now.Sub(start), now)
		if next <= 0 {
			panic("pollDelay returned no wait")
		}
		now = now.Add(next)
		if now.Sub(start) >= d {
			return n, now.Sub(start) - d
		}
	}
}

// maxPollReads bounds the reads of a transition of length d: two a second
// for the first 6.25 s (the grid may move a read up to half an interval
// early), then twice the ln(d/6.25 s)/ln(1.12) of a geometric schedule.
func maxPollReads(d time.Duration) int {
	first := min(d, 6250*time.Millisecond)
	n := int(2*first.Seconds()) + 1
	if d > 6250*time.Millisecond {
		n += int(2*math.Log(d.Seconds()/6.25)/math.Log(1+pollFraction)) + 1
	}
	return n
}
