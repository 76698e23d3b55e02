package provider

import (
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

// A plan that changes nothing (a scheduled drift check) warns about a paused
// direction only once the pause matters: the resume limit after
// quietResumeLimitFor, the billing of a PostPaid job after quietBillingFor.
// A plan that pauses or resumes always warns.
const (
	quietResumeLimitFor = time.Hour
	quietBillingFor     = 30 * time.Minute
)

// DTS documents that a job paused for more than about six hours may not
// start again, and that one paused for more than seven days cannot: it
// refuses the Start and marks the direction Failed (some versions leave it
// Suspending). Failed alone says nothing about why, so the provider tells
// this case by how long the direction has not run (stoppedSince).
const (
	resumeRiskAfter  = 6 * time.Hour
	resumeLimitAfter = 7 * 24 * time.Hour
)

// pauseWarnings are the billing and resume-limit warnings of a plan whose
// declared state is desired. acting is true when the plan pauses or resumes.
func pauseWarnings(jobID, direction, desired string, acting bool, facts *planFacts, now time.Time) (diags diag.Diagnostics) {
	if facts == nil || desired != stateSuspended {
		return diags
	}
	paused, postPaid := facts.Status.IsPaused(), facts.PayType == "PostPaid"
	if acting {
		if !paused && postPaid {
			diags.Append(billingWarning(jobID, direction))
		}
		diags.Append(resumeLimitWarning(jobID, direction, paused, facts.PausedSince, now))
		return diags
	}
	if !paused {
		return diags
	}
	age, known := now.Sub(facts.PausedSince), !facts.PausedSince.IsZero()
	if postPaid && (!known || age >= quietBillingFor) {
		diags.Append(billingWarning(jobID, direction))
	}
	if !known || age >= quietResumeLimitFor {
		diags.Append(resumeLimitWarning(jobID, direction, true, facts.PausedSince, now))
	}
	return diags
}

func billingWarning(jobID, direction string) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Paused Pay-As-You-Go Job Keeps Billing",
		fmt.Sprintf("Job %s (%s) is pay-as-you-go (PostPaid). DTS keeps charging for it while it is paused, because it "+
			"keeps pulling the source database's logs so that it can resume quickly. Resume it (state = \"Synchronizing\") "+
			"or release the job when the pause is no longer needed.", jobID, direction))
}

// resumeLimitWarning reminds the user of the resume limit. paused says
// whether the direction is paused already; pausedSince is the zero time when
// it is not known since when.
func resumeLimitWarning(jobID, direction string, paused bool, pausedSince, now time.Time) diag.Diagnostic {
	const limits = "DTS may be unable to resume a job paused for more than about 6 hours, and cannot resume one paused for more than 7 days."
	summary, detail := "Paused Jobs Can Only Be Resumed for a Limited Time", ""
	age := now.Sub(pausedSince)
	since := fmt.Sprintf("Job %s (%s) has been paused for %s (since %s).", jobID, direction,
		twoUnits(age, false), pausedSince.UTC().Format(time.RFC3339))
	switch {
	case !paused:
		detail = fmt.Sprintf("Job %s (%s) will be paused. %s Plan the resume before then.", jobID, direction, limits)
	case pausedSince.IsZero():
		detail = fmt.Sprintf("Job %s (%s) is already paused; DTS reports no checkpoint, so it is not known for how long. %s "+
			"Check the pause in the DTS console and plan the resume.", jobID, direction, limits)
	case age >= resumeLimitAfter:
		summary, detail = resumeLimitSummary, since+" That is past the 7-day limit: DTS will refuse to resume it. To run it "+
			"again, reset and reconfigure the job in the DTS console, or create a new synchronization job."
	case age >= resumeRiskAfter:
		summary, detail = "Paused Job May Not Resume", since+" "+limits+" Resume it as soon as possible; at "+
			pausedSince.Add(resumeLimitAfter).UTC().Format(time.RFC3339)+" it can no longer be resumed."
	default:
		detail = since + " " + limits + " Resume it before " + pausedSince.Add(resumeRiskAfter).UTC().Format(time.RFC3339) + " to be safe."
	}
	return diag.NewWarningDiagnostic(summary, detail)
}

// unsteadyWarning explains a status that is neither running nor paused.
func unsteadyWarning(jobID, direction string, status dtsclient.Status, errorMessage string) diag.Diagnostic {
	detail := fmt.Sprintf("DTS reports job %s (%s) as %s, which is neither running nor paused.", jobID, direction, status)
	if errorMessage != "" {
		detail += " DTS says: " + errorMessage
	}
	return diag.NewWarningDiagnostic("Synchronization Job Is "+status.String(), detail+" "+statusAdvice(status))
}

func statusAdvice(status dtsclient.Status) string {
	switch status {
	case dtsclient.StatusFailed:
		return "With state = \"Synchronizing\", apply calls Start (StartDtsJob or StartSynchronizationJob) to retry it from its checkpoint; " +
			"fix the cause first (see the error message and the DTS console)."
	case dtsclient.StatusNotStarted:
		return "With state = \"Synchronizing\", apply starts it (precheck, initialization, then synchronization)."
	case dtsclient.StatusPrecheckFailed, dtsclient.StatusInitializeFailed:
		return "Fix the failed check or initialization in the DTS console and start the job there; the provider cannot resume it."
	case dtsclient.StatusFinished:
		return "The job has completed or been released; remove this resource or point it at another job."
	}
	if status.IsTransitional() {
		return "DTS finishes this by itself; apply waits for it within the timeout."
	}
	return "Check the job in the DTS console."
}

// cannotMoveWarning is the plan's word on a status apply cannot move to
// desired. Where the job is now is no fault of the configuration, so it is a
// warning: an error would block the plan that terraform destroy refreshes with.
func cannotMoveWarning(jobID, direction, desired string, facts *planFacts, err error, now time.Time) diag.Diagnostic {
	advice := statusAdvice(facts.Status)
	if since, past := facts.pastResumeLimit(now); past {
		advice = resumeLimitReason(jobID, direction, facts.Status, since, now) + " " + resumeLimitRemedy
	}
	return diag.NewAttributeWarningDiagnostic(path.Root("state"), "Synchronization Job Is "+facts.Status.String(),
		fmt.Sprintf("Cannot move job %s (%s) to state %s: %s%s\n%s\n\n%s", jobID, direction, desired, err,
			dtsSays(facts.ErrorMessage), advice, applyFailsNote))
}

// applyFailsNote ends a plan warning about where the job is: apply fails
// with the same error unless the job moves first; a destroy goes through.
const applyFailsNote = "Applying this change fails with this error unless the job changes first. It is a warning here " +
	"so that it does not block terraform destroy, which plans every resource before destroying."

// asPlanWarning turns a plan-time error about the remote job into a warning
// that says apply fails with it.
func asPlanWarning(d diag.Diagnostic) diag.Diagnostic {
	detail := d.Detail() + "\n\n" + applyFailsNote
	if wp, ok := d.(diag.DiagnosticWithPath); ok {
		return diag.NewAttributeWarningDiagnostic(wp.Path(), d.Summary(), detail)
	}
	return diag.NewWarningDiagnostic(d.Summary(), detail)
}

// unsteadyReadWarning is the warning of a refresh that finds a status
// neither running nor paused; a Failed direction that has not run for more
// than 7 days gets the reason it cannot be resumed.
func unsteadyReadWarning(ref dtsclient.JobRef, st *dtsclient.JobStatus, suspendedAt types.String, now time.Time) diag.Diagnostic {
	pausedSince, _ := time.Parse(time.RFC3339, suspendedAt.ValueString())
	if since := stoppedSince(pausedSince, st.Checkpoint); pastResumeLimit(st.Status, since, now) {
		return diag.NewWarningDiagnostic(resumeLimitSummary, resumeLimitReason(ref.JobID, ref.Direction, st.Status, since, now)+
			dtsSays(st.ErrorMessage)+"\n"+resumeLimitRemedy)
	}
	return unsteadyWarning(ref.JobID, ref.Direction, st.Status, st.ErrorMessage)
}

// pastResumeLimit reports whether a direction in status has not run since
// stoppedSince (zero: not known) for longer than DTS resumes a pause.
func pastResumeLimit(status dtsclient.Status, stoppedSince, now time.Time) bool {
	return stoppedStatus(status) && !stoppedSince.IsZero() && now.Sub(stoppedSince) >= resumeLimitAfter
}

// stoppedStatus reports whether a direction in status may be past the
// resume limit: paused, or failed as DTS marks a pause that lasted too long.
func stoppedStatus(status dtsclient.Status) bool {
	return status == dtsclient.StatusSuspending || status == dtsclient.StatusFailed
}

// stoppedSince is when a direction last ran as far as DTS's answer and the
// state tell: the recorded pause, else the checkpoint, which DTS freezes when
// the direction stops; zero when neither.
func stoppedSince(pausedSince time.Time, checkpoint int64) time.Time {
	if pausedSince.IsZero() && checkpoint > 0 {
		return time.Unix(checkpoint, 0)
	}
	return pausedSince
}

const (
	resumeLimitSummary = "Paused Job Can No Longer Be Resumed"
	resumeLimitRemedy  = "To run it again, reset and reconfigure the job in the DTS console, or create a new synchronization " +
		"job and point this resource at it."
)

func resumeLimitReason(jobID, direction string, status dtsclient.Status, since, now time.Time) string {
	when := fmt.Sprintf("%s (%s ago)", since.UTC().Format(time.RFC3339), twoUnits(now.Sub(since), false))
	if status == dtsclient.StatusFailed {
		return fmt.Sprintf("Job %s (%s) reports Failed and has not synchronized since %s. DTS marks a job paused for more "+
			"than 7 days as Failed and refuses to resume it: a Start call is rejected, so it can no longer be "+
			"resumed.", jobID, direction, when)
	}
	return fmt.Sprintf("Job %s (%s) has been paused since %s, more than 7 days, and DTS refuses to resume a job paused that "+
		"long: a Start call is rejected, so it can no longer be resumed.", jobID, direction, when)
}

// resumeLimitPlanWarning is the plan's warning for a resume that DTS will
// most likely refuse. Apply still asks: the limit is DTS's to enforce.
func resumeLimitPlanWarning(jobID, direction string, status dtsclient.Status, since, now time.Time) diag.Diagnostic {
	return diag.NewWarningDiagnostic(resumeLimitSummary, resumeLimitReason(jobID, direction, status, since, now)+
		" Apply will still ask DTS to resume it and fails with DTS's answer if DTS refuses. "+resumeLimitRemedy)
}

// resumeLimitError is a Start DTS refused for a direction past the resume limit.
type resumeLimitError struct {
	Status       dtsclient.Status
	Since, Now   time.Time
	ErrorMessage string
	Err          error
}

func (e *resumeLimitError) Error() string {
	return fmt.Sprintf("DTS refused to resume a direction that has not run since %s: %s", e.Since.UTC().Format(time.RFC3339), e.Err)
}

func (e *resumeLimitError) Unwrap() error { return e.Err }

// isRefusal reports whether err is DTS refusing a call with an error code
// (not a failure to reach DTS, throttling, or a job it does not know).
func isRefusal(err error) bool {
	if dtsclient.IsRetryable(err) || dtsclient.IsNotFound(err) || dtsclient.IsThrottled(err) || dtsclient.MayHaveRun(err) {
		return false
	}
	var apiErr *dtsclient.APIError
	return errors.As(err, &apiErr) && apiErr.Code != ""
}

// asResumeLimitError turns DTS's refusal of a Start into a resumeLimitError
// when st, a read after the refusal, shows the direction past the resume
// limit. A refusal alone decides nothing: a Start may be refused because an
// earlier one took.
func asResumeLimitError(err error, st *dtsclient.JobStatus, now time.Time) error {
	if st == nil || !isRefusal(err) {
		return err
	}
	if since := stoppedSince(time.Time{}, st.Checkpoint); pastResumeLimit(st.Status, since, now) {
		return &resumeLimitError{Status: st.Status, Since: since, Now: now, ErrorMessage: st.ErrorMessage, Err: err}
	}
	return err
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
