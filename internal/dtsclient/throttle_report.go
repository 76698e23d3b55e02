package dtsclient

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// DefaultThrottleBudget bounds the time a call without a deadline spends
// paced or throttled (reads: plan, refresh, data sources). It is long enough
// for a few hundred reads to share a quota of a few calls per second, and
// short enough that a run against an account whose quota is used up by
// someone else ends with an explanation rather than hanging.
const DefaultThrottleBudget = 5 * time.Minute

var (
	// errPastDeadline: the pacer's next slot lies beyond the call's deadline.
	errPastDeadline = errors.New("the DTS rate limiter's next slot is past the deadline")
	// errThrottleBudget is wrapped when a call without a deadline used up the
	// read budget (Config.ThrottleBudget).
	errThrottleBudget = errors.New("the read budget for throttled calls ran out")
)

// ThrottleReport explains a call that ran out of time while DTS throttled it
// or the pacer held it back, with the figures to tell the user what quota
// the account seems to have.
type ThrottleReport struct {
	Action string
	// Calls is how many requests this call sent, Throttled how many of them
	// DTS throttled.
	Calls     int
	Throttled int
	// Waited is the time this call spent waiting for its pacer slots.
	Waited time.Duration
	// Limit is the time the call had: its context deadline, or the read
	// budget when Budget is true.
	Limit  time.Duration
	Budget bool
	// Pacer is the limiter's state for the account, region and action class.
	// Its Accepted, what DTS accepted over the last 10 s while it also
	// throttled, is the quota the figures point to; 0 when DTS accepted
	// nothing (then only Pacer.ThrottledAt, an upper bound, is known).
	Pacer PacerState
}

// String says what happened in one sentence a user can act on.
func (r *ThrottleReport) String() string {
	var b strings.Builder
	limit := "deadline"
	if r.Budget {
		limit = "read budget"
	}
	fmt.Fprintf(&b, "gave up within the %s of %s: ", limit, roundLimit(r.Limit))
	if r.Throttled > 0 {
		fmt.Fprintf(&b, "DTS throttled %d of this call's %d requests, and it waited %s for the rate limiter",
			r.Throttled, r.Calls, r.Waited.Round(time.Millisecond))
	} else {
		fmt.Fprintf(&b, "after %d requests, the rate limiter's next free slot came too late, because DTS throttled other calls", r.Calls)
	}
	where := r.Pacer.ActionClass
	if where == sharedActionClass {
		where = "the actions without a published quota"
	}
	if r.Pacer.Region != "" {
		where += " in " + r.Pacer.Region
	}
	fmt.Fprintf(&b, "; for %s DTS throttled %d of %d calls since the provider started", where, r.Pacer.Throttled, r.Pacer.Calls)
	switch q := r.Pacer.Accepted; {
	case q > 0:
		fmt.Fprintf(&b, "; it accepted %.1f calls/s over the last 10 s, which suggests a quota of about that for this account", q)
		if r.Pacer.ThrottledAt > 0 {
			fmt.Fprintf(&b, " (it throttled at %.1f calls/s)", r.Pacer.ThrottledAt)
		}
	case r.Pacer.ThrottledAt > 0:
		fmt.Fprintf(&b, " and accepted none over the last 10 s (it throttled at %.1f calls/s): the account's quota may be used up by other clients", r.Pacer.ThrottledAt)
	}
	return b.String()
}

// Advice is the next thing a user can do about a throttled call; r may be
// nil (throttled, without figures).
func (r *ThrottleReport) Advice() string {
	if r == nil {
		return "DTS throttled the calls. Try again later, or lower -parallelism."
	}
	var b strings.Builder
	if r.Budget {
		fmt.Fprintf(&b, "DTS throttled the calls for longer than the read budget of %s.", roundLimit(r.Limit))
	} else {
		fmt.Fprintf(&b, "DTS throttled the calls for longer than the operation's deadline of %s.", roundLimit(r.Limit))
	}
	fmt.Fprintf(&b, " %d of this call's %d requests were throttled, %d of the provider's %d calls", r.Throttled, r.Calls, r.Pacer.Throttled, r.Pacer.Calls)
	if r.Pacer.ActionClass != sharedActionClass {
		fmt.Fprintf(&b, " to %s", r.Pacer.ActionClass)
	}
	if r.Pacer.Region != "" {
		fmt.Fprintf(&b, " in %s", r.Pacer.Region)
	}
	if q := r.Pacer.Accepted; q > 0 {
		fmt.Fprintf(&b, "; DTS accepted about %.1f calls/s, so the account's API quota there is likely about %.1f calls/s", q, q)
	}
	b.WriteString(". Raise the resource's timeouts, lower -parallelism, or check what else uses this account's DTS API quota.")
	return b.String()
}

func roundLimit(d time.Duration) time.Duration {
	if d >= 10*time.Second {
		return d.Round(time.Second)
	}
	return d.Round(100 * time.Millisecond)
}

// ThrottleReportOf returns the report of a call that ran out of time while
// throttled or paced, nil for any other error.
func ThrottleReportOf(err error) *ThrottleReport {
	if ae, ok := errors.AsType[*APIError](err); ok {
		return ae.Throttle
	}
	return nil
}
