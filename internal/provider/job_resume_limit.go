package provider

import (
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

// DTS documents that a job paused for more than about six hours may not
// start again, and that one paused for more than seven days cannot.
const (
	resumeRiskAfter  = 6 * time.Hour
	resumeLimitAfter = 7 * 24 * time.Hour
)

// A direction paused for more than 7 days (resumeLimitAfter) can no longer be
// resumed: DTS refuses StartSynchronizationJob for it, and, as its docs say,
// marks it Failed (some DTS versions leave it Suspending). A Failed direction
// alone says nothing about why, so the provider recognises this case by how
// long the direction has not run: since its recorded pause (suspended_at) or,
// failing that, since its checkpoint, which DTS freezes when it stops.

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
// state tell: the recorded pause, else the checkpoint; zero when neither.
func stoppedSince(pausedSince time.Time, checkpoint int64) time.Time {
	if !pausedSince.IsZero() {
		return pausedSince
	}
	if checkpoint > 0 {
		return time.Unix(checkpoint, 0)
	}
	return time.Time{}
}

// resumeLimitSummary is the summary of every message about such a direction.
const resumeLimitSummary = "Paused Job Can No Longer Be Resumed"

// resumeLimitReason says why a direction past the resume limit cannot run again.
func resumeLimitReason(jobID, direction string, status dtsclient.Status, since, now time.Time) string {
	when := fmt.Sprintf("%s (%s ago)", since.UTC().Format(time.RFC3339), humanDuration(now.Sub(since)))
	if status == dtsclient.StatusFailed {
		return fmt.Sprintf("Job %s (%s) reports Failed and has not synchronized since %s. DTS marks a job paused for more "+
			"than 7 days as Failed and refuses to resume it: a Start call is rejected, so it can no longer be "+
			"resumed.", jobID, direction, when)
	}
	return fmt.Sprintf("Job %s (%s) has been paused since %s, more than 7 days, and DTS refuses to resume a job paused that "+
		"long: a Start call is rejected, so it can no longer be resumed.", jobID, direction, when)
}

// resumeLimitRemedy is what a user can do about it.
const resumeLimitRemedy = "To run it again, reset and reconfigure the job in the DTS console, or create a new synchronization " +
	"job and point this resource at it."

// resumeLimitPlanWarning is the plan's warning for a resume that DTS will
// most likely refuse. Apply still asks: the limit is DTS's to enforce.
func resumeLimitPlanWarning(jobID, direction string, status dtsclient.Status, since, now time.Time) diag.Diagnostic {
	return diag.NewWarningDiagnostic(resumeLimitSummary, resumeLimitReason(jobID, direction, status, since, now)+
		" Apply will still ask DTS to resume it and fails with DTS's answer if DTS refuses. "+resumeLimitRemedy)
}

// resumeLimitError is a Start that DTS refused for a direction past the
// resume limit.
type resumeLimitError struct {
	Status       dtsclient.Status
	Since        time.Time
	Now          time.Time
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
// limit; other errors stay as they are. A refusal alone decides nothing: a
// Start may be refused because an earlier one took.
func asResumeLimitError(err error, st *dtsclient.JobStatus, now time.Time) error {
	if st == nil || !isRefusal(err) {
		return err
	}
	since := stoppedSince(time.Time{}, st.Checkpoint)
	if !pastResumeLimit(st.Status, since, now) {
		return err
	}
	return &resumeLimitError{Status: st.Status, Since: since, Now: now, ErrorMessage: st.ErrorMessage, Err: err}
}

// resumeLimitErrorDiag is apply's error for such a refusal.
func resumeLimitErrorDiag(ref dtsclient.JobRef, e *resumeLimitError) diag.Diagnostic {
	return diag.NewErrorDiagnostic(resumeLimitSummary, fmt.Sprintf("%s\nDTS answered: %s%s\n%s",
		resumeLimitReason(ref.JobID, ref.Direction, e.Status, e.Since, e.Now), e.Err, dtsSays(e.ErrorMessage), resumeLimitRemedy))
}
