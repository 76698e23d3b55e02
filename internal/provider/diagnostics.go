package provider

import (
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

// apiErrorDetail says which call failed for which job, and what to do next.
func apiErrorDetail(what string, ref dtsclient.JobRef, err error) string {
	detail := fmt.Sprintf("Unable to %s job %s (%s) in region %s, got error: %s", what, ref.JobID, ref.Direction, ref.RegionID, err)
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
		return "Check synchronization_job_id and region_id: DTS knows no such job in that region."
	case dtsclient.IsThrottled(e):
		return "DTS throttled the calls and the retries ran out. Lower -parallelism, or raise max_retries in the provider block."
	case e.Code == "InvalidTimeStamp.Expired":
		return "DTS rejected the request time: this machine's clock is more than 15 minutes off. Synchronize the clock (NTP) and try again."
	case e.Code == "SignatureDoesNotMatch" || e.Code == "InvalidAccessKeyId.NotFound" || e.Code == "IncompleteSignature":
		return "DTS rejected the credentials. Check the access key pair (and security token) the provider uses, and the endpoint."
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
		stErr *statusError
		toErr *timeoutError
	)
	switch {
	case errors.As(err, &stErr):
		detail := fmt.Sprintf("Unable to %s job %s (%s) in region %s: DTS reports status %s. %s.", verb, ref.JobID, ref.Direction, ref.RegionID, stErr.Status, stErr.Reason)
		if stErr.ErrorMessage != "" {
			detail += "\nDTS says: " + stErr.ErrorMessage
		}
		detail += "\n" + statusAdvice(stErr.Status)
		return diag.NewErrorDiagnostic("Synchronization Job Is "+stErr.Status.String(), detail)
	case errors.As(err, &toErr):
		return diag.NewErrorDiagnostic("Timed Out Waiting for Synchronization Job",
			fmt.Sprintf("Job %s (%s) in region %s did not reach state %s within %s; the last status DTS reported was %s. "+
				"DTS may still finish the transition: run terraform plan to see where it is, and raise %s if the job "+
				"routinely needs longer.", ref.JobID, ref.Direction, ref.RegionID, toErr.Desired, toErr.Timeout, toErr.LastStatus, timeoutAttr))
	default:
		return diag.NewErrorDiagnostic(fmt.Sprintf("Unable to %s Synchronization Job", titleVerb(verb)), apiErrorDetail(verb, ref, err))
	}
}

func titleVerb(verb string) string {
	if verb == "pause" {
		return "Pause"
	}
	return "Resume"
}

// providerNotConfiguredDiag explains a provider whose arguments were unknown
// when Terraform configured it.
func providerNotConfiguredDiag() diag.Diagnostic {
	return diag.NewErrorDiagnostic("Provider Not Configured",
		"The dts provider was configured with a value that was not known yet: a provider argument depends on a resource "+
			"that is not created, or on a variable that a `terraform test` run leaves unknown. Give the provider known values "+
			"(literals, variables with values, or the ALIBABA_CLOUD_* environment variables), or create that resource first "+
			"with terraform apply -target.")
}
