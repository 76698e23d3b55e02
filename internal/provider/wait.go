package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

// Desired states a user can declare (dtsclient says which status means which).
const (
	stateSynchronizing = dtsclient.DeclaredSynchronizing
	stateSuspended     = dtsclient.DeclaredSuspended
)

// declaredState is the state attribute for a status DTS reports. Retrying
// (DTS retrying a failing job by itself) has not stopped, so it reads
// Synchronizing; statuses neither running nor paused read as DTS reports
// them, so the plan shows the difference.
func declaredState(s dtsclient.Status) string {
	if s == dtsclient.StatusRetrying {
		return stateSynchronizing
	}
	return s.DeclaredState()
}

// step is what converging towards a desired state needs next.
type step int

const (
	stepNone    step = iota // no call made yet (converge's bookkeeping only)
	stepDone                // already in the desired state
	stepSuspend             // call Suspend (SuspendDtsJob or SuspendSynchronizationJob)
	stepStart               // call Start (StartDtsJob or StartSynchronizationJob)
	stepWait                // a transition DTS finishes by itself
)

const lockedReason = "DTS has locked the job (status Locked), which it does when the account is in arrears (an overdue " +
	"payment) or the instance has expired or been locked by Alibaba Cloud; while it is locked DTS neither pauses nor " +
	"resumes it. Settle the overdue payment or renew the instance in the Alibaba Cloud console (Expenses and Costs), " +
	"wait until the job leaves Locked, then apply again"

// nextStep decides how to move a direction from status towards desired.
// Starting a NotStarted or PreCheckPass job, or restarting a Failed one, is
// what state = "Synchronizing" asks for; every other failure status needs a
// person, and nothing can pause a job that is not running. Retrying counts
// as running: resuming it is done, and pausing it waits until DTS's own
// retry ends (DTS refuses to pause it meanwhile).
func nextStep(status dtsclient.Status, desired string) (step, error) {
	switch status {
	case dtsclient.StatusLocked:
		return stepNone, errors.New(lockedReason)
	case dtsclient.StatusNotConfigured:
		return stepNone, errors.New("the job has no configuration (status NotConfigured, e.g. after a reset); configure it in " +
			"the DTS console (or with ConfigureDtsJob) first, then apply again")
	}
	switch desired {
	case stateSuspended:
		switch {
		case status == dtsclient.StatusSuspending:
			return stepDone, nil
		case status == dtsclient.StatusSynchronizing:
			return stepSuspend, nil
		case status.IsTransitional():
			return stepWait, nil
		case status == dtsclient.StatusNotStarted:
			return stepNone, errors.New("the job has never been started (status NotStarted), and DTS can pause only a running job; " +
				"set state = \"Synchronizing\" to start it first, or remove this resource")
		}
	case stateSynchronizing:
		switch status {
		case dtsclient.StatusSynchronizing, dtsclient.StatusRetrying:
			return stepDone, nil
		case dtsclient.StatusSuspending, dtsclient.StatusNotStarted, dtsclient.StatusFailed, dtsclient.StatusPreCheckPass:
			return stepStart, nil
		}
		if status.IsTransitional() {
			return stepWait, nil
		}
	default:
		return stepNone, fmt.Errorf("unexpected desired state %q; this is always a bug in the provider, please report it", desired)
	}
	return stepNone, fmt.Errorf("DTS reports status %s, from which the provider cannot move it to %s", status, desired)
}

func nextStepIs(status dtsclient.Status, desired string, s step) bool {
	next, err := nextStep(status, desired)
	return err == nil && next == s
}

// convergeResult is what DTS last reported while converging, kept even when
// converging fails so that the state can be written truthfully.
type convergeResult struct {
	Last *dtsclient.JobStatus
	// Mutated: a Suspend or Start (Call) was accepted, or may have been
	// (Uncertain: an attempt may have run without DTS saying so, so it is not
	// known which attempt made the change, or whether one did).
	Mutated, Uncertain bool
	Call               step
}

// pauseOrigin says how far the state may trust the time of a pause.
type pauseOrigin int

const (
	pauseSeen      pauseOrigin = iota // a read found the direction paused
	pauseMade                         // this run's Suspend was accepted
	pauseMaybeMade                    // this run's Suspend or an earlier one paused it
)

func (res convergeResult) pauseOrigin() pauseOrigin {
	switch {
	case !res.Mutated || res.Call != stepSuspend:
		return pauseSeen
	case res.Uncertain:
		return pauseMaybeMade
	}
	return pauseMade
}

// statusError is a status from which the desired state cannot be reached.
type statusError struct {
	Status       dtsclient.Status
	ErrorMessage string
	Reason       string
}

func (e *statusError) Error() string { return e.Reason }

// timeoutError is a transition that did not finish within the timeout.
type timeoutError struct {
	LastStatus, Desired string
	Timeout             time.Duration
	// Throttle explains the last call when DTS throttled it or the rate
	// limiter held it back until the timeout.
	Throttle *dtsclient.ThrottleReport
	// Pacer is the limiter of the pause and resume calls when DTS throttled
	// any of them (explainTimeout).
	Pacer *dtsclient.PacerState
}

func (e *timeoutError) Error() string {
	return fmt.Sprintf("timed out after %s waiting for state %s; the last status DTS reported was %s", e.Timeout, e.Desired, e.LastStatus)
}

// cancelledError is a wait that Terraform interrupted (Ctrl-C).
type cancelledError struct {
	Desired, LastStatus string
	Action              string // the mutating call sent, "" when none was
	Err                 error
}

func (e *cancelledError) Error() string {
	return fmt.Sprintf("interrupted while waiting for state %s: %s", e.Desired, e.Err)
}

func (e *cancelledError) Unwrap() error { return e.Err }

const (
	// maxStateConflicts bounds how often a Suspend or Start rejected because
	// the job changed under our feet is retried after a fresh read.
	maxStateConflicts = 3
	// maxResendGap bounds the interval between repeats of a call that may
	// have run and that DTS keeps refusing for the job's status.
	maxResendGap = time.Minute
)

// waitAPI is what converge and awaitCatchUp need (sharedJobs serves it).
type waitAPI interface {
	PollStatus(ctx context.Context, ref dtsclient.JobRef) (*dtsclient.JobStatus, error)
	Describe(ctx context.Context, ref dtsclient.JobRef) (*dtsclient.JobStatus, error)
	Suspend(ctx context.Context, ref dtsclient.JobRef) error
	Start(ctx context.Context, ref dtsclient.JobRef) error
}

// converge moves the direction to desired and waits until DTS reports it
// there. known is the status a read moments ago reported ("" when none):
// when it calls for a Suspend or Start, the call is made without reading
// first. Every read of the wait is a poll on the schedule of pollDelay. It
// stops at once when ctx is cancelled, and with a timeoutError when timeout
// or ctx's deadline passes.
//
// A Suspend or Start DTS accepted is never sent again. One whose answer was
// lost (dtsclient.MayHaveRun) is sent again only when a later read shows
// the direction still where it was; a refusal for the job's status after it
// only spaces the repeats out (doubling, up to maxResendGap), since DTS may
// refuse a repeat while the first one takes effect.
func converge(ctx context.Context, jobs waitAPI, ref dtsclient.JobRef, desired string, timeout time.Duration, known dtsclient.Status) (convergeResult, error) {
	return convergeReporting(ctx, jobs, ref, desired, timeout, known, nil)
}

// convergeReporting is converge handing every status it reads to report
// (nil reports nothing); the actions show them as progress.
func convergeReporting(ctx context.Context, jobs waitAPI, ref dtsclient.JobRef, desired string, timeout time.Duration,
	known dtsclient.Status, report func(*dtsclient.JobStatus)) (convergeResult, error) {
	var res convergeResult
	waitCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var (
		accepted    = stepNone       // the mutating call DTS accepted
		maybe       = stepNone       // the mutating call that may have run without DTS saying so
		sent        = stepNone       // the mutating call last sent, accepted or not
		startedFrom dtsclient.Status // the status a Start was issued from
		conflicts   int
		since       = time.Now() // the start of the wait, or of the transition a call began
		// refusedStart is a Start DTS refused for a stopped direction; the
		// next read says whether it is past the resume limit.
		refusedStart error
		// A refused repeat of a call that may have run is sent again no
		// sooner than resendAt, at doubling intervals.
		resendAt  time.Time
		resendGap time.Duration
	)
	fail := func(err error) (convergeResult, error) {
		return res, waitError(ctx, waitCtx, err, res, sent, desired, timeout)
	}
	for {
		st := &dtsclient.JobStatus{Status: known}
		believed := known != ""
		if believed {
			known = ""
		} else {
			var err error
			if st, err = jobs.PollStatus(waitCtx, ref); err != nil {
				return fail(err)
			}
			res.Last = st
			if report != nil {
				report(st)
			}
			if refusedStart != nil {
				var limitErr *resumeLimitError
				if err := asResumeLimitError(refusedStart, st, time.Now()); errors.As(err, &limitErr) {
					return res, err
				}
				if !dtsclient.IsJobStateConflict(refusedStart) {
					return fail(refusedStart)
				}
				refusedStart = nil
			}
		}

		next, err := nextStep(st.Status, desired)
		if believed && (err != nil || next == stepDone || next == stepWait) {
			continue // only a read decides these
		}
		if err != nil {
			return res, &statusError{Status: st.Status, ErrorMessage: st.ErrorMessage, Reason: err.Error()}
		}
		// A job that fails after we started it will not recover by waiting,
		// nor should a Start that may have run restart it.
		if (accepted == stepStart || maybe == stepStart) && st.Status == dtsclient.StatusFailed && startedFrom != dtsclient.StatusFailed {
			reason := "the job failed after DTS accepted the " + actionFor(stepStart) + " call"
			if accepted != stepStart {
				reason = "the job failed after the " + actionFor(stepStart) + " call, which DTS may have carried out"
			}
			return res, &statusError{Status: st.Status, ErrorMessage: st.ErrorMessage, Reason: reason}
		}
		if next == stepDone {
			return res, nil
		}
		resendLater := maybe == next && time.Now().Before(resendAt)
		if (next == stepSuspend || next == stepStart) && accepted != next && !resendLater {
			sent = next
			call := jobs.Start
			if next == stepSuspend {
				call = jobs.Suspend
			}
			switch err := call(waitCtx, ref); {
			case err == nil:
				accepted, startedFrom, since = next, st.Status, time.Now()
				// An earlier attempt that may have run may have made the change.
				res.Mutated, res.Call, res.Uncertain = true, next, maybe == next
			case dtsclient.MayHaveRun(err):
				maybe, startedFrom, since = next, st.Status, time.Now()
				res.Mutated, res.Call, res.Uncertain = true, next, true
				tflog.Debug(ctx, "DTS may have carried out the call without saying so; the next read shows whether it took",
					map[string]any{"error": err.Error()})
			case maybe == next && dtsclient.IsJobStateConflict(err):
				resendGap = min(max(2*resendGap, pollMinInterval), maxResendGap)
				resendAt = time.Now().Add(resendGap)
				tflog.Debug(ctx, "DTS refused the call again for the job's status; an earlier attempt may be taking effect, "+
					"so the reads decide", map[string]any{"error": err.Error(), "resend_in_ms": resendGap.Milliseconds()})
			case next == stepStart && stoppedStatus(st.Status) && isRefusal(err):
				// Only a read says whether DTS refused it for the resume limit
				// or because the job moved.
				if dtsclient.IsJobStateConflict(err) {
					if conflicts >= maxStateConflicts {
						return fail(err)
					}
					conflicts++
				}
				refusedStart = err
				if believed || !dtsclient.IsJobStateConflict(err) {
					continue
				}
			case dtsclient.IsJobStateConflict(err) && conflicts < maxStateConflicts:
				// The job moved between our read and the call; look again.
				conflicts++
				tflog.Debug(ctx, "DTS rejected the call for the job's current status; reading it again", map[string]any{"error": err.Error()})
				if believed {
					continue
				}
			default:
				return fail(err)
			}
		}
		if err := sleepCtx(waitCtx, pollDelay(time.Since(since), time.Now())); err != nil {
			return fail(err)
		}
	}
}

// waitError tells a cancelled run and an expired timeout apart from an API
// failure that merely happened to surface as a context error. sent is the
// mutating call made so far (stepNone when none), which a cancelled run may
// have delivered although its answer never arrived.
func waitError(parent, waitCtx context.Context, err error, res convergeResult, sent step, desired string, timeout time.Duration) error {
	last := "unknown (no successful read)"
	if res.Last != nil {
		last = res.Last.Status.String()
	}
	// A deadline on parent is the operation's timeout, not an interruption.
	if errors.Is(parent.Err(), context.Canceled) {
		ce := &cancelledError{Desired: desired, LastStatus: last, Err: parent.Err()}
		if sent != stepNone {
			ce.Action = actionFor(sent)
		}
		return ce
	}
	// The client's pacer gives up on a call whose next slot falls after the
	// wait's deadline, before the deadline itself passes (a Throttle report).
	var ae *dtsclient.APIError
	pacedOut := errors.As(err, &ae) && ae.Throttle != nil && errors.Is(err, context.DeadlineExceeded)
	if errors.Is(waitCtx.Err(), context.DeadlineExceeded) || pacedOut {
		return &timeoutError{LastStatus: last, Desired: desired, Timeout: timeout, Throttle: dtsclient.ThrottleReportOf(err)}
	}
	return err
}

// explainTimeout adds to a timeout the state of the rate limiter of the
// pause and resume calls, when DTS throttled them: a call held back by the
// limiter may have used up the time without failing itself.
func explainTimeout(err error, d *providerData, ref dtsclient.JobRef) {
	var te *timeoutError
	if !errors.As(err, &te) || te.Throttle != nil {
		return
	}
	if c, cerr := d.client(ref.RegionID); cerr == nil {
		if st := c.PacerState(ref.RegionID, d.jobs.MutationAction(ref)); st.Throttled > 0 {
			te.Pacer = &st
		}
	}
}

// actionFor names a mutating call whatever the family that made it.
func actionFor(s step) string {
	if s == stepSuspend {
		return "Suspend (SuspendDtsJob or SuspendSynchronizationJob)"
	}
	return "Start (StartDtsJob or StartSynchronizationJob)"
}

// The poll schedule of a wait: a read every pollMinInterval at first, then
// every pollFraction of the time the transition has run, so a transition is
// seen at most max(pollMinInterval, pollFraction of its length) late while
// the reads grow with the logarithm of its length (about 14 in the first
// 10 s, 26 in a minute, 40 in five).
const (
	pollMinInterval = 750 * time.Millisecond
	pollFraction    = 0.12
	pollGridBase    = 250 * time.Millisecond // the finest grid reads align to
)

// pollDelay returns the wait before the next read of a transition that has
// run for elapsed, at now. The read is moved earlier onto a grid shared by
// every wait, so that the reads of jobs waiting together fall on the same
// instants and one batched call serves them (statusBatcher); the grid step,
// the largest power-of-two multiple of pollGridBase not above half the
// interval, keeps a read never later than due and at most 50% early.
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

// lastReadMargin is how long before a wait's deadline its last read starts.
const lastReadMargin = 50 * time.Millisecond

// sleepCtx waits for d or until ctx is done. A wait that would pass ctx's
// deadline ends lastReadMargin before it instead, so that the last read
// still happens; one that begins within that margin lasts until the deadline.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if deadline, ok := ctx.Deadline(); ok {
		if left := time.Until(deadline) - lastReadMargin; left > 0 && left < d {
			d = left
		}
	}
	return dtsclient.Sleep(ctx, d)
}

// catchUpError is a running direction whose replication delay did not fall
// to the bound before the wait ended: its time ran out, or Terraform was
// interrupted.
type catchUpError struct {
	Bound, Timeout time.Duration
	Interrupted    bool
	// Reported is false when DTS never reported a delay during the wait;
	// First and Last are the first and last delays it reported, Span the
	// time between those two reads.
	Reported          bool
	First, Last, Span time.Duration
}

func (e *catchUpError) Error() string {
	if !e.Reported {
		return fmt.Sprintf("DTS reported no replication delay within %s", e.Timeout)
	}
	return fmt.Sprintf("replication delay still %s, above %s, after %s", formatDelay(e.Last), formatDelay(e.Bound), e.Timeout)
}

// rate is how many seconds of delay the direction shed per second over the
// wait; 0 when that cannot be told (one read, or none).
func (e *catchUpError) rate() float64 {
	if e.Span <= 0 {
		return 0
	}
	return (e.First - e.Last).Seconds() / e.Span.Seconds()
}

// progress says how the delay moved and, when it was falling, when it would
// reach the bound at that pace.
func (e *catchUpError) progress() string {
	switch rate := e.rate(); {
	case !e.Reported:
		return "DTS reported no replication delay for this direction during the wait, so the provider could not tell " +
			"whether it had caught up."
	case e.Span <= 0:
		return fmt.Sprintf("DTS reported a delay of %s once, too little to tell how fast it falls.", formatDelay(e.Last))
	case rate <= 0:
		return fmt.Sprintf("The delay did not fall: %s when the wait began, %s %s later. A running job whose delay does "+
			"not fall cannot keep up with the source (or DTS is retrying a failing step): check the job in the DTS console.",
			formatDelay(e.First), formatDelay(e.Last), formatDelay(e.Span))
	default:
		eta := time.Duration(float64(e.Last-e.Bound) / rate)
		return fmt.Sprintf("It fell from %s to %s in %s (%.1f s per second); at that pace it reaches %s in about %s.",
			formatDelay(e.First), formatDelay(e.Last), formatDelay(e.Span), rate, formatDelay(e.Bound), formatDelay(eta))
	}
}

// awaitCatchUp waits until DTS reports the replication delay of a running
// direction at or below bound, reading it on the schedule of a transition
// (pollDelay) until ctx ends. A poll is the shared read of the wait; where
// that carries no delay (the legacy family's status list) the direction is
// read on its own. It returns the last status read; a direction that stops
// running is a statusError, and a wait that ends first a catchUpError.
func awaitCatchUp(ctx context.Context, jobs waitAPI, ref dtsclient.JobRef, bound, timeout time.Duration,
	report func(*dtsclient.JobStatus)) (*dtsclient.JobStatus, error) {
	var (
		last      *dtsclient.JobStatus
		since     = time.Now()
		cu        = &catchUpError{Bound: bound, Timeout: timeout}
		firstSeen time.Time
		endOfWait = func(err error) (*dtsclient.JobStatus, error) {
			if !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
				return last, err
			}
			cu.Interrupted = errors.Is(ctx.Err(), context.Canceled)
			return last, cu
		}
	)
	for {
		st, err := jobs.PollStatus(ctx, ref)
		if err == nil && st.Status == dtsclient.StatusSynchronizing && !st.DelayReported {
			st, err = jobs.Describe(ctx, ref)
		}
		if err != nil {
			return endOfWait(err)
		}
		last = st
		if report != nil {
			report(st)
		}
		if st.Status != dtsclient.StatusSynchronizing && st.Status != dtsclient.StatusRetrying {
			return last, &statusError{Status: st.Status, ErrorMessage: st.ErrorMessage,
				Reason: fmt.Sprintf("The job stopped running while apply waited for its replication delay to fall to %s", formatDelay(bound))}
		}
		if st.DelayReported {
			if !cu.Reported {
				cu.Reported, cu.First, firstSeen = true, st.Delay, time.Now()
			}
			cu.Last, cu.Span = st.Delay, time.Since(firstSeen)
			tflog.Debug(ctx, "waiting for the replication delay to fall", map[string]any{
				"job_id": ref.JobID, "direction": ref.Direction, "delay": formatDelay(st.Delay), "bound": formatDelay(bound)})
			if st.Delay <= bound {
				return last, nil
			}
		}
		if err := sleepCtx(ctx, pollDelay(time.Since(since), time.Now())); err != nil {
			return endOfWait(err)
		}
	}
}

// convergeCatchingUp moves the direction to desired and, after a resume, waits for
// max_delay_after_resume when it is set.
func convergeCatchingUp(ctx context.Context, jobs waitAPI, ref dtsclient.JobRef, desired string, timeout time.Duration,
	known dtsclient.Status, maxDelay types.String) (convergeResult, error) {
	bound, d := durationAttr(maxDelay, "max_delay_after_resume", "5m", 0)
	if d != nil {
		return convergeResult{}, errors.New(d.Detail())
	}
	res, err := converge(ctx, jobs, ref, desired, timeout, known)
	if err != nil || bound == 0 || !res.Mutated || res.Call != stepStart { // only a resume waits to catch up
		return res, err
	}
	st, err := awaitCatchUp(ctx, jobs, ref, bound, timeout, nil)
	if st != nil {
		res.Last = st
	}
	return res, err
}
