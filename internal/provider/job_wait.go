package provider

import (
	"context"
	"time"
)

// pollSchedule is the wait before each status read while a transition runs:
// fine-grained at first, so that a quick transition is noticed within about
// half a second, then doubling up to pollMaxInterval, so that a minute-long
// transition costs about ten reads.
var pollSchedule = []time.Duration{
	500 * time.Millisecond, 500 * time.Millisecond, 500 * time.Millisecond,
	1 * time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second,
}

const pollMaxInterval = 15 * time.Second

// pollInterval returns the wait before read number n (0-based) of a transition.
func pollInterval(n int) time.Duration {
	if n < len(pollSchedule) {
		return pollSchedule[n]
	}
	return pollMaxInterval
}

// sleepCtx waits for d or until ctx is done, whichever is first.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if deadline, ok := ctx.Deadline(); ok {
		// Wake just before the deadline so the last read still happens.
		if left := time.Until(deadline) - 50*time.Millisecond; left < d {
			d = max(left, 0)
		}
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
