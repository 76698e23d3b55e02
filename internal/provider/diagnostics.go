package provider

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

// apiErrorDetail says which call failed for which job, and what to do next.
func apiErrorDetail(what string, ref dtsclient.JobRef, err error) string {
	detail := fmt.Sprintf("Unable to %s job %s (%s) in region %s, got error: %s", what, jobLabel(ref), ref.Direction, ref.RegionID, err)
	var apiErr *dtsclient.APIError
	if errors.As(err, &apiErr) {
		detail += "\n\n" + apiErrorAdvice(apiErr)
	}
	return detail
}

// apiErrorAdvice turns an API error into the next thing the user can do.
func apiErrorAdvice(e *dtsclient.APIError) string {
	switch {
	case dtsclient.IsNotFound(e):
		return "Check synchronization_job_id (or dts_job_id) and region_id: DTS knows no such job in that region."
	case dtsclient.IsAuthorizationFailure(e):
		return fmt.Sprintf("The credential the provider uses may not call %[1]s: allow the RAM action dts:%[1]s (for this job, or "+
			"for all DTS jobs) in the policy of its RAM user or role. The provider does not try the other DTS API family "+
			"for an action the credential is denied.", e.Action)
	case dtsclient.IsThrottled(e) || e.Throttle != nil:
		return e.Throttle.Advice()
	case e.Code == "InvalidTimeStamp.Expired":
		return "DTS rejected the request time: this machine's clock is more than 15 minutes off. Synchronize the clock (NTP) and try again."
	case e.Code == "SignatureDoesNotMatch" || e.Code == "InvalidAccessKeyId.NotFound" || e.Code == "IncompleteSignature":
		return "DTS rejected the credentials. Check the access key pair (and security token) the provider uses, and the endpoint."
	case errors.As(e, new(*dtsclient.CredentialError)):
		return "No request reached DTS. Fix the credential source named above, then run the command again."
	case e.Code == "SignatureNonceUsed":
		return "DTS saw the request twice. Try again; if it persists, report it as a provider bug."
	case dtsclient.IsRetryable(e):
		return "The DTS API kept failing after the retries. Try again later, or raise max_retries in the provider block."
	case dtsclient.IsJobStateConflict(e):
		return "The job changed state while the provider acted on it. Run terraform plan again to see where it is now."
	default:
		return "Check the job in the DTS console; the RequestId above identifies the call for Alibaba Cloud support."
	}
}

// convergeErrorDiag builds the error of a pause or resume that did not finish.
func convergeErrorDiag(verb string, ref dtsclient.JobRef, err error, timeoutAttr string) diag.Diagnostic {
	var (
		limitErr  *resumeLimitError
		catchUp   *catchUpError
		stErr     *statusError
		toErr     *timeoutError
		cancelErr *cancelledError
	)
	where := fmt.Sprintf("%s (%s) in region %s", ref.JobID, ref.Direction, ref.RegionID)
	switch {
	case errors.As(err, &limitErr):
		return diag.NewErrorDiagnostic(resumeLimitSummary, fmt.Sprintf("%s\nDTS answered: %s%s\n%s", resumeLimitReason(ref.JobID,
			ref.Direction, limitErr.Status, limitErr.Since, limitErr.Now), limitErr.Err, dtsSays(limitErr.ErrorMessage), resumeLimitRemedy))
	case errors.As(err, &catchUp):
		return catchUpDiag(ref, catchUp, timeoutAttr)
	case errors.As(err, &stErr):
		return diag.NewErrorDiagnostic("Synchronization Job Is "+stErr.Status.String(), fmt.Sprintf(
			"Unable to %s job %s: DTS reports status %s. %s.%s\n%s", verb, where, stErr.Status, stErr.Reason,
			dtsSays(stErr.ErrorMessage), statusAdvice(stErr.Status)))
	case errors.As(err, &toErr):
		detail := fmt.Sprintf("Job %s did not reach state %s within %s; the last status DTS reported was %s. "+
			"DTS may still finish the transition: run terraform plan to see where it is, and raise %s if the job "+
			"routinely needs longer.", where, toErr.Desired, toErr.Timeout, toErr.LastStatus, timeoutAttr)
		switch p := toErr.Pacer; {
		case toErr.Throttle != nil:
			detail += "\n\nThe last call " + toErr.Throttle.String() + ".\n" + toErr.Throttle.Advice()
		case p != nil:
			detail += fmt.Sprintf("\n\nDTS throttled the provider's calls, so they waited for the rate limiter: it throttled %d of the "+
				"%d pause, resume and other calls without a published quota in region %s since the provider started", p.Throttled, p.Calls, ref.RegionID)
			if p.Accepted > 0 {
				detail += fmt.Sprintf(", and accepted about %.1f calls/s over the last 10 s, which suggests the account's API quota is about %.1f calls/s", p.Accepted, p.Accepted)
			}
			detail += ". Raise " + timeoutAttr + ", lower -parallelism, or check what else uses this account's DTS API quota."
		}
		return diag.NewErrorDiagnostic("Timed Out Waiting for Synchronization Job", detail)
	case errors.As(err, &cancelErr):
		sent := "No pause or resume call had been sent yet. "
		if cancelErr.Action != "" {
			sent = fmt.Sprintf("The %s call may already have gone through, so DTS may still %s the job. ", cancelErr.Action, verb)
		}
		return diag.NewErrorDiagnostic("Interrupted While Waiting for Synchronization Job", fmt.Sprintf("Terraform was "+
			"interrupted while job %s was on its way to state %s; the last status DTS reported was %s. %sRun terraform "+
			"plan to see where the job is now.", where, cancelErr.Desired, cancelErr.LastStatus, sent))
	}
	return diag.NewErrorDiagnostic(fmt.Sprintf("Unable to %s Synchronization Job", strings.ToUpper(verb[:1])+verb[1:]),
		apiErrorDetail(verb, ref, err))
}

// notSavedDetail is added to a failed create: nothing is saved, so the next
// plan reads the job again and adopts it where it is.
const notSavedDetail = "\n\nNothing was saved to the Terraform state for this resource, so the next plan reads the job again " +
	"and shows what apply would do from where the job is then; no call is made for a job already in the desired state."

func readStatusErrorDiag(ref dtsclient.JobRef, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Unable to Read Synchronization Job Status", apiErrorDetail("read the status of", ref, err))
}

func jobNotFoundDiag(ref dtsclient.JobRef, err error) diag.Diagnostic {
	attr := "synchronization_job_id"
	if ref.JobID == "" {
		attr = "dts_job_id"
	}
	return diag.NewAttributeErrorDiagnostic(path.Root(attr), "Synchronization Job Not Found",
		fmt.Sprintf("DTS knows no synchronization job %s in region %s.\nCheck %s, and region_id or the "+
			"provider's region: a job is only found in the region it was created in; the dts_synchronization_jobs data "+
			"source or the DTS console lists the jobs of a region.\n\nDTS answered: %s", jobLabel(ref), ref.RegionID, attr, err))
}

// jobLabel names a job in messages: by its instance ID, as every message did
// before task IDs, or by the task ID while the instance ID is not known yet.
func jobLabel(ref dtsclient.JobRef) string {
	if ref.JobID != "" {
		return ref.JobID
	}
	return "with task ID " + ref.DtsJobID
}

// jobGoneWarning is the warning of a refresh that found the job deleted.
func jobGoneWarning(ref dtsclient.JobRef, err error) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Synchronization Job Not Found",
		fmt.Sprintf("Job %s (%s) no longer exists in region %s (DTS answered: %s), so it was removed from the Terraform state. "+
			"Remove the resource from the configuration, or point it at another job.", ref.JobID, ref.Direction, ref.RegionID, err))
}

func missingRegionDiag(attr path.Path) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(attr, "Missing Region",
		"No region is set for this job: set region_id here, region in the provider block, or the ALIBABA_CLOUD_REGION environment variable.")
}

func endpointErrorDiag(err error) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root("region_id"), "Unable to Choose a DTS Endpoint", err.Error())
}

func dtsSays(msg string) string {
	if msg == "" {
		return ""
	}
	return "\nDTS says: " + msg
}

func providerNotConfiguredDiag() diag.Diagnostic {
	return diag.NewErrorDiagnostic("Provider Not Configured",
		"The dts provider was configured with a value that was not known yet: a provider argument depends on a resource "+
			"that is not created, or on a variable that a `terraform test` run leaves unknown. Give the provider known values "+
			"(literals, variables with values, or the ALIBABA_CLOUD_* environment variables), or create that resource first "+
			"with terraform apply -target.")
}

// formatDelay writes a replication delay compactly for people: rounded to
// whole seconds, at most two units, zero units left out ("38s", "4m12s",
// "2h3m", "3d4h", "0s"). From an hour on the seconds are dropped, from a day
// on the minutes: a paused job's delay is read in hours, not seconds. A
// negative delay (clock skew) is "0s".
func formatDelay(d time.Duration) string {
	return twoUnits(max(d.Round(time.Second), 0), true)
}

// twoUnits writes d rounded to seconds in its largest unit and the next one
// ("3d4h", "5h0m", "42s"), which dropZero leaves out when it is zero.
func twoUnits(d time.Duration, dropZero bool) string {
	d = d.Round(time.Second)
	units := []time.Duration{24 * time.Hour, time.Hour, time.Minute, time.Second}
	i := 0
	for i < len(units)-1 && d < units[i] {
		i++
	}
	s := fmt.Sprintf("%d%c", d/units[i], "dhms"[i])
	if i < len(units)-1 {
		if next := d % units[i] / units[i+1]; next != 0 || !dropZero {
			s += fmt.Sprintf("%d%c", next, "dhms"[i+1])
		}
	}
	return s
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
