package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

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

// durationAttr reads a positive Go duration, def when it is null or unknown.
// The attribute's validator checks it at plan time; this guards a value
// unknown then.
func durationAttr(v types.String, attr, example string, def time.Duration) (time.Duration, diag.Diagnostic) {
	if v.IsNull() || v.IsUnknown() {
		return def, nil
	}
	d, err := time.ParseDuration(v.ValueString())
	if err != nil || d <= 0 {
		return 0, diag.NewAttributeErrorDiagnostic(path.Root(attr), "Invalid Duration",
			fmt.Sprintf("%s %q is not a positive Go duration; use a value such as 30s or %s.", attr, v.ValueString(), example))
	}
	return d, nil
}

// catchUpDiag is the error of a resumed direction that did not catch up.
// The job runs whatever the wait did, so the diagnostic says so first.
func catchUpDiag(ref dtsclient.JobRef, e *catchUpError, timeoutAttr string) diag.Diagnostic {
	running := fmt.Sprintf("Job %s (%s) in region %s is running: DTS resumed it and reports it Synchronizing. ", ref.JobID, ref.Direction, ref.RegionID)
	if e.Interrupted {
		return diag.NewErrorDiagnostic("Interrupted While Waiting for Replication to Catch Up", running+
			fmt.Sprintf("Terraform was interrupted while the provider waited for its replication delay to fall to %s "+
				"(max_delay_after_resume). %s", formatDelay(e.Bound), e.progress()))
	}
	detail := running
	if e.Reported {
		detail += fmt.Sprintf("But its replication delay was still %s at the last read, above max_delay_after_resume (%s), "+
			"when %s (%s) ran out. ", formatDelay(e.Last), formatDelay(e.Bound), timeoutAttr, formatDelay(e.Timeout))
	} else {
		detail += fmt.Sprintf("%s (%s) ran out before it could tell whether the job had caught up to max_delay_after_resume (%s). ",
			timeoutAttr, formatDelay(e.Timeout), formatDelay(e.Bound))
	}
	return diag.NewErrorDiagnostic("Replication Did Not Catch Up in Time", detail+e.progress()+
		"\nBefore a step that needs the target caught up, watch the delay (the dts_synchronization_job data source's "+
		"delay_seconds, or the DTS console). Raise "+timeoutAttr+" if this job routinely needs longer, or "+
		"max_delay_after_resume if a larger delay is acceptable.")
}

// catchUpPlanNote tells a plan that resumes a direction that apply will then
// wait for it to catch up, and how far behind it starts when that is known.
func catchUpPlanNote(jobID, direction string, bound types.String, timeoutAttr string, timeout time.Duration,
	facts *planFacts, now time.Time) diag.Diagnostic {
	limit := "the value max_delay_after_resume will have"
	if !bound.IsUnknown() {
		limit = bound.ValueString() + " (max_delay_after_resume)"
	}
	detail := fmt.Sprintf("Apply resumes job %s (%s), then waits until DTS reports its replication delay at or below %s, "+
		"within %s (%s). Apply fails if the delay is still above it then; the job stays running either way.",
		jobID, direction, limit, timeoutAttr, formatDelay(timeout))
	if !facts.PausedSince.IsZero() {
		detail += fmt.Sprintf(" It has not run since %s, so it starts about %s behind.",
			facts.PausedSince.UTC().Format(time.RFC3339), formatDelay(now.Sub(facts.PausedSince)))
	}
	return diag.NewAttributeWarningDiagnostic(path.Root("max_delay_after_resume"), "Apply Waits for Replication to Catch Up", detail)
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
