package fakedts

import "time"

// nonceCache remembers nonces for ttl, in insertion order, and never more
// than max of them: past max the oldest are forgotten first.
type nonceCache struct {
	ttl   time.Duration
	max   int
	seen  map[string]time.Time
	queue []nonceEntry
	head  int
}

type nonceEntry struct {
	key string
	at  time.Time
}

func newNonceCache(ttl time.Duration, limit int) *nonceCache {
	return &nonceCache{ttl: ttl, max: limit, seen: make(map[string]time.Time)}
}

// use reports whether key is fresh, and records it.
func (c *nonceCache) use(key string, now time.Time) bool {
	c.prune(now)
	if _, dup := c.seen[key]; dup {
		return false
	}
	c.seen[key] = now
	c.queue = append(c.queue, nonceEntry{key, now})
	for len(c.seen) > c.max {
		c.popFront()
	}
	return true
}

func (c *nonceCache) prune(now time.Time) {
	for c.head < len(c.queue) && now.Sub(c.queue[c.head].at) > c.ttl {
		c.popFront()
	}
	// Compact once the dead prefix dominates, keeping memory bounded.
	if c.head > 1024 && c.head > len(c.queue)/2 {
		c.queue = append([]nonceEntry(nil), c.queue[c.head:]...)
		c.head = 0
	}
}

func (c *nonceCache) popFront() {
	e := c.queue[c.head]
	c.queue[c.head] = nonceEntry{}
	c.head++
	if at, ok := c.seen[e.key]; ok && at.Equal(e.at) {
		delete(c.seen, e.key)
	}
}

func (c *nonceCache) len() int { return len(c.seen) }
