package provider

import "github.com/hashicorp/terraform-plugin-framework/action"

// NewSynchronizationJobSuspendAction returns the dts_synchronization_job_suspend
// action: pause one direction of a job and wait until DTS reports it paused.
func NewSynchronizationJobSuspendAction() action.Action {
	return &jobStateAction{
		name:    "synchronization_job_suspend",
		call:    callIn("SuspendDtsJob", "SuspendSynchronizationJob"),
		desired: stateSuspended,
		summary: "Pauses one direction of a DTS synchronization job, for example with " +
			"`terraform apply -invoke=action.dts_synchronization_job_suspend.orders` before a manual intervention, or " +
			"from an `action_trigger` `before_update` on a schema migration. A paused PostPaid job keeps billing, and " +
			"DTS advises resuming within 6 hours.",
	}
}
