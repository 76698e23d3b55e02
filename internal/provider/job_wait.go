package provider

import (
	"context"
	"time"
)

// The poll schedule of a wait. A read every pollMinInterval at first, then
// every pollFraction of the time the transition has run: a transition that
// ends between two reads is seen at most max(pollMinInterval, pollFraction
// of its length) late, whatever its length, and a long one costs a read
// count that grows with the logarithm of its length (about 14 reads in the
// first 10 s, 26 in a minute, 40 in five). The target is max(1 s, 15%); the
// rest of it is left for the call itself and for batching.
const (
	pollMinInterval = 750 * time.Millisecond
	pollFraction    = 0.12
	// pollGridBase is the finest grid the reads are aligned to.
	pollGridBase = 250 * time.Millisecond
)

// pollDelay returns the wait before the next read of a transition that has
// run for elapsed, at now. The read is due after max(pollMinInterval,
// pollFraction × elapsed); it is moved earlier, onto a grid shared by every
// wait of the provider, so that the reads of jobs waiting together fall on
// the same instants and one batched call serves them (statusBatcher). The
// grid step is the largest power-of-two multiple of pollGridBase not above
// half the interval, so a read is never later than due and at most 50% early.
func pollDelay(elapsed time.Duration, now time.Time) time.Duration {
	interval := max(pollMinInterval, time.Duration(pollFraction*float64(elapsed)))
	grid := pollGridBase
	for grid*2 <= interval/2 {
		grid *= 2
	}
	due := now.Add(interval)
	if aligned := due.Truncate(grid); aligned.After(now) {
		due = aligned
	}
	return due.Sub(now)
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
