package provider

import (
	"testing"
	"time"
)

func TestFormatDelay(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   time.Duration
		want string
	}{
		{0, "0s"},
		{-5 * time.Second, "0s"},
		{400 * time.Millisecond, "0s"},
		{500 * time.Millisecond, "1s"},
		{38 * time.Second, "38s"},
		{38*time.Second + 499*time.Millisecond, "38s"},
		{59*time.Second + 600*time.Millisecond, "1m"},
		{time.Minute, "1m"},
		{4*time.Minute + 12*time.Second, "4m12s"},
		{59*time.Minute + 59*time.Second, "59m59s"},
		{time.Hour, "1h"},
		{time.Hour + 5*time.Second, "1h"},
		{2*time.Hour + 3*time.Minute + 59*time.Second, "2h3m"},
		{24 * time.Hour, "1d"},
		{24*time.Hour + 30*time.Minute, "1d"},
		{3*24*time.Hour + 4*time.Hour + 5*time.Minute, "3d4h"},
		{7*24*time.Hour + 59*time.Minute, "7d"},
		{400 * 24 * time.Hour, "400d"},
	} {
		if got := formatDelay(tc.in); got != tc.want {
			t.Errorf("formatDelay(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
