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

// declaredState is the state attribute for a status DTS reports, the one
// place that folds the statuses of both families into state (the table on
// the resource page): running statuses, and Retrying (DTS retrying a
// failing job by itself; it has not stopped), read Synchronizing; Suspending
// reads Suspended; anything else, such as Locked, Failed or NotConfigured,
// is shown as DTS reports it, so the plan shows the difference.
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

// lockedReason explains Locked, which blocks both changes.
const lockedReason = "DTS has locked the job (status Locked), which it does when the account is in arrears (an overdue " +
	"payment) or the instance has expired or been locked by Alibaba Cloud; while it is locked DTS neither pauses nor " +
	"resumes it. Settle the overdue payment or renew the instance in the Alibaba Cloud console (Expenses and Costs), " +
	"wait until the job leaves Locked, then apply again"

// nextStep decides how to move a direction from status towards desired.
// Starting a NotStarted or PreCheckPass job, or restarting a Failed one, is
// what state = "Synchronizing" asks for, so it is allowed; every other
// failure status needs a person, and nothing can pause a job that is not
// running. Retrying counts as running: resuming it is done, and pausing it
// waits until DTS's own retry ends (DTS refuses to pause it meanwhile).
func nextStep(status dtsclient.Status, desired string) (step, error) {
	switch status {
	case dtsclient.StatusLocked:
		return stepNone, fmt.Errorf("%s", lockedReason)
	case dtsclient.StatusNotConfigured:
		return stepNone, fmt.Errorf("the job has no configuration (status NotConfigured, e.g. after a reset); configure it in " +
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
			return stepNone, fmt.Errorf("the job has never been started (status NotStarted), and DTS can pause only a running job; " +
				"set state = \"Synchronizing\" to start it first, or remove this resource")
		}
	case stateSynchronizing:
		switch {
		case status == dtsclient.StatusSynchronizing, status == dtsclient.StatusRetrying:
			return stepDone, nil
		case status == dtsclient.StatusSuspending, status == dtsclient.StatusNotStarted, status == dtsclient.StatusFailed,
			status == dtsclient.StatusPreCheckPass:
			return stepStart, nil
		case status.IsTransitional():
			return stepWait, nil
		}
	default:
		return stepNone, fmt.Errorf("unexpected desired state %q; this is always a bug in the provider, please report it", desired)
	}
	return stepNone, fmt.Errorf("DTS reports status %s, from which the provider cannot move it to %s", status, desired)
}

// nextStepIs reports whether nextStep moves status towards desired by s.
func nextStepIs(status dtsclient.Status, desired string, s step) bool {
	next, err := nextStep(status, desired)
	return err == nil && next == s
}
