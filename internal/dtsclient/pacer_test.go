package dtsclient

import (
	"container/heap"
	"math"
	"strings"
	"testing"
	"time"
)

// simServer is DTS's flow control as the fake models it: a token bucket of
// quota calls per second holding ceil(quota) tokens; a throttled answer says
// when the next token comes (x-ratelimit-user-api TimeLeft).
type simServer struct {
	quota  float64
	tokens float64
	last   time.Time
}

func (s *simServer) call(now time.Time) (ok bool, retryAfter time.Duration) {
	burst := math.Ceil(s.quota)
	if s.last.IsZero() {
		s.tokens = burst
	}
	s.tokens = math.Min(burst, s.tokens+now.Sub(s.last).Seconds()*s.quota)
	s.last = now
	if s.tokens >= 1 {
		s.tokens--
		return true, 0
	}
	return false, time.Duration((1 - s.tokens) / s.quota * float64(time.Second))
}

// simEvent is a caller's next step in virtual time.
type simEvent struct {
	at     time.Time
	flow   int // the limiter (a provider process) of the caller
	caller int
	l      *limiter // the limiter of the call
	r      reservation
	answer bool // the event is the answer to a sent call, not a slot
	ok     bool
	hold   time.Duration
}

type simQueue []simEvent

func (q simQueue) Len() int           { return len(q) }
func (q simQueue) Less(i, j int) bool { return q[i].at.Before(q[j].at) }
func (q simQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *simQueue) Push(x any)        { *q = append(*q, x.(simEvent)) }
func (q *simQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

// simStats counts what happened in a window of virtual time.
type simStats struct{ accepted, throttled int }

// simulate drives one limiter with callers that always have another call
// to make (the apply of many resources), against server, in virtual time:
// deterministic, no sleeping. quotaAt may change the server's quota over
// time. It returns per-second stats.
func simulate(l *limiter, server *simServer, callers int, latency time.Duration, seconds int, quotaAt func(sec int) float64) []simStats {
	return simulateCalls(l, server, callers, 0, latency, seconds, quotaAt)
}

// simulateCalls is simulate with each caller done after callsEach accepted
// calls (0: never).
func simulateCalls(l *limiter, server *simServer, callers, callsEach int, latency time.Duration, seconds int, quotaAt func(sec int) float64) []simStats {
	flows := []simFlow{{l: l, callers: callers, callsEach: callsEach}}
	return simulateShared(flows, server, latency, seconds, quotaAt)[0]
}

// simFlow is one provider process in a shared simulation: its limiter, its
// concurrent callers (Terraform's -parallelism), how many accepted calls
// each caller makes (0: no end) and when it starts.
type simFlow struct {
	l         *limiter
	callers   int
	callsEach int
	start     time.Duration
	done      time.Duration // set by simulateShared: when its last call was accepted
	// pick, if set, is the limiter of a caller's next call, given how many
	// of its calls were accepted and the time since the simulation began
	// (several action classes of one process); else l paces every call.
	pick func(caller, accepted int, at time.Duration) *limiter
}

func (f *simFlow) limiter(caller, accepted int, at time.Duration) *limiter {
	if f.pick != nil {
		return f.pick(caller, accepted, at)
	}
	return f.l
}

// simulateShared drives several limiters, each with its own callers,
// against one server: provider processes that do not know each other,
// sharing one account quota. It returns per-flow, per-second stats.
func simulateShared(flows []simFlow, server *simServer, latency time.Duration, seconds int, quotaAt func(sec int) float64) [][]simStats {
	start := time.Unix(1_700_000_000, 0)
	stats := make([][]simStats, len(flows))
	done := make([][]int, len(flows))
	left := make([]int, len(flows))
	q := &simQueue{}
	for f := range flows {
		stats[f] = make([]simStats, seconds)
		done[f] = make([]int, flows[f].callers)
		left[f] = flows[f].callers
		at := start.Add(flows[f].start)
		for i := range flows[f].callers {
			l := flows[f].limiter(i, 0, flows[f].start)
			r := l.reserve(at)
			heap.Push(q, simEvent{at: r.at, flow: f, caller: i, l: l, r: r})
		}
	}
	end := start.Add(time.Duration(seconds) * time.Second)
	for q.Len() > 0 {
		e := heap.Pop(q).(simEvent)
		if !e.at.Before(end) {
			break
		}
		l := e.l
		sec := int(e.at.Sub(start) / time.Second)
		if quotaAt != nil {
			server.quota = quotaAt(sec)
		}
		if !e.answer {
			if !l.confirm(e.r) {
				r := l.reserve(e.at)
				heap.Push(q, simEvent{at: r.at, flow: e.flow, caller: e.caller, l: l, r: r})
				continue
			}
			l.sent(e.at)
			ok, hold := server.call(e.at)
			heap.Push(q, simEvent{at: e.at.Add(latency), flow: e.flow, caller: e.caller, l: l, r: e.r, answer: true, ok: ok, hold: hold})
			continue
		}
		if e.ok {
			stats[e.flow][sec].accepted++
			l.success(e.at)
			if done[e.flow][e.caller]++; flows[e.flow].callsEach > 0 && done[e.flow][e.caller] >= flows[e.flow].callsEach {
				if left[e.flow]--; left[e.flow] == 0 {
					flows[e.flow].done = e.at.Sub(start)
				}
				continue
			}
		} else {
			stats[e.flow][sec].throttled++
			// As the client does (invoke), the hold is at least its base delay.
			l.throttle(e.at, e.r, max(e.hold, DefaultRetryBaseDelay))
		}
		next := flows[e.flow].limiter(e.caller, done[e.flow][e.caller], e.at.Sub(start))
		r := next.reserve(e.at)
		heap.Push(q, simEvent{at: r.at, flow: e.flow, caller: e.caller, l: next, r: r})
	}
	return stats
}

func window(stats []simStats, from, to int) (acceptedPerSec, throttledShare float64) {
	var a, t int
	for _, s := range stats[from:to] {
		a += s.accepted
		t += s.throttled
	}
	return float64(a) / float64(to-from), float64(t) / float64(max(1, a+t))
}

// TestPacerConvergesToQuota: whatever the quota, a limiter that starts
// unlimited (an action without a published quota) settles near it: most of
// the quota is used, and few calls are throttled.
func TestPacerConvergesToQuota(t *testing.T) {
	t.Parallel()
	for _, quota := range []float64{40, 10, 5, 2} {
		l := newLimiter(pacerKey{class: sharedActionClass}, 0, pacerMinRate)
		stats := simulate(l, &simServer{quota: quota}, 40, 50*time.Millisecond, 300, nil)
		got, share := window(stats, 60, 300)
		t.Logf("quota %v/s: accepted %.2f/s, %.1f%% throttled, rate now %.2f/s", quota, got, share*100, l.rate)
		if got < 0.8*quota || got > quota*1.01 {
			t.Errorf("quota %v/s: accepted %.2f calls/s after convergence, want between 80%% and 100%% of the quota", quota, got)
		}
		if share > 0.06 {
			t.Errorf("quota %v/s: %.1f%% of calls throttled after convergence, want at most 6%%", quota, share*100)
		}
		first, _ := window(stats, 0, 10)
		if first < 0.5*quota {
			t.Errorf("quota %v/s: accepted only %.2f calls/s in the first 10 s, the limiter starts too timid", quota, first)
		}
	}
}

// TestPacerBurstConverges: 40 calls at once (an apply at -parallelism 40)
// against a quota of 5/s, with the generous start of an unpublished-quota
// action: all succeed, about as fast as the quota allows, and once the
// first burst is answered few more are throttled.
func TestPacerBurstConverges(t *testing.T) {
	t.Parallel()
	l := newLimiter(pacerKey{class: sharedActionClass}, 0, pacerMinRate)
	stats := simulateCalls(l, &simServer{quota: 5}, 40, 1, 20*time.Millisecond, 30, nil)
	accepted, last, later := 0, 0, 0
	for sec, s := range stats {
		accepted += s.accepted
		if s.accepted > 0 {
			last = sec
		}
		if sec >= 2 {
			later += s.throttled
		}
	}
	t.Logf("accepted %d, last in second %d, %d throttled after the first 2 s, first seconds %v", accepted, last, later, stats[:3])
	if accepted != 40 {
		t.Fatalf("accepted %d of 40 calls", accepted)
	}
	// The quota allows 5 at once and 5 a second after: the last in second 7.
	if last > 8 {
		t.Errorf("last call accepted in second %d, want by second 8 (ideal 7)", last)
	}
	if later > 5 {
		t.Errorf("%d calls throttled after the first 2 s, want at most 5", later)
	}
}

// TestPacerRecovers: after the quota rises (another client stops using the
// account), the rate climbs to the new quota, slowly at first.
func TestPacerRecovers(t *testing.T) {
	t.Parallel()
	l := newLimiter(pacerKey{class: sharedActionClass}, 0, pacerMinRate)
	stats := simulate(l, &simServer{quota: 4}, 40, 50*time.Millisecond, 240, func(sec int) float64 {
		if sec < 60 {
			return 4
		}
		return 20
	})
	before, _ := window(stats, 30, 60)
	soon, _ := window(stats, 60, 62)
	after, share := window(stats, 120, 240)
	t.Logf("accepted %.2f/s at quota 4, %.2f/s just after the rise, %.2f/s (%.1f%% throttled) at quota 20", before, soon, after, share*100)
	if before > 4.01 || after < 0.8*20 {
		t.Errorf("accepted %.2f/s at quota 4 and %.2f/s at quota 20, want ≤ 4 then ≥ 16", before, after)
	}
	if soon > 2*before {
		t.Errorf("accepted %.2f/s in the 2 s after the rise from %.2f/s: recovery is not gradual", soon, before)
	}
}

// climb drives a new limiter's slow start up to rate with every caller
// waiting, as an apply of many resources does.
func climb(t *testing.T, l *limiter, t0 time.Time, rate float64) time.Time {
	t.Helper()
	at := t0
	for l.rate < rate {
		r := l.reserve(at)
		if !r.granted {
			at = r.at
			continue
		}
		l.sent(at)
		l.success(at)
	}
	return at
}

// busy takes slots at now until a caller has to wait.
func busy(l *limiter, now time.Time) {
	for l.reserve(now).granted {
		l.sent(now)
	}
}

func TestLimiterStartsCautiously(t *testing.T) {
	t.Parallel()
	t0 := time.Unix(1_700_000_000, 0)
	l := newLimiter(pacerKey{class: sharedActionClass}, 0, pacerMinRate)
	// Ten callers at once (an apply at -parallelism=10): one goes, the next
	// one interval of the start rate later.
	granted := 0
	for range 10 {
		if l.reserve(t0).granted {
			granted++
		}
	}
	interval := time.Duration(float64(time.Second) / pacerStartRate)
	if granted != 1 || l.reserve(t0.Add(interval-time.Millisecond)).granted || !l.reserve(t0.Add(interval)).granted {
		t.Errorf("%d of 10 simultaneous calls went at once; want 1, the next %v later", granted, interval)
	}
	// While callers wait, the rate doubles every pacerDoubling, so a run
	// alone reaches 40/s within seconds.
	at := climb(t, l, t0, 40)
	if d := at.Sub(t0); d > 6*time.Second {
		t.Errorf("slow start took %v to reach 40 calls/s, want at most 6s", d)
	}
	// An idle limiter does not grow: accepted calls with nobody waiting.
	idle := newLimiter(pacerKey{class: sharedActionClass}, 0, pacerMinRate)
	for i := range 20 {
		at := t0.Add(time.Duration(i) * 2 * time.Second)
		if r := idle.reserve(at); r.granted {
			idle.sent(at)
			idle.success(at)
		}
	}
	if idle.rate != pacerStartRate {
		t.Errorf("rate %.2f after 20 calls nobody waited for, want %v", idle.rate, pacerStartRate)
	}
}

func TestLimiterCubicRecovery(t *testing.T) {
	t.Parallel()
	t0 := time.Unix(1_700_000_000, 0)
	l := newLimiter(pacerKey{class: sharedActionClass}, 0, pacerMinRate)
	t0 = climb(t, l, t0, 20)
	// 20 calls in one second, then a throttle: the basis is the rate sent.
	for i := range 20 {
		l.sent(t0.Add(time.Duration(i) * 50 * time.Millisecond))
	}
	r := l.reserve(t0.Add(time.Second))
	if !l.throttle(t0.Add(time.Second), r, 0) {
		t.Fatal("first throttle did not decrease the rate")
	}
	if math.Abs(l.rate-10) > 1 || math.Abs(l.lastMax-20) > 2 {
		t.Fatalf("after the throttle: rate %.2f, lastMax %.2f; want about 10 and 20", l.rate, l.lastMax)
	}
	// A second answer to a call sent before the decrease changes nothing.
	if l.throttle(t0.Add(time.Second+time.Millisecond), r, 0) || math.Abs(l.rate-10) > 0.5 {
		t.Fatalf("a stale throttle halved the rate again: %.2f", l.rate)
	}
	var rates []float64
	for _, s := range []int{3, 6, 9, 11, 14, 30} {
		at := t0.Add(time.Second + time.Duration(s)*time.Second)
		busy(l, at)
		l.success(at)
		rates = append(rates, l.rate)
	}
	t.Logf("rates at 3, 6, 9, 11, 14, 30 s: %v", rates)
	for i := 1; i < len(rates); i++ {
		if rates[i] < rates[i-1] {
			t.Errorf("recovery went down: %v", rates)
		}
	}
	// It levels off at pacerHeadroom of the 20 calls/s DTS throttled.
	if rates[0] > 16 || rates[2] < 17 || rates[2] > 18.5 || rates[5] <= 20 {
		t.Errorf("rates %v: want below 16 at 3 s, about 18 near pacerRecovery, above 20 well past it", rates)
	}
}

func TestLimiterHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	t0 := time.Unix(1_700_000_000, 0)
	l := newLimiter(pacerKey{class: sharedActionClass}, 0, pacerMinRate)
	l.jitter = func() float64 { return 0 }
	r := l.reserve(t0)
	if !r.granted || !r.at.Equal(t0) {
		t.Fatalf("a new limiter made the first call wait until %v", r.at)
	}
	l.sent(t0)
	l.throttle(t0, r, 3*time.Second)
	next := l.reserve(t0.Add(time.Second))
	if next.granted || next.at.Before(t0.Add(3*time.Second)) {
		t.Fatalf("reservation %+v inside the 3 s retry-after", next)
	}
	first := l.reserve(next.at)
	if !first.granted {
		t.Fatalf("no slot when the retry-after ended: %+v", first)
	}
	if second := l.reserve(next.at); second.granted {
		t.Errorf("two calls go back to back when the retry-after ends: no burst expected after a throttle")
	}
}

func TestLimiterPublishedQuota(t *testing.T) {
	t.Parallel()
	t0 := time.Unix(1_700_000_000, 0)
	p := newPacer(func() time.Time { return t0 })
	l := p.limiter("acct", "cn-hangzhou", "DescribeDtsJobDetail")
	// Slow start stops at the published 40/s.
	at := climb(t, l, t0, 40)
	if l.rate != 40 {
		t.Fatalf("rate %.2f after slow start, want the published 40", l.rate)
	}
	// Recovery after a throttle never passes it either.
	r := l.reserve(at)
	l.sent(at)
	l.throttle(at, r, 0)
	for s := 1; s <= 120; s++ {
		at := at.Add(time.Duration(s) * time.Second)
		busy(l, at)
		l.success(at)
		if l.rate > 40 {
			t.Fatalf("rate %.2f exceeds the published 40/s after %d s", l.rate, s)
		}
	}
	// Past slow start, one second's worth may go at once after a pause, then 25 ms apart.
	at = at.Add(130 * time.Second)
	for i := range int(l.rate) {
		if r := l.reserve(at); !r.granted {
			t.Fatalf("call %d waits until %v, want a burst of %.0f at once", i+1, r.at.Sub(at), l.rate)
		}
	}
	if r := l.reserve(at); r.granted || r.at.Sub(at) != time.Duration(float64(time.Second)/l.rate) {
		t.Errorf("the call after the burst: %+v, want a slot one interval later", r)
	}
}

// TestPacerClassesBackOffTogether: the action classes of one account and
// region wait out a retry-after DTS gave any of them and slow down together,
// so one process backs off as one; another region is not touched.
func TestPacerClassesBackOffTogether(t *testing.T) {
	t.Parallel()
	t0 := time.Unix(1_700_000_000, 0)
	p := newPacer(func() time.Time { return t0 })
	suspend := p.limiter("acct", "cn-hangzhou", "SuspendDtsJob")
	list := p.limiter("acct", "cn-hangzhou", "DescribeDtsJobs")
	elsewhere := p.limiter("acct", "cn-shanghai", "SuspendDtsJob")
	var at time.Time
	for _, l := range []*limiter{suspend, list, elsewhere} {
		at = maxTime(at, climb(t, l, t0, 16))
	}
	before := map[*limiter]float64{suspend: suspend.rate, list: list.rate, elsewhere: elsewhere.rate}
	r := suspend.reserve(at)
	suspend.sent(at)
	if !suspend.throttle(at, r, time.Second) {
		t.Fatal("the throttle did not decrease the throttled class")
	}
	if list.rate >= before[list] {
		t.Errorf("the other class's rate went from %.2f to %.2f, want it lower", before[list], list.rate)
	}
	if r := list.reserve(at.Add(500 * time.Millisecond)); r.granted || r.at.Before(at.Add(time.Second)) {
		t.Errorf("the other class got %+v inside the retry-after DTS gave its sibling", r)
	}
	// Both classes kept busy for 2 s after the retry-after: together they
	// send about half of what they were allowed before, or less.
	slots := 0
	for ms := 1000; ms < 3000; ms += 5 {
		now := at.Add(time.Duration(ms) * time.Millisecond)
		for _, l := range []*limiter{suspend, list} {
			for l.reserve(now).granted {
				slots++
			}
		}
	}
	if limit := 0.6 * 2 * (before[suspend] + before[list]); float64(slots) > limit {
		t.Errorf("the two classes got %d slots in the 2 s after the retry-after, want at most %.0f (0.6 of their rates before)", slots, limit)
	}
	if elsewhere.rate != before[elsewhere] || !elsewhere.reserve(at.Add(500*time.Millisecond)).granted {
		t.Errorf("another region was slowed down: rate %.2f (was %.2f)", elsewhere.rate, before[elsewhere])
	}
}

func TestPacerKeys(t *testing.T) {
	t.Parallel()
	p := NewPacer()
	a := p.limiter("acct", "cn-hangzhou", "SuspendSynchronizationJob")
	for name, tc := range map[string]struct {
		account, region, action string
		same                    bool
	}{
		"legacy actions share":           {"acct", "cn-hangzhou", "DescribeSynchronizationJobStatus", true},
		"unpublished DtsJob shares":      {"acct", "cn-hangzhou", "SuspendDtsJob", true},
		"published quota apart":          {"acct", "cn-hangzhou", "DescribeDtsJobDetail", false},
		"other region apart":             {"acct", "cn-shanghai", "SuspendSynchronizationJob", false},
		"other account apart":            {"acct2", "cn-hangzhou", "SuspendSynchronizationJob", false},
		"same key is the same limiter":   {"acct", "cn-hangzhou", "SuspendSynchronizationJob", true},
		"list with its own quota apart":  {"acct", "cn-hangzhou", "DescribeDtsJobs", false},
		"legacy list shares with others": {"acct", "cn-hangzhou", "DescribeSynchronizationJobStatusList", true},
	} {
		if got := p.limiter(tc.account, tc.region, tc.action) == a; got != tc.same {
			t.Errorf("%s: same limiter = %v, want %v", name, got, tc.same)
		}
	}
	c1, c2 := akCredential(t), akCredential(t)
	if k := accountKey(c1); k != accountKey(c1) || k == accountKey(c2) || strings.Contains(k, testAccessKeyID) {
		t.Errorf("accountKey %q: want one key per credential object, without the access key", accountKey(c1))
	}
}

// TestPacerSlowStartAfterIdle: a run that made a call a second for a while,
// then many at once, still leaves slow start near the quota: the accepted
// calls that may lower the rate at the first throttle are those of the last
// second, not of the idle seconds before it.
func TestPacerSlowStartAfterIdle(t *testing.T) {
	t.Parallel()
	for _, quota := range []float64{20, 40} {
		l := newLimiter(pacerKey{class: sharedActionClass}, 0, pacerMinRate)
		start := time.Unix(1_700_000_000, 0)
		for s := 9; s >= 1; s-- {
			at := start.Add(-time.Duration(s) * time.Second)
			l.reserve(at)
			l.sent(at)
			l.success(at)
		}
		stats := simulate(l, &simServer{quota: quota}, 40, 50*time.Millisecond, 20, nil)
		got, _ := window(stats, 0, 20)
		t.Logf("quota %v/s: accepted %.2f calls/s over the 20 s after the idle start", quota, got)
		if got < 0.9*quota {
			t.Errorf("quota %v/s: accepted %.2f calls/s after an idle start, want at least 90%% of the quota", quota, got)
		}
	}
}

// TestPacerIdleClassKeepsItsRate: a class of the account that no caller has
// waited for lately did not fill the quota, so a throttle of a busy sibling
// leaves its rate alone; cut by its own few calls it would fall to the floor
// and its next calls would wait seconds each.
func TestPacerIdleClassKeepsItsRate(t *testing.T) {
	t.Parallel()
	t0 := time.Unix(1_700_000_000, 0)
	p := newPacer(func() time.Time { return t0 })
	busy := p.limiter("acct", "cn-hangzhou", "SuspendDtsJob")
	idle := p.limiter("acct", "cn-hangzhou", "DescribeDtsJobDetail")
	idleAt := t0.Add(-2 * pacerBusy)
	if r := idle.reserve(idleAt); !r.granted {
		t.Fatalf("the idle class's only call: %+v", r)
	}
	idle.sent(idleAt)
	idle.success(idleAt)
	at := climb(t, busy, t0, 16)
	r := busy.reserve(at)
	for !r.granted {
		at = r.at
		r = busy.reserve(at)
	}
	busy.sent(at)
	if !busy.throttle(at, r, 0) {
		t.Fatal("the throttle did not decrease the busy class")
	}
	if idle.rate < busy.rate || idle.rate < 2 {
		t.Errorf("the idle class's rate went to %.2f (the busy class's to %.2f), want it at least the busy class's", idle.rate, busy.rate)
	}
}
