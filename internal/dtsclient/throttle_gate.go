package dtsclient

import (
	"context"
	"sync"
	"time"
)

// throttleGate makes every caller of one client hold back after any of them
// is throttled. Without it, concurrent callers retry into the same empty
// bucket and spend their retries against each other; with it they wait out
// the cool-down together and then share the refilled quota.
type throttleGate struct {
	mu    sync.Mutex
	until time.Time
}

// hold extends the cool-down to at least d from now.
func (g *throttleGate) hold(d time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if t := time.Now().Add(d); t.After(g.until) {
		g.until = t
	}
}

// wait blocks until the cool-down has passed or ctx is done.
func (g *throttleGate) wait(ctx context.Context) error {
	g.mu.Lock()
	d := time.Until(g.until)
	g.mu.Unlock()
	return sleep(ctx, d)
}
