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
	d = d.Round(time.Second)
	if d <= 0 {
		return "0s"
	}
	days, rest := d/(24*time.Hour), d%(24*time.Hour)
	hours, rest := rest/time.Hour, rest%time.Hour
	minutes, seconds := rest/time.Minute, (rest%time.Minute)/time.Second
	units := []struct {
		n      time.Duration
		suffix string
	}{{days, "d"}, {hours, "h"}, {minutes, "m"}, {seconds, "s"}}
	first := 0
	for units[first].n == 0 {
		first++
	}
	s := fmt.Sprintf("%d%s", units[first].n, units[first].suffix)
	if next := first + 1; next < len(units) && units[next].n != 0 {
		s += fmt.Sprintf("%d%s", units[next].n, units[next].suffix)
	}
	return s
}
