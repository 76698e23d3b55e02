package provider

import (
	"testing"
	"time"
)

func TestFormatDelay(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                                     "0s",
		-time.Second:                          "0s",
		900 * time.Millisecond:                "0s",
		38*time.Second + 700*time.Millisecond: "38s",
		4*time.Minute + 12*time.Second:        "4m12s",
		4 * time.Minute:                       "4m",
		2*time.Hour + 3*time.Minute:           "2h3m",
		2 * time.Hour:                         "2h",
		2*time.Hour + 5*time.Second:           "2h0m5s",
	} {
		if got := formatDelay(d); got != want {
			t.Errorf("formatDelay(%s) = %q, want %q", d, got, want)
		}
	}
}
