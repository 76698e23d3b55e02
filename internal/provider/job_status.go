package provider

import (
	"fmt"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

// Desired states a user can declare (dtsclient says which status means which).
const (
	stateSynchronizing = dtsclient.DeclaredSynchronizing
	stateSuspended     = dtsclient.DeclaredSuspended
)

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
func nextStep(status dtsclient.Status, desired string) (step, error) {
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
			return stepNone, fmt.Errorf("the job has never been started (status NotStarted), and DTS can pause only a running job; " +
				"set state = \"Synchronizing\" to start it first, or remove this resource")
		}
	case stateSynchronizing:
		switch {
		case status == dtsclient.StatusSynchronizing:
			return stepDone, nil
		case status == dtsclient.StatusSuspending, status == dtsclient.StatusNotStarted, status == dtsclient.StatusFailed:
			return stepStart, nil
		case status.IsTransitional():
			return stepWait, nil
		}
	default:
		return stepNone, fmt.Errorf("unexpected desired state %q; this is always a bug in the provider, please report it", desired)
	}
	return stepNone, fmt.Errorf("DTS reports status %s, from which the provider cannot move it to %s", status, desired)
}
