package dtsclient

import (
	"context"
	"math/rand/v2"
	"time"
)

// backoff returns the wait before retry number n (0-based): a uniformly random
// duration in [base, min(maxDelay, base*2^(n+1))], so waits grow exponentially, are
// jittered in full across that window, and never drop below base. A server
// retry-after hint is a floor: callers throttled together would otherwise all
// come back at the same instant.
func backoff(n int, base, maxDelay, retryAfter time.Duration) time.Duration {
	if base >= maxDelay {
		return maxDelay
	}
	ceil := base
	for i := 0; i <= n && ceil < maxDelay; i++ {
		// Compared with maxDelay/2 so that doubling cannot overflow.
		if ceil > maxDelay/2 {
			ceil = maxDelay
		} else {
			ceil *= 2
		}
	}
	return min(max(base+rand.N(ceil-base+1), retryAfter), maxDelay)
}

// Sleep waits for d or until ctx is done, whichever comes first.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
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
