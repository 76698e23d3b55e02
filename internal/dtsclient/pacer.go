package dtsclient

import (
	"fmt"
	"math"
	"reflect"
	"sync"
	"time"

	"github.com/aliyun/credentials-go/credentials"
)

// Pacing follows the AWS SDK's "adaptive" retry mode: a client-side token
// bucket per account, region and action class that starts generous, halves
// its rate on every throttling answer, waits out the server's retry-after and
// climbs back along a cubic curve (CUBIC congestion control), slowly near
// the rate that was throttled and faster beyond it. Throttling then costs
// time instead of errors, and concurrent callers share the quota instead of
// retrying into the same empty bucket.
const (
	// pacerBeta multiplies the rate on a throttling answer.
	pacerBeta = 0.5
	// pacerRecovery is how long the rate takes to climb back to the rate
	// that was throttled (CUBIC's K); it grows past it as slowly again.
	pacerRecovery = 10 * time.Second
	// pacerGrace follows a decrease: throttling answers within it do not
	// decrease the rate again.
	pacerGrace = 250 * time.Millisecond
	// pacerMinRate is the floor, in calls per second.
	pacerMinRate = 0.5
	// pacerMeasureInterval and pacerSmoothing measure the sending rate
	// (exponentially smoothed per interval), the basis of a decrease.
	pacerMeasureInterval = 500 * time.Millisecond
	pacerSmoothing       = 0.8
	// pacerAcceptWindow is the window of the accepted-calls rate reported
	// when a call runs out of time.
	pacerAcceptWindow = 10
)

// documentedQuotas are the per-account, per-region quotas DTS publishes
// (REFERENCE §1, §11): their actions get a limiter of their own that starts
// at the quota. Every other action shares one limiter per account and
// region, which starts unlimited until DTS first throttles it.
var documentedQuotas = map[string]float64{
	"DescribeDtsJobDetail": 40,
	"DescribeDtsJobs":      20,
}

// sharedActionClass names the limiter of the actions without a published quota.
const sharedActionClass = "other"

// actionClass returns the limiter class of an action.
func actionClass(action string) string {
	if _, ok := documentedQuotas[action]; ok {
		return action
	}
	return sharedActionClass
}

// Pacer holds the rate limiters of every client it is given to (Config.Pacer),
// one per account, region and action class. The provider makes one per
// provider instance and hands it to each client it creates, so clients of
// different hosts, and one client serving every region, pace together. It is
// safe for concurrent use.
type Pacer struct {
	now      func() time.Time
	minRate  float64 // pacerMinRate; tests raise it to keep real-time tests short
	mu       sync.Mutex
	limiters map[pacerKey]*limiter
}

// NewPacer returns an empty Pacer.
func NewPacer() *Pacer { return newPacer(time.Now) }

func newPacer(now func() time.Time) *Pacer {
	return &Pacer{now: now, minRate: pacerMinRate, limiters: map[pacerKey]*limiter{}}
}

type pacerKey struct{ account, region, class string }

// limiter returns the limiter of an account, region and action, creating it.
func (p *Pacer) limiter(account, region, action string) *limiter {
	key := pacerKey{account: account, region: region, class: actionClass(action)}
	p.mu.Lock()
	defer p.mu.Unlock()
	l, ok := p.limiters[key]
	if !ok {
		l = newLimiter(key, documentedQuotas[key.class], p.minRate)
		p.limiters[key] = l
	}
	return l
}

// accountKey identifies a credential without reading it: clients given the
// same credential object share limiters. Nothing secret goes into the key.
func accountKey(cred credentials.Credential) string {
	if v := reflect.ValueOf(cred); v.Kind() == reflect.Pointer {
		return fmt.Sprintf("%T@%x", cred, v.Pointer())
	}
	return fmt.Sprintf("%T", cred)
}

// limiter is one adaptive token bucket, scheduled GCRA-style: tat is the
// theoretical arrival time of the next call, and a call may go at
// tat - tolerance, where tolerance lets one second's worth of calls burst.
type limiter struct {
	key pacerKey

	mu      sync.Mutex
	enabled bool    // false: no pacing (until the first throttle) except retry-after.
	rate    float64 // calls per second while enabled.
	ceiling float64 // the published quota, which the rate never exceeds; 0 = none.
	minRate float64 // the floor of rate
	gen     uint64  // bumped on every decrease; reservations of older generations re-queue.

	tat          time.Time
	blockedUntil time.Time // the server's retry-after.

	lastMax      float64   // the rate that was throttled; 0 before any throttle.
	lastDecrease time.Time // when the rate was last halved.
	graceUntil   time.Time // no second decrease before this
	recovered    bool      // the rate climbed back to lastMax since the last decrease.

	sentStart time.Time // start of the current measuring interval
	sentCount int
	sentRate  float64 // smoothed calls per second sent

	accepted     [pacerAcceptWindow]int // accepted calls per second, ring by Unix second
	acceptedSec  [pacerAcceptWindow]int64
	firstAccept  time.Time
	calls        int64
	throttled    int64
	lastThrottle time.Time
}

func newLimiter(key pacerKey, quota, minRate float64) *limiter {
	l := &limiter{key: key, minRate: minRate}
	if quota > 0 {
		l.enabled, l.rate, l.ceiling = true, quota, quota
	}
	return l
}

// holdFor is how long the server's retry-after still blocks every call.
func (l *limiter) holdFor(now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return max(0, l.blockedUntil.Sub(now))
}

// reservation is a slot a call was given.
type reservation struct {
	at  time.Time // when the call may go
	gen uint64
	tat time.Time // l.tat after this reservation, to release it
}

// reserve schedules the next call and returns its slot, which may be now.
func (l *limiter) reserve(now time.Time) reservation {
	l.mu.Lock()
	defer l.mu.Unlock()
	at := maxTime(now, l.blockedUntil)
	if l.enabled {
		interval := l.interval()
		tolerance := time.Duration(float64(l.burst()-1) * float64(interval))
		tat := maxTime(l.tat, at)
		at = maxTime(at, tat.Add(-tolerance))
		l.tat = tat.Add(interval)
	}
	return reservation{at: at, gen: l.gen, tat: l.tat}
}

// confirm reports whether a reservation still holds when its slot comes: a
// decrease since it was made voids it, and the caller reserves again.
func (l *limiter) confirm(r reservation) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return r.gen == l.gen
}

// release gives back a reservation the caller will not use (cancelled, or
// past its deadline), if no later one was made on top of it.
func (l *limiter) release(r reservation) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.enabled && r.gen == l.gen && l.tat.Equal(r.tat) {
		l.tat = l.tat.Add(-l.interval())
	}
}

// sent records that a call went out at now.
func (l *limiter) sent(now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls++
	l.measure(now)
	l.sentCount++
}

// success records an accepted call and lets the rate recover. It reports
// whether the rate has just climbed back to the rate that was throttled.
func (l *limiter) success(now time.Time) (recovered bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	sec := now.Unix()
	i := int(sec % pacerAcceptWindow)
	if l.acceptedSec[i] != sec {
		l.acceptedSec[i], l.accepted[i] = sec, 0
	}
	l.accepted[i]++
	if l.firstAccept.IsZero() {
		l.firstAccept = now
	}
	if !l.enabled || l.lastMax == 0 {
		return false
	}
	l.measure(now)
	next := l.cubic(now)
	if next > l.rate {
		// Grow no faster than twice what callers use, so an idle limiter
		// does not build a rate it never tested.
		next = min(next, max(l.rate, 2*l.sentRate))
	}
	l.setRate(max(next, l.minRate))
	target := l.lastMax
	if l.ceiling > 0 {
		target = min(target, l.ceiling)
	}
	if !l.recovered && l.rate >= target {
		l.recovered = true
		return true
	}
	return false
}

// throttle records a throttling answer to a call reserved as r: it blocks
// every call of the limiter for retryAfter and halves the rate, once per
// generation and grace period (answers to calls scheduled under an older
// rate, or sent into the deficit the older rate left, say nothing about the
// current one).
func (l *limiter) throttle(now time.Time, r reservation, retryAfter time.Duration) (decreased bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.throttled++
	l.lastThrottle = now
	l.blockedUntil = maxTime(l.blockedUntil, now.Add(retryAfter))
	if r.gen != l.gen || now.Before(l.graceUntil) {
		return false
	}
	l.measure(now)
	basis := max(l.sentRate, l.currentSendRate(now))
	if l.enabled {
		basis = min(basis, l.rate)
	}
	if acc := l.acceptedRate(now); acc > 0 {
		// A busy limiter that is throttled sends about what DTS accepts, so
		// the quota is near the accepted rate: capping the basis at twice it
		// takes a burst from "unlimited" to the quota in one or two steps
		// instead of one halving per grace period.
		basis = min(basis, 2*acc)
	}
	if basis <= 0 {
		basis = l.minRate / pacerBeta
	}
	l.lastMax = basis
	l.lastDecrease = now
	// Calls in flight at the decrease drain the server's bucket, so the first
	// calls at the new rate may be throttled too; that says nothing new.
	l.graceUntil = maxTime(now, l.blockedUntil).Add(pacerGrace)
	l.recovered = false
	l.enabled = true
	l.setRate(max(basis*pacerBeta, l.minRate))
	l.gen++
	// No burst after a throttle: the next call goes at blockedUntil, the
	// ones after it one interval apart.
	tolerance := time.Duration(float64(l.burst()-1) * float64(l.interval()))
	l.tat = maxTime(now, l.blockedUntil).Add(tolerance)
	return true
}

// cubic is the recovering rate at now: half of lastMax right after the
// decrease, lastMax after pacerRecovery, flat around it, rising beyond.
func (l *limiter) cubic(now time.Time) float64 {
	x := (now.Sub(l.lastDecrease).Seconds() - pacerRecovery.Seconds()) / pacerRecovery.Seconds()
	return l.lastMax * (1 + pacerBeta*x*x*x)
}

func (l *limiter) setRate(r float64) {
	if l.ceiling > 0 {
		r = min(r, l.ceiling)
	}
	l.rate = r
}

func (l *limiter) interval() time.Duration {
	return time.Duration(float64(time.Second) / l.rate)
}

// burst is how many calls may go back to back: one second's worth.
func (l *limiter) burst() int {
	return max(1, int(math.Floor(l.rate)))
}

// measure closes the measuring interval if it is over.
func (l *limiter) measure(now time.Time) {
	if l.sentStart.IsZero() {
		l.sentStart = now
		return
	}
	el := now.Sub(l.sentStart)
	if el < pacerMeasureInterval {
		return
	}
	r := float64(l.sentCount) / el.Seconds()
	l.sentRate = pacerSmoothing*r + (1-pacerSmoothing)*l.sentRate
	l.sentStart, l.sentCount = now, 0
}

// currentSendRate is the rate of the open measuring interval, counted over
// at least one interval so a single burst does not read as infinite.
func (l *limiter) currentSendRate(now time.Time) float64 {
	el := max(now.Sub(l.sentStart), pacerMeasureInterval)
	return float64(l.sentCount) / el.Seconds()
}

// acceptedRate is the accepted calls per second over the last window.
func (l *limiter) acceptedRate(now time.Time) float64 {
	if l.firstAccept.IsZero() {
		return 0
	}
	sec := now.Unix()
	n := 0
	for i := range pacerAcceptWindow {
		if s := l.acceptedSec[i]; s > sec-pacerAcceptWindow && s <= sec {
			n += l.accepted[i]
		}
	}
	window := min(float64(pacerAcceptWindow), max(1, now.Sub(l.firstAccept).Seconds()))
	return float64(n) / window
}

// PacerState is a limiter's state, for logs and errors.
type PacerState struct {
	Region      string
	ActionClass string  // The action with a published quota, or "other".
	Limited     bool    // False until DTS first throttles an unpublished-quota class.
	Rate        float64 // Calls per second allowed now (when Limited).
	// ThrottledAt is the rate DTS last throttled, calls per second; the
	// quota is below it. 0 before any throttle.
	ThrottledAt float64
	// Accepted is the calls per second DTS accepted over the last 10 s; the
	// quota is at least this when the limiter was kept busy.
	Accepted  float64
	Calls     int64 // Calls sent through this limiter.
	Throttled int64 // Throttling answers to them.
}

func (l *limiter) state(now time.Time) PacerState {
	l.mu.Lock()
	defer l.mu.Unlock()
	return PacerState{
		Region:      l.key.region,
		ActionClass: l.key.class,
		Limited:     l.enabled,
		Rate:        l.rate,
		ThrottledAt: l.lastMax,
		Accepted:    l.acceptedRate(now),
		Calls:       l.calls,
		Throttled:   l.throttled,
	}
}

func (s PacerState) fields() map[string]any {
	rate := 0.0 // 0 = not limited
	if s.Limited {
		rate = round2(s.Rate)
	}
	return map[string]any{
		"pacer_region":         s.Region,
		"pacer_action_class":   s.ActionClass,
		"pacer_rate_per_s":     rate,
		"pacer_throttled_at":   round2(s.ThrottledAt),
		"pacer_accepted_per_s": round2(s.Accepted),
		"pacer_calls":          s.Calls,
		"pacer_throttled":      s.Throttled,
	}
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// PacerState returns the state of the limiter that paces action in region
// for this client's account, for a caller's error message.
func (c *Client) PacerState(region, action string) PacerState {
	return c.pacer.limiter(c.account, region, action).state(c.pacer.now())
}
