package provider

import (
	"strings"
	"time"
)

// formatDelay writes a replication delay for people: whole seconds, without
// the zero parts time.Duration.String keeps (4m12s, 38s, 2h3m, 2h, 0s).
func formatDelay(d time.Duration) string {
	d = d.Truncate(time.Second)
	if d <= 0 {
		return "0s"
	}
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
