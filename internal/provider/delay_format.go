package provider

import (
	"fmt"
	"time"
)

// formatDelay writes a replication delay compactly for people: rounded to
// whole seconds, at most two units, zero units left out ("38s", "4m12s",
// "2h3m", "3d4h", "0s"). From an hour on the seconds are dropped, from a day
// on the minutes: a paused job's delay is read in hours, not seconds. A
// negative delay (clock skew) is "0s".
func formatDelay(d time.Duration) string {
	return twoUnits(max(d.Round(time.Second), 0), true)
}

// humanDuration renders a duration as "3d4h", "5h12m" or "42s".
func humanDuration(d time.Duration) string {
	return twoUnits(d, false)
}

// twoUnits writes d rounded to seconds in its largest unit and the next one,
// which dropZero leaves out when it is zero.
func twoUnits(d time.Duration, dropZero bool) string {
	d = d.Round(time.Second)
	units := []time.Duration{24 * time.Hour, time.Hour, time.Minute, time.Second}
	i := 0
	for i < len(units)-1 && d < units[i] {
		i++
	}
	s := fmt.Sprintf("%d%c", d/units[i], "dhms"[i])
	if i < len(units)-1 {
		if next := d % units[i] / units[i+1]; next != 0 || !dropZero {
			s += fmt.Sprintf("%d%c", next, "dhms"[i+1])
		}
	}
	return s
}
