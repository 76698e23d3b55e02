package provider

import (
	"strings"
	"testing"
	"time"
)

func TestResumeLimitWarning(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	cases := map[string]struct {
		notPaused bool
		since     time.Time
		summary   string
		details   []string
	}{
		"pause being planned": {
			notPaused: true,
			summary:   "Paused Jobs Can Only Be Resumed for a Limited Time",
			details:   []string{"dtsabc (Forward) will be paused", "about 6 hours", "7 days"},
		},
		"paused since an unknown time": {
			summary: "Paused Jobs Can Only Be Resumed for a Limited Time",
			details: []string{"dtsabc (Forward) is already paused", "not known for how long", "7 days"},
		},
		"paused for two hours": {
			since:   now.Add(-2 * time.Hour),
			summary: "Paused Jobs Can Only Be Resumed for a Limited Time",
			details: []string{"paused for 2h0m", "since 2026-11-25T10:00:00Z", "before 2026-11-25T16:00:00Z"},
		},
		"paused past six hours": {
			since:   now.Add(-7 * time.Hour),
			summary: "Paused Job May Not Resume",
			details: []string{"paused for 7h0m", "as soon as possible", "2026-12-02T05:00:00Z"},
		},
		"paused past seven days": {
			since:   now.Add(-8 * 24 * time.Hour),
			summary: "Paused Job Can No Longer Be Resumed",
			details: []string{"paused for 8d0h", "past the 7-day limit", "reconfigure"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d := resumeLimitWarning("dtsabc", "Forward", !tc.notPaused, tc.since, now)
			if d.Summary() != tc.summary {
				t.Errorf("summary %q, want %q", d.Summary(), tc.summary)
			}
			for _, want := range tc.details {
				if !strings.Contains(d.Detail(), want) {
					t.Errorf("detail %q does not mention %q", d.Detail(), want)
				}
			}
		})
	}
}

func TestBillingWarning(t *testing.T) {
	t.Parallel()
	d := billingWarning("dtsabc", "Reverse")
	for _, want := range []string{"dtsabc (Reverse)", "PostPaid", "keeps charging", "Synchronizing"} {
		if !strings.Contains(d.Detail(), want) {
			t.Errorf("detail %q does not mention %q", d.Detail(), want)
		}
	}
}

func TestUnsteadyWarning(t *testing.T) {
	t.Parallel()
	d := unsteadyWarning("dtsabc", "Forward", "Failed", "DTS-070211: Connect Source DB failed.")
	for _, want := range []string{"dtsabc (Forward)", "Failed", "DTS-070211", "StartDtsJob or StartSynchronizationJob"} {
		if !strings.Contains(d.Detail(), want) {
			t.Errorf("detail %q does not mention %q", d.Detail(), want)
		}
	}
}
