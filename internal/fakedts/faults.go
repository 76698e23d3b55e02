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

func validFaultKind(k FaultKind) bool {
	switch k {
	case FaultThrottling, FaultServiceUnavailable, FaultInternalError, FaultDropConnection, FaultTruncateBody:
		return true
	}
	return false
}

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
	s.bucket = tokenBucket{tokens: float64(burst(f)), last: s.nowLocked()}
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
	if !validFaultKind(kind) {
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

// ClearFaults removes the random faults and every queued fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = Faults{}
	s.queue = nil
}

func burst(f Faults) int {
	if f.ThrottleBurst > 0 {
		return f.ThrottleBurst
	}
	return max(1, int(math.Ceil(f.ThrottleRate)))
}

// faultDecision is what decideFault chose for one call.
type faultDecision struct {
	kind      FaultKind
	latency   time.Duration
	retryInMs int64 // for throttling answers
}

// decideFault picks the fault, if any, for one authenticated call.
func (s *Server) decideFault(action string) faultDecision {
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
	if len(f.Actions) > 0 && !slices.Contains(f.Actions, action) {
		return faultDecision{}
	}
	d := faultDecision{latency: f.Latency}
	if f.ThrottleRate > 0 {
		now := s.nowLocked()
		if el := now.Sub(s.bucket.last).Seconds(); el > 0 {
			s.bucket.tokens = math.Min(float64(burst(f)), s.bucket.tokens+el*f.ThrottleRate)
		}
		s.bucket.last = now
		if s.bucket.tokens < 1 {
			d.kind = FaultThrottling
			d.retryInMs = int64(math.Ceil((1 - s.bucket.tokens) / f.ThrottleRate * 1000))
			return d
		}
		s.bucket.tokens--
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
