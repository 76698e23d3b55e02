package dtsclient

import (
	"testing"
	"time"

	"github.com/aliyun/credentials-go/credentials"

	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts/fakedtstest"
)

// delayFake is a fake DTS whose Delay unit is unit, on a manual clock, and
// a client of it. Signatures are not judged by time, so the clock can move
// by hours.
func delayFake(t *testing.T, unit fakedts.DelayUnit) (*fakedts.Server, *Client) {
	t.Helper()
	s := fakedtstest.NewServer(t, fakedts.Options{Jobs: fakedts.DefaultJobs(), Clock: fakedts.NewManualClock(time.Now()),
		Behavior: fakedts.Behavior{DelayUnit: unit}, TimestampWindow: -1})
	key := fakedts.DefaultCredential()
	cred, err := credentials.NewCredential(&credentials.Config{Type: strPtr("access_key"),
		AccessKeyId: strPtr(key.AccessKeyID), AccessKeySecret: strPtr(key.AccessKeySecret)})
	if err != nil {
		t.Fatal(err)
	}
	return s, newTestClient(t, Config{Endpoint: s.Endpoint(), Protocol: "http", Credential: cred, MaxRetries: 1,
		RequestTimeout: 5 * time.Second, RetryBaseDelay: time.Millisecond, RetryMaxDelay: time.Millisecond})
}

var delayUnits = []fakedts.DelayUnit{fakedts.DelayUnitDocumented, fakedts.DelayUnitSeconds, fakedts.DelayUnitMilliseconds}

// readDelays reads one direction's delay through every action that reports
// one, keyed by action.
func readDelays(t *testing.T, c *Client, jobID, taskID, direction string) map[string]delayed {
	t.Helper()
	ctx := testContext(t)
	ref := JobRef{RegionID: "cn-hangzhou", JobID: jobID, DtsJobID: taskID, Direction: direction}
	out := map[string]delayed{}
	st, err := c.DescribeDtsJobDetail(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	out["DescribeDtsJobDetail"] = delayed{st.Delay, st.DelayReported}
	if st, err = c.DescribeSynchronizationJobStatus(ctx, ref); err != nil {
		t.Fatal(err)
	}
	out["DescribeSynchronizationJobStatus"] = delayed{st.Delay, st.DelayReported}
	page, err := c.DescribeDtsJobs(ctx, ListDtsJobsInput{RegionID: "cn-hangzhou", DtsJobID: taskID})
	if err != nil || len(page.Jobs) != 1 {
		t.Fatalf("DescribeDtsJobs: %v %+v", err, page)
	}
	for _, d := range page.Jobs[0].Directions {
		if d.Direction == direction || direction == "" && d.Direction == DirectionForward {
			out["DescribeDtsJobs"] = delayed{d.Delay, d.DelayReported}
		}
	}
	if direction != DirectionReverse {
		j := page.Jobs[0]
		out["DescribeDtsJobs item"] = delayed{j.Delay, j.DelayReported}
		legacy, err := c.DescribeSynchronizationJobs(ctx, ListJobsInput{RegionID: "cn-hangzhou"})
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range legacy.Jobs {
			if j.JobID == jobID {
				out["DescribeSynchronizationJobs"] = delayed{j.Delay, j.DelayReported}
			}
		}
	}
	return out
}

// delayed is a delay and whether it was reported, for comparisons.
type delayed struct {
	Delay    time.Duration
	Reported bool
}

// wantDelays checks that every action reported a delay in [lo, hi].
func wantDelays(t *testing.T, what string, got map[string]delayed, lo, hi time.Duration) {
	t.Helper()
	for action, d := range got {
		if !d.Reported || d.Delay < lo || d.Delay > hi {
			t.Errorf("%s: %s reports %v (reported %v), want %v to %v", what, action, d.Delay, d.Reported, lo, hi)
		}
	}
}

// Whatever unit the maintained family uses, every action's delay decodes
// to the same duration: behind, catching up, at the live lag, and paused.
func TestDelayDecodesUnderEveryUnit(t *testing.T) {
	t.Parallel()
	const ordersTask, inventoryTask = "l3m1213ye7l0001", "exjk1alb1160003"
	for _, unit := range delayUnits {
		t.Run(string(unit), func(t *testing.T) {
			t.Parallel()
			s, c := delayFake(t, unit)
			wantDelays(t, "live lag", readDelays(t, c, fakedts.DefaultOrdersJobID, ordersTask, ""), 0, 3*time.Second)

			if err := s.SetCatchUpRate(fakedts.DefaultOrdersJobID, 4); err != nil {
				t.Fatal(err)
			}
			if err := s.SetDelay(fakedts.DefaultOrdersJobID, "", 10*time.Minute); err != nil {
				t.Fatal(err)
			}
			wantDelays(t, "10 min behind", readDelays(t, c, fakedts.DefaultOrdersJobID, ordersTask, ""),
				10*time.Minute, 10*time.Minute)
			s.AdvanceClock(100 * time.Second)
			wantDelays(t, "100 s of catch-up at 4 s/s", readDelays(t, c, fakedts.DefaultOrdersJobID, ordersTask, ""),
				200*time.Second, 200*time.Second)

			if err := s.SetDelay(fakedts.DefaultInventoryJobID, DirectionReverse, 90*time.Second); err != nil {
				t.Fatal(err)
			}
			wantDelays(t, "Reverse 90 s behind", readDelays(t, c, fakedts.DefaultInventoryJobID, inventoryTask, DirectionReverse),
				90*time.Second, 90*time.Second)

			if err := s.SetStatus(fakedts.DefaultInventoryJobID, DirectionForward, fakedts.StatusSuspending); err != nil {
				t.Fatal(err)
			}
			s.AdvanceClock(2 * time.Hour)
			wantDelays(t, "paused 2 h", readDelays(t, c, fakedts.DefaultInventoryJobID, inventoryTask, DirectionForward),
				2*time.Hour, 2*time.Hour+3*time.Second)
		})
	}
}

// The legacy batch read carries no delay; a job not started reports 0.
func TestDelayNotReported(t *testing.T) {
	t.Parallel()
	_, c := delayFake(t, "")
	dirs, err := c.DescribeSynchronizationJobStatusList(testContext(t), "cn-hangzhou", []string{fakedts.DefaultInventoryJobID})
	if err != nil || len(dirs) != 1 || len(dirs[0].Directions) != 2 {
		t.Fatalf("%v %+v", err, dirs)
	}
	for _, d := range dirs[0].Directions {
		if d.DelayReported || d.Delay != 0 {
			t.Errorf("%s: the status list has no delay, got %v (reported %v)", d.Direction, d.Delay, d.DelayReported)
		}
	}
	got := readDelays(t, c, fakedts.DefaultPaymentsJobID, "kfq1149w2540004", "")
	wantDelays(t, "not started", got, 0, 0)
}

// dtsJobDelay keeps the documented unit unless the server time and the
// checkpoint contradict it and agree with the other unit.
func TestDtsJobDelayUnit(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	ckpt := func(behind time.Duration) int64 { return now.Add(-behind).Unix() }
	ms, s := time.Millisecond, time.Second
	cases := map[string]struct {
		v          optInt
		documented time.Duration
		checkpoint int64
		serverTime time.Time
		want       time.Duration
		reported   bool
	}{
		"absent":                                {documented: ms, reported: false},
		"zero":                                  {v: optInt{0, true}, documented: ms, checkpoint: ckpt(0), serverTime: now, want: 0, reported: true},
		"detail in ms as documented":            {v: optInt{600_000, true}, documented: ms, checkpoint: ckpt(600 * s), serverTime: now, want: 600 * s, reported: true},
		"detail in seconds":                     {v: optInt{600, true}, documented: ms, checkpoint: ckpt(600 * s), serverTime: now, want: 600 * s, reported: true},
		"list in seconds as documented":         {v: optInt{600, true}, documented: s, checkpoint: ckpt(600 * s), serverTime: now, want: 600 * s, reported: true},
		"list in milliseconds":                  {v: optInt{600_000, true}, documented: s, checkpoint: ckpt(600 * s), serverTime: now, want: 600 * s, reported: true},
		"list in ms at the live lag":            {v: optInt{2500, true}, documented: s, checkpoint: ckpt(2 * s), serverTime: now, want: 2500 * ms, reported: true},
		"no server time: documented":            {v: optInt{600, true}, documented: ms, checkpoint: ckpt(600 * s), want: 600 * ms, reported: true},
		"no checkpoint: documented":             {v: optInt{600, true}, documented: ms, serverTime: now, want: 600 * ms, reported: true},
		"neither unit fits: documented":         {v: optInt{12034, true}, documented: ms, checkpoint: ckpt(1000 * time.Hour), serverTime: now, want: 12034 * ms, reported: true},
		"a tenth of a long delay is tolerated":  {v: optInt{3_500_000, true}, documented: ms, checkpoint: ckpt(time.Hour), serverTime: now, want: 3500 * s, reported: true},
		"seconds within the tolerance of an ms": {v: optInt{2, true}, documented: ms, checkpoint: ckpt(2 * s), serverTime: now, want: 2 * ms, reported: true},
	}
	for name, tc := range cases {
		got, reported := dtsJobDelay(tc.v, tc.documented, tc.checkpoint, tc.serverTime)
		if got != tc.want || reported != tc.reported {
			t.Errorf("%s: got %v (reported %v), want %v (reported %v)", name, got, reported, tc.want, tc.reported)
		}
	}
}

// The legacy family names its units: DelayMillis wins, Delay is seconds.
func TestLegacyDelay(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		seconds, millis optInt
		want            time.Duration
		reported        bool
	}{
		"both":         {optInt{12, true}, optInt{12034, true}, 12034 * time.Millisecond, true},
		"seconds only": {optInt{12, true}, optInt{}, 12 * time.Second, true},
		"millis only":  {optInt{}, optInt{250, true}, 250 * time.Millisecond, true},
		"neither":      {optInt{}, optInt{}, 0, false},
	} {
		got, reported := legacyDelay(tc.seconds, tc.millis)
		if got != tc.want || reported != tc.reported {
			t.Errorf("%s: got %v %v, want %v %v", name, got, reported, tc.want, tc.reported)
		}
	}
}
