package fakedts

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// FaultKind is a failure the fake can inject into an API answer.
type FaultKind string

// Injectable faults.
const (
	// FaultThrottling answers 400 Throttling.User; the action does not run.
	FaultThrottling FaultKind = "Throttling"
	// FaultServiceUnavailable answers 503 ServiceUnavailable; the action does not run.
	FaultServiceUnavailable FaultKind = "ServiceUnavailable"
	// FaultInternalError answers 500 InternalError; the action does not run.
	FaultInternalError FaultKind = "InternalError"
	// FaultDropConnection closes the connection without an answer; the
	// action does not run.
	FaultDropConnection FaultKind = "DropConnection"
	// FaultTruncateBody runs the action, then answers 200 with the first half
	// of the JSON body (Content-Length matching the half).
	FaultTruncateBody FaultKind = "TruncateBody"
)

// Faults are random failures of the API path. Each authenticated call of a
// matching action first takes a token from the throttling bucket (refilled
// by the fake clock), then draws, from a generator seeded by Options.Seed,
// whether to drop the connection, answer 5xx or truncate the body, in that
// order of precedence.
type Faults struct {
	ThrottleRate       float64       // calls per second allowed; 0 = no limit
	ThrottleBurst      int           // bucket size; 0 = max(1, ceil(rate))
	Error5xxRate       float64       // probability of 503 ServiceUnavailable or 500 InternalError (even odds)
	Latency            time.Duration // added before answering
	DropConnectionRate float64       // probability of closing without an answer
	TruncateBodyRate   float64       // probability of a half body
	Actions            []string      // actions affected; empty = all
}

// Quota allows one action Rate calls per second (bursts of Burst, default
// max(1, ceil(Rate))) for each access key and region; a call over it is
// answered 400 Throttling.User and does not run.
type Quota struct {
	Action string
	Rate   float64
	Burst  int
}

// DocumentedQuotas are the per-account quotas DTS publishes (docs/development/dts-api.md §1,
// §11): DescribeDtsJobDetail 40 calls/s and DescribeDtsJobs 20 calls/s per
// account and region. None are published for the legacy actions.
func DocumentedQuotas() []Quota {
	return []Quota{{Action: "DescribeDtsJobDetail", Rate: 40}, {Action: "DescribeDtsJobs", Rate: 20}}
}

// SetQuotas replaces the per-action quotas (nil: none) and refills their
// buckets. Quotas apply whatever Faults.Actions says. An invalid quota is an
// error and changes nothing.
func (s *Server) SetQuotas(quotas []Quota) error {
	for _, q := range quotas {
		if q.Action == "" || q.Rate <= 0 || q.Burst < 0 {
			return fmt.Errorf("quota %+v needs an action, a positive rate and a burst of 0 or more", q)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.quotas = slices.Clone(quotas)
	s.quotaBuckets = map[string]*tokenBucket{}
	return nil
}

// CurrentQuotas returns the quotas in force.
func (s *Server) CurrentQuotas() []Quota {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.quotas)
}

type tokenBucket struct {
	tokens float64
	last   time.Time
}

type queuedFault struct {
	action string // "" = any action
	kind   FaultKind
	left   int
}

// SetFaults replaces the random faults and refills the throttling bucket.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f.Actions = slices.Clone(f.Actions)
	s.faults = f
	s.bucket = tokenBucket{tokens: float64(burst(f.ThrottleRate, f.ThrottleBurst)), last: s.nowLocked()}
}

// CurrentFaults returns the random faults in force.
func (s *Server) CurrentFaults() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.faults
	f.Actions = slices.Clone(f.Actions)
	return f
}

// QueueFault scripts the next n calls of action ("" = any action) to fail
// with kind, whatever Faults say. Queued faults are used in the order
// queued.
func (s *Server) QueueFault(action string, kind FaultKind, n int) error {
	if !slices.Contains([]FaultKind{FaultThrottling, FaultServiceUnavailable, FaultInternalError, FaultDropConnection,
		FaultTruncateBody}, kind) {
		return fmt.Errorf("unknown fault kind %q", kind)
	}
	if n <= 0 {
		return fmt.Errorf("fault count %d is not positive", n)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, queuedFault{action: action, kind: kind, left: n})
	return nil
}

// ClearFaults removes the random faults, every queued fault and the
// quotas.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = Faults{}
	s.queue = nil
	s.quotas = nil
	s.quotaBuckets = map[string]*tokenBucket{}
}

func burst(rate float64, size int) int {
	if size > 0 {
		return size
	}
	return max(1, int(math.Ceil(rate)))
}

// take takes a token from b, refilled at rate up to size since its last
// use; when none is left it says how long until one is.
func (b *tokenBucket) take(now time.Time, rate float64, size int) (ok bool, retryInMs int64) {
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = math.Min(float64(size), b.tokens+el*rate)
	}
	b.last = now
	if b.tokens < 1 {
		return false, int64(math.Ceil((1 - b.tokens) / rate * 1000))
	}
	b.tokens--
	return true, 0
}

// faultDecision is what decideFault chose for one call.
type faultDecision struct {
	kind      FaultKind
	latency   time.Duration
	retryInMs int64   // for throttling answers
	limit     float64 // calls per second of the limit that throttled
}

// decideFault picks the fault, if any, for one authenticated call of
// action by accessKey in region.
func (s *Server) decideFault(action, accessKey, region string) faultDecision {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.queue {
		q := &s.queue[i]
		if q.left > 0 && (q.action == "" || q.action == action) {
			q.left--
			kind := q.kind
			s.queue = slices.DeleteFunc(s.queue, func(q queuedFault) bool { return q.left <= 0 })
			return faultDecision{kind: kind}
		}
	}
	f := s.faults
	now := s.nowLocked()
	for _, q := range s.quotas {
		if q.Action != action {
			continue
		}
		size := burst(q.Rate, q.Burst)
		key := action + "\x00" + accessKey + "\x00" + region
		b := s.quotaBuckets[key]
		if b == nil {
			b = &tokenBucket{tokens: float64(size), last: now}
			s.quotaBuckets[key] = b
		}
		if ok, wait := b.take(now, q.Rate, size); !ok {
			return faultDecision{kind: FaultThrottling, retryInMs: wait, limit: q.Rate}
		}
	}
	if len(f.Actions) > 0 && !slices.Contains(f.Actions, action) {
		return faultDecision{}
	}
	d := faultDecision{latency: f.Latency}
	if f.ThrottleRate > 0 {
		if ok, wait := s.bucket.take(now, f.ThrottleRate, burst(f.ThrottleRate, f.ThrottleBurst)); !ok {
			d.kind, d.retryInMs, d.limit = FaultThrottling, wait, f.ThrottleRate
			return d
		}
	}
	if f.DropConnectionRate <= 0 && f.Error5xxRate <= 0 && f.TruncateBodyRate <= 0 {
		return d
	}
	// Always draw the same numbers so the sequence depends only on the seed
	// and the number of calls.
	drop, fail, which, trunc := s.rng.Float64(), s.rng.Float64(), s.rng.Float64(), s.rng.Float64()
	switch {
	case drop < f.DropConnectionRate:
		d.kind = FaultDropConnection
	case fail < f.Error5xxRate && which < 0.5:
		d.kind = FaultServiceUnavailable
	case fail < f.Error5xxRate:
		d.kind = FaultInternalError
	case trunc < f.TruncateBodyRate:
		d.kind = FaultTruncateBody
	}
	return d
}
