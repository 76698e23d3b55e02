package provider

import "github.com/hashicorp/terraform-plugin-framework/action"

// NewSynchronizationJobResumeAction returns the dts_synchronization_job_resume
// action: resume (or start) one direction of a job and wait until it runs.
func NewSynchronizationJobResumeAction() action.Action {
	return &jobStateAction{
		name:    "synchronization_job_resume",
		call:    callIn("StartDtsJob", "StartSynchronizationJob"),
		desired: stateSynchronizing,
		catchUp: true,
		summary: "Resumes one direction of a DTS synchronization job, as " +
			"`dts_synchronization_job_state` does for `state = \"Synchronizing\"`: a paused, not yet started or failed " +
			"direction is started. Pair it with the suspend action, for example `after_update` of the schema migration " +
			"that a `before_update` suspend protected.",
	}
}
