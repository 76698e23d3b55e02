package provider

import (
	"fmt"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

// Desired states a user can declare. DTS itself calls a paused job
// "Suspending"; "Suspended" says what the user wants without suggesting that
// something is still in progress.
const (
	stateSynchronizing = "Synchronizing"
	stateSuspended     = "Suspended"
)

// stateForStatus maps a DTS status onto the value stored in the state
// attribute. Statuses that are neither running nor paused are stored as
// observed so that the plan shows the difference from the configuration.
func stateForStatus(status string) string {
	switch dtsclient.NormalizeStatus(status) {
	case dtsclient.StatusSynchronizing, dtsclient.StatusModifying, dtsclient.StatusUpgrade, dtsclient.StatusDowngrade:
		return stateSynchronizing
	case dtsclient.StatusSuspending:
		return stateSuspended
	default:
		return dtsclient.NormalizeStatus(status)
	}
}

// isSteady reports whether a status is one of the two the resource manages.
func isSteady(status string) bool {
	s := stateForStatus(status)
	return s == stateSynchronizing || s == stateSuspended
}

// isTransitional reports statuses that DTS leaves by itself, so waiting is
// the right response.
func isTransitional(status string) bool {
	switch dtsclient.NormalizeStatus(status) {
	case dtsclient.StatusPrechecking, dtsclient.StatusPreCheckPass, dtsclient.StatusInitializing,
		dtsclient.StatusModifying, dtsclient.StatusRetrying, dtsclient.StatusUpgrade, dtsclient.StatusDowngrade:
		return true
	}
	return false
}

// isFailed reports statuses from which the job will not recover by itself.
func isFailed(status string) bool {
	switch dtsclient.NormalizeStatus(status) {
	case dtsclient.StatusFailed, dtsclient.StatusPrecheckFailed, dtsclient.StatusInitializeFailed, dtsclient.StatusFinished:
		return true
	}
	return false
}

// step is what converging towards a desired state needs next.
type step int

const (
	stepNone    step = iota // no call made yet (converge's bookkeeping only)
	stepDone                // already in the desired state
	stepSuspend             // call SuspendSynchronizationJob
	stepStart               // call StartSynchronizationJob
	stepWait                // a transition DTS finishes by itself
)

// nextStep decides how to move a direction from status towards desired.
// Starting a NotStarted job, or restarting a Failed one, is what
// state = "Synchronizing" asks for, so it is allowed; every other failure
// status needs a person, and nothing can pause a job that is not running.
func nextStep(status, desired string) (step, error) {
	status = dtsclient.NormalizeStatus(status)
	switch desired {
	case stateSuspended:
		switch {
		case status == dtsclient.StatusSuspending:
			return stepDone, nil
		case status == dtsclient.StatusSynchronizing:
			return stepSuspend, nil
		case isTransitional(status):
			return stepWait, nil
		case status == dtsclient.StatusNotStarted:
			return stepNone, fmt.Errorf("the job has never been started (status NotStarted), and DTS can pause only a running job; " +
				"set state = \"Synchronizing\" to start it first, or remove this resource")
		}
	case stateSynchronizing:
		switch {
		case status == dtsclient.StatusSynchronizing:
			return stepDone, nil
		case status == dtsclient.StatusSuspending, status == dtsclient.StatusNotStarted, status == dtsclient.StatusFailed:
			return stepStart, nil
		case isTransitional(status):
			return stepWait, nil
		}
	default:
		return stepNone, fmt.Errorf("unexpected desired state %q; this is always a bug in the provider, please report it", desired)
	}
	return stepNone, fmt.Errorf("DTS reports status %s, from which the provider cannot move it to %s", status, desired)
}
