package provider

import (
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

// pauseWarnings are the billing and resume-limit warnings of a plan whose
// declared state is desired. acting is true when the plan pauses or resumes.
func pauseWarnings(jobID, direction, desired string, acting bool, facts *planFacts, now time.Time) diag.Diagnostics {
	var diags diag.Diagnostics
	if facts == nil || desired != stateSuspended {
		return diags
	}
	paused := facts.Status.IsPaused()
	postPaid := facts.PayType == "PostPaid"
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

// billingWarning tells the user that a pay-as-you-go job keeps costing money
// while paused.
func billingWarning(jobID, direction string) diag.Diagnostic {
	return diag.NewWarningDiagnostic(
		"Paused Pay-As-You-Go Job Keeps Billing",
		fmt.Sprintf("Job %s (%s) is pay-as-you-go (PostPaid). DTS keeps charging for it while it is paused, because it "+
			"keeps pulling the source database's logs so that it can resume quickly. Resume it (state = \"Synchronizing\") "+
			"or release the job when the pause is no longer needed.", jobID, direction))
}

// resumeLimitWarning reminds the user of the resume limit. paused says
// whether the direction is paused already; pausedSince is the zero time when
// it is not known since when.
func resumeLimitWarning(jobID, direction string, paused bool, pausedSince, now time.Time) diag.Diagnostic {
	limits := "DTS may be unable to resume a job paused for more than about 6 hours, and cannot resume one paused for more than 7 days."
	switch {
	case !paused:
		return diag.NewWarningDiagnostic("Paused Jobs Can Only Be Resumed for a Limited Time",
			fmt.Sprintf("Job %s (%s) will be paused. %s Plan the resume before then.", jobID, direction, limits))
	case pausedSince.IsZero():
		return diag.NewWarningDiagnostic("Paused Jobs Can Only Be Resumed for a Limited Time",
			fmt.Sprintf("Job %s (%s) is already paused; DTS reports no checkpoint, so it is not known for how long. %s "+
				"Check the pause in the DTS console and plan the resume.", jobID, direction, limits))
	}
	age := now.Sub(pausedSince)
	since := fmt.Sprintf("Job %s (%s) has been paused for %s (since %s).", jobID, direction,
		humanDuration(age), pausedSince.UTC().Format(time.RFC3339))
	switch {
	case age >= resumeLimitAfter:
		return diag.NewWarningDiagnostic("Paused Job Can No Longer Be Resumed",
			since+" That is past the 7-day limit: DTS will refuse to resume it. To run it again, reset and reconfigure "+
				"the job in the DTS console, or create a new synchronization job.")
	case age >= resumeRiskAfter:
		return diag.NewWarningDiagnostic("Paused Job May Not Resume",
			since+" "+limits+" Resume it as soon as possible; at "+pausedSince.Add(resumeLimitAfter).UTC().Format(time.RFC3339)+
				" it can no longer be resumed.")
	default:
		return diag.NewWarningDiagnostic("Paused Jobs Can Only Be Resumed for a Limited Time",
			since+" "+limits+" Resume it before "+pausedSince.Add(resumeRiskAfter).UTC().Format(time.RFC3339)+" to be safe.")
	}
}

// unsteadyWarning explains a status that is neither running nor paused.
func unsteadyWarning(jobID, direction string, status dtsclient.Status, errorMessage string) diag.Diagnostic {
	detail := fmt.Sprintf("DTS reports job %s (%s) as %s, which is neither running nor paused.", jobID, direction, status)
	if errorMessage != "" {
		detail += " DTS says: " + errorMessage
	}
	detail += " " + statusAdvice(status)
	return diag.NewWarningDiagnostic("Synchronization Job Is "+status.String(), detail)
}

// statusAdvice says what a user can do about a status.
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
	default:
		if status.IsTransitional() {
			return "DTS finishes this by itself; apply waits for it within the timeout."
		}
		return "Check the job in the DTS console."
	}
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
// that says apply fails with it (see applyFailsNote).
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
