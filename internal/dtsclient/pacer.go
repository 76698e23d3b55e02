package dtsclient

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"sync"
	"time"

	"github.com/aliyun/credentials-go/credentials"
)

// Pacing follows TCP congestion control and the AWS SDK's "adaptive" retry
// mode, so that several provider processes on one account quota (CI
// matrices, workspaces) each converge on a share of it without knowing of
// each other. Each account, region and action class has a token bucket
// whose rate
//   - starts cautiously (pacerStartRate, no burst) and doubles every
//     pacerDoubling while callers wait for it (slow start), so a run alone
//     reaches the quota within seconds while runs starting together do not
//     burst into it at once;
//   - is multiplied by pacerBeta on a throttling answer, once per grace
//     period, and waits out the server's retry-after; the throttle that
//     ends slow start may take it lower, to what DTS accepted in the last
//     second; the other classes of the account slow down with it, and all
//     of them judge by the account's calls, not their own;
//   - then climbs back along a cubic curve (CUBIC congestion control): fast
//     to just below the rate that was throttled, flat around it, and probing
//     upward only slowly beyond it.
//
// Once the account was throttled, its classes also share one gate, so that
// together they keep to one share (accountHold).
//
// A limiter never queues a caller far ahead: a caller whose slot has not come
// is told when to ask again, so a rate that rises serves waiting callers at
// once, and one that falls never lets a stale slot through.
const (
	// pacerStartRate is the rate of a new limiter, in calls per second.
	// Measured with four processes on a 5 calls/s quota, 10 throttles no
	// more than 4 did, and lets a run alone reach 20 calls/s sooner; 16, a
	// faster doubling, or published quotas as the start all throttled more.
	pacerStartRate = 10.0
	// pacerDoubling is how long the rate takes to double while callers wait
	// for it, until the first throttling answer (slow start).
	pacerDoubling = 500 * time.Millisecond
	// pacerBeta multiplies the rate on a throttling answer.
	pacerBeta = 0.5
	// pacerCubicC scales the cubic curve's probing, in calls per second per
	// second³: past its plateau the rate grows by at least C·t³ calls/s t
	// seconds later, whatever its share, so small shares grow faster for
	// their size and the shares even out (CUBIC's fairness).
	pacerCubicC = 0.005
	// pacerRecovery is the least time the rate takes to climb back to its
	// plateau: the fewer times a limiter reaches the quota, the fewer calls
	// DTS throttles, but a run that others squeezed, or that goes on alone
	// once they finish, takes this long to use the share they leave. Four
	// runs of 15 pauses on a 5 calls/s quota took 1.22-1.24× the quota's
	// pace with 10 s (10.5-11% throttled), 1.10× with 6 s (12-13%).
	pacerRecovery = 6 * time.Second
	// pacerHeadroom is where the recovering rate levels off, as a share of
	// the rate that was throttled: a little below it, so the account's
	// bucket refills between probes instead of running dry.
	pacerHeadroom = 0.9
	// pacerGrace follows a decrease: throttling answers within it do not
	// decrease the rate again.
	pacerGrace = 250 * time.Millisecond
	// pacerMinRate is the floor, in calls per second. Each action class of
	// each process keeps at least this, so it is low: eight processes with
	// two busy classes each still fit a quota of 5 calls/s.
	pacerMinRate = 0.2
	// pacerBusy is how recently a caller must have waited for a slot for the
	// rate to grow: an idle limiter does not build a rate it never tested.
	pacerBusy = time.Second
	// pacerRecheck bounds how long a waiting caller sleeps before asking
	// again, so a rate that rose meanwhile serves it.
	pacerRecheck = 100 * time.Millisecond
	// pacerMeasureInterval and pacerSmoothing measure the sending rate
	// (exponentially smoothed per interval), the basis of a decrease.
	pacerMeasureInterval = 500 * time.Millisecond
	pacerSmoothing       = 0.8
	// pacerAcceptWindow is the window of the accepted-calls rate reported
	// when a call runs out of time.
	pacerAcceptWindow = 10
)

// documentedQuotas are the per-account, per-region quotas DTS publishes
// (docs/development/dts-api.md §1): their actions get a limiter of their own
// whose rate never exceeds the quota. Every other action shares one limiter
// per account and region.
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
	holds    map[pacerKey]*accountHold // by account and region, class ""
}

// NewPacer returns an empty Pacer.
func NewPacer() *Pacer { return newPacer(time.Now) }

func newPacer(now func() time.Time) *Pacer {
	return &Pacer{now: now, minRate: pacerMinRate, limiters: map[pacerKey]*limiter{}, holds: map[pacerKey]*accountHold{}}
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
		account := pacerKey{account: account, region: region}
		if h, ok := p.holds[account]; ok {
			// A class that starts after the account was throttled starts
			// from what its siblings learned, not at full speed.
			if from := h.fastest(); from != nil {
				l.inherit(from)
			}
			l.hold = h
		} else {
			p.holds[account] = l.hold
		}
		l.hold.join(l)
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
	rate    float64        // calls per second
	ceiling float64        // the published quota, which the rate never exceeds; 0 = none.
	minRate float64        // the floor of rate
	jitter  func() float64 // uniform in [0, 1)
	gen     uint64         // bumped on every decrease: answers to older calls say nothing new.

	tat          time.Time
	blockedUntil time.Time    // the server's retry-after to this limiter's calls.
	hold         *accountHold // the retry-after to any class of the account and region.
	lastWait     time.Time    // when a caller last had to wait for a slot

	slowStart    bool      // no throttle yet: the rate doubles every pacerDoubling while busy.
	lastGrow     time.Time // the last accepted call in slow start
	lastMax      float64   // the rate the recovery levels off below (÷ pacerHeadroom); 0 before any.
	throttledAt  float64   // the rate DTS last throttled; 0 before any throttle.
	lastDecrease time.Time // when the rate was last decreased.
	graceUntil   time.Time // no second decrease before this
	recovered    bool      // the rate climbed back to its plateau since the last decrease.

	accepted     [pacerAcceptWindow]int // accepted calls per second, ring by Unix second
	acceptedSec  [pacerAcceptWindow]int64
	firstAccept  time.Time
	calls        int64
	throttled    int64
	lastThrottle time.Time
}

func newLimiter(key pacerKey, quota, minRate float64) *limiter {
	l := &limiter{key: key, minRate: minRate, ceiling: quota, slowStart: true, jitter: rand.Float64, hold: newAccountHold()}
	l.setRate(max(pacerStartRate, minRate))
	l.hold.join(l)
	return l
}

// inherit copies the congestion state of a sibling of the same account that
// left slow start: the rate it has now (within this limiter's ceiling), and
// the curve it recovers along.
func (l *limiter) inherit(from *limiter) {
	from.mu.Lock()
	defer from.mu.Unlock()
	l.slowStart = false
	l.lastMax, l.throttledAt, l.lastDecrease = from.lastMax, from.throttledAt, from.lastDecrease
	l.graceUntil, l.recovered = from.graceUntil, from.recovered
	l.setRate(from.rate)
}

// holdFor is how long the server's retry-after still blocks every call.
func (l *limiter) holdFor(now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return max(0, l.blocked().Sub(now))
}

// blocked is when the server's retry-afters end for this limiter.
func (l *limiter) blocked() time.Time { return maxTime(l.blockedUntil, l.hold.get()) }

// accountHold is what the action classes of one account and region share:
// the latest retry-after DTS gave any of them, which they all wait out, and
// the list of them, which all slow down when one is throttled. Where DTS
// counts the account's calls together, one process then backs off as one;
// where it counts them apart, the cost is a short pause and a slower climb.
//
// Once a class was throttled, the account's calls also pass a gate: a token
// bucket at the fastest member's rate. Each class's rate is then an estimate
// of the whole account's share (its decrease and plateau come from the
// account's calls, not its own), so the class that carries the work, polls
// after a burst of pauses say, may use the share of one that went idle,
// while the gate keeps the classes together within one share.
type accountHold struct {
	mu      sync.Mutex
	until   time.Time
	members []*limiter
	rates   map[*limiter]float64

	learned bool      // a member left slow start: the gate paces the account
	gateTat time.Time // the gate's next slot (GCRA, as limiter.tat)

	// The account's calls, for the basis of a decrease.
	sentStart     time.Time
	sentCount     int
	sentRate      float64
	recentAccepts []time.Time // accepted calls of the last second
}

func newAccountHold() *accountHold { return &accountHold{rates: map[*limiter]float64{}} }

// join adds a new member, not yet shared with any caller.
func (h *accountHold) join(l *limiter) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, m := range h.members {
		if m == l {
			h.rates[l] = l.rate
			return
		}
	}
	h.members = append(h.members, l)
	h.rates[l] = l.rate
	h.learned = h.learned || !l.slowStart
}

// fastest is the member with the highest rate once the account was
// throttled, else nil.
func (h *accountHold) fastest() *limiter {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.learned {
		return nil
	}
	var best *limiter
	for _, m := range h.members {
		if best == nil || h.rates[m] > h.rates[best] {
			best = m
		}
	}
	return best
}

// gateRateLocked is the rate of the gate: the fastest member's.
func (h *accountHold) gateRateLocked() float64 {
	r := 0.0
	for _, v := range h.rates {
		r = max(r, v)
	}
	return r
}

func (h *accountHold) gateIntervalLocked() (interval, tolerance time.Duration) {
	rate := h.gateRateLocked()
	interval = time.Duration(float64(time.Second) / rate)
	return interval, time.Duration(float64(max(1, int(math.Floor(rate)))-1) * float64(interval))
}

// pass takes a slot of the gate at now, or says when the next one comes.
func (h *accountHold) pass(now time.Time) (tat time.Time, ok bool, next time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.learned {
		return time.Time{}, true, now
	}
	interval, tolerance := h.gateIntervalLocked()
	t := maxTime(h.gateTat, now)
	if n := t.Add(-tolerance); n.After(now) {
		return time.Time{}, false, n
	}
	h.gateTat = t.Add(interval)
	return h.gateTat, true, now
}

// unpass gives back a gate slot taken as tat, if no later one was.
func (h *accountHold) unpass(tat time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !tat.IsZero() && h.gateTat.Equal(tat) {
		interval, _ := h.gateIntervalLocked()
		h.gateTat = h.gateTat.Add(-interval)
	}
}

// restart starts the gate after a decrease: no burst, the first call when
// the retry-after ends.
func (h *accountHold) restart(now time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.learned = true
	_, tolerance := h.gateIntervalLocked()
	h.gateTat = maxTime(now, h.until).Add(tolerance)
}

func (h *accountHold) setRate(l *limiter, r float64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.rates[l]; ok {
		h.rates[l] = r
	}
}

func (h *accountHold) sent(now time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.sentStart.IsZero() {
		h.sentStart = now
	} else if el := now.Sub(h.sentStart); el >= pacerMeasureInterval {
		h.sentRate = pacerSmoothing*float64(h.sentCount)/el.Seconds() + (1-pacerSmoothing)*h.sentRate
		h.sentStart, h.sentCount = now, 0
	}
	h.sentCount++
}

func (h *accountHold) accepted(now time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.recentAccepts = append(h.recentAccepts, now)
	h.trimLocked(now)
}

func (h *accountHold) trimLocked(now time.Time) {
	i := 0
	for i < len(h.recentAccepts) && now.Sub(h.recentAccepts[i]) >= time.Second {
		i++
	}
	h.recentAccepts = h.recentAccepts[i:]
}

// accountBasis is what a decrease starts from: the account's calls.
type accountBasis struct {
	sent     float64 // calls per second the account sent lately, at most what its limiters allowed
	accepted int     // calls DTS accepted from the account in the last second
}

func (h *accountHold) basis(now time.Time) accountBasis {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.trimLocked(now)
	allowed := h.gateRateLocked()
	if !h.learned {
		allowed = 0
		for _, r := range h.rates {
			allowed += r
		}
	}
	sent := h.sentRate
	if el := max(now.Sub(h.sentStart), pacerMeasureInterval); h.sentCount > 0 {
		sent = max(sent, float64(h.sentCount)/el.Seconds())
	}
	if sent <= 0 {
		sent = allowed
	}
	return accountBasis{sent: min(sent, allowed), accepted: len(h.recentAccepts)}
}

func (h *accountHold) get() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.until
}

func (h *accountHold) extend(until time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.until = maxTime(h.until, until)
}

func (h *accountHold) siblings(of *limiter) []*limiter {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]*limiter, 0, len(h.members))
	for _, m := range h.members {
		if m != of {
			out = append(out, m)
		}
	}
	return out
}

// reservation is what a caller was given: a slot, or a time to ask again.
type reservation struct {
	at      time.Time // when the call may go, or when to ask again
	granted bool      // false: not a slot; reserve again at at
	gen     uint64
	tat     time.Time // l.tat after this reservation, to release it
	gateTat time.Time // the account gate's tat after it, likewise
}

// reserve grants a slot now, or says when to ask again: at the server's
// retry-after, or at the next slot, but no later than pacerRecheck from now
// while only the rate holds the caller back.
func (l *limiter) reserve(now time.Time) reservation {
	l.mu.Lock()
	defer l.mu.Unlock()
	if blocked := l.blocked(); now.Before(blocked) {
		l.lastWait = now
		return reservation{at: blocked, gen: l.gen}
	}
	interval := l.interval()
	tolerance := time.Duration(float64(l.burst()-1) * float64(interval))
	tat := maxTime(l.tat, now)
	if next := tat.Add(-tolerance); next.After(now) {
		l.lastWait = now
		return reservation{at: minTime(next, now.Add(pacerRecheck)), gen: l.gen}
	}
	gateTat, ok, next := l.hold.pass(now)
	if !ok {
		l.lastWait = now
		return reservation{at: minTime(next, now.Add(pacerRecheck)), gen: l.gen}
	}
	l.tat = tat.Add(interval)
	return reservation{at: now, granted: true, gen: l.gen, tat: l.tat, gateTat: gateTat}
}

// confirm reports whether a reservation is a slot; otherwise the caller
// reserves again.
func (l *limiter) confirm(r reservation) bool { return r.granted }

// release gives back a slot the caller will not use (cancelled), if no later
// one was granted on top of it.
func (l *limiter) release(r reservation) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if r.granted && r.gen == l.gen && l.tat.Equal(r.tat) {
		l.tat = l.tat.Add(-l.interval())
	}
	if r.granted {
		l.hold.unpass(r.gateTat)
	}
}

// sent records that a call went out at now.
func (l *limiter) sent(now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls++
	l.hold.sent(now)
}

// success records an accepted call and lets the rate grow while callers wait
// for it. It reports whether the rate has just climbed back to the rate
// that was throttled.
func (l *limiter) success(now time.Time) (recovered bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	sec := now.Unix()
	i := int(sec % pacerAcceptWindow)
	if l.acceptedSec[i] != sec {
		l.acceptedSec[i], l.accepted[i] = sec, 0
	}
	l.accepted[i]++
	l.hold.accepted(now)
	if l.firstAccept.IsZero() {
		l.firstAccept = now
	}
	busy := now.Sub(l.lastWait) < pacerBusy
	if l.slowStart {
		if busy && !l.lastGrow.IsZero() {
			l.setRate(l.rate * math.Exp2(now.Sub(l.lastGrow).Seconds()/pacerDoubling.Seconds()))
		}
		l.lastGrow = now
		return false
	}
	if next := l.cubic(now); next > l.rate && busy {
		l.setRate(next)
	}
	target := l.lastMax * pacerHeadroom
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
// every call of the limiter for retryAfter and decreases the rate, once per
// generation and grace period (answers to calls sent under an older rate,
// or into the deficit the older rate left, say nothing about the current
// one).
func (l *limiter) throttle(now time.Time, r reservation, retryAfter time.Duration) (decreased bool) {
	b := l.hold.basis(now)
	if !l.throttled1(now, r, retryAfter, b) {
		return false
	}
	for _, s := range l.hold.siblings(l) {
		s.decrease(now, b)
	}
	l.hold.restart(now)
	return true
}

// throttled1 is throttle for this limiter alone.
func (l *limiter) throttled1(now time.Time, r reservation, retryAfter time.Duration, b accountBasis) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.throttled++
	l.lastThrottle = now
	// Other processes wait out the same retry-after: a random part of one
	// interval keeps them from all asking again at the same instant.
	spread := time.Duration(l.jitter() * float64(l.interval()))
	l.blockedUntil = maxTime(l.blockedUntil, now.Add(retryAfter+spread))
	l.hold.extend(now.Add(retryAfter))
	if r.gen != l.gen || now.Before(l.graceUntil) {
		return false
	}
	l.decreaseLocked(now, b)
	return true
}

// decrease slows a sibling of a throttled limiter down, unless it did
// within its grace period. Its basis is the account's calls, so an idle
// class does not sink to the floor with its own few calls, and a class
// that takes the work over later recovers toward the account's share.
func (l *limiter) decrease(now time.Time, b accountBasis) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Before(l.graceUntil) {
		return
	}
	l.decreaseLocked(now, b)
}

func (l *limiter) decreaseLocked(now time.Time, b accountBasis) {
	// The basis is what the account sent, not what DTS accepted from it:
	// when other processes take most of the quota, a limiter that judged by
	// its own accepted calls would fall to the floor and starve.
	basis := b.sent
	if basis <= 0 {
		basis = l.rate
	}
	l.lastMax = max(basis, l.minRate)
	l.throttledAt = l.lastMax
	l.recovered = false
	next := basis * pacerBeta
	if l.slowStart {
		// Alone, slow start overshoots the quota by at most one doubling,
		// and half the rate sent is below it. Runs that start together
		// overshoot it several times over, each taking a part: then what
		// DTS accepted from this one in the last second is the better
		// measure, and the curve levels off there rather than climbing
		// back toward the overshoot.
		acc := b.accepted
		if acc > 0 && float64(acc) < next {
			next = float64(acc)
			l.lastMax = max(next/pacerHeadroom, l.minRate)
			l.recovered = true
		}
	}
	l.lastDecrease = now
	blocked := l.blocked()
	// Calls in flight at the decrease drain the server's bucket, so the first
	// calls at the new rate may be throttled too; that says nothing new.
	l.graceUntil = maxTime(now, blocked).Add(pacerGrace)
	l.slowStart = false
	l.setRate(next)
	l.gen++
	// No burst after a throttle: the next call goes when the retry-after
	// ends, the ones after it one interval apart.
	tolerance := time.Duration(float64(l.burst()-1) * float64(l.interval()))
	l.tat = maxTime(now, blocked).Add(tolerance)
}

// cubic is the recovering rate at now: pacerBeta of lastMax right after the
// decrease, lastMax after the time K, flat around it, rising beyond.
func (l *limiter) cubic(now time.Time) float64 {
	peak := l.lastMax * pacerHeadroom
	low := l.lastMax * pacerBeta
	k := max(pacerRecovery.Seconds(), math.Cbrt((peak-low)/pacerCubicC))
	x := now.Sub(l.lastDecrease).Seconds() - k
	if x < 0 {
		// Back to the peak in k seconds, slowly near it.
		return peak + (peak-low)*x*x*x/(k*k*k)
	}
	return peak + max(pacerCubicC, (peak-low)/(k*k*k))*x*x*x
}

func (l *limiter) setRate(r float64) {
	if l.ceiling > 0 {
		r = min(r, l.ceiling)
	}
	l.rate = max(r, l.minRate)
	l.hold.setRate(l, l.rate)
}

func (l *limiter) interval() time.Duration {
	return time.Duration(float64(time.Second) / l.rate)
}

// burst is how many calls may go back to back: one second's worth.
func (l *limiter) burst() int {
	if l.slowStart {
		return 1
	}
	return max(1, int(math.Floor(l.rate)))
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
	Rate        float64 // Calls per second allowed now.
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
		Rate:        l.rate,
		ThrottledAt: l.throttledAt,
		Accepted:    l.acceptedRate(now),
		Calls:       l.calls,
		Throttled:   l.throttled,
	}
}

func (s PacerState) fields() map[string]any {
	return map[string]any{
		"pacer_region":         s.Region,
		"pacer_action_class":   s.ActionClass,
		"pacer_rate_per_s":     round2(s.Rate),
		"pacer_throttled_at":   round2(s.ThrottledAt),
		"pacer_accepted_per_s": round2(s.Accepted),
		"pacer_calls":          s.Calls,
		"pacer_throttled":      s.Throttled,
	}
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

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
