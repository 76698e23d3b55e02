package provider

import (
	"fmt"
	"strings"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

const importIDFormats = "<job_id>, <job_id>:<direction>, <region_id>/<job_id> or <region_id>/<job_id>:<direction>, " +
	"where job_id is the instance ID (dts…) or the task ID (dts_job_id) and direction is Forward or Reverse " +
	"(for example dtsmr1q4mc2152xxxx:Reverse, cn-hangzhou/dtsmr1q4mc2152xxxx or cn-hangzhou/mr1q4mc2152xxxx)"

// importID is a parsed import ID: JobID (an instance ID) or TaskID is set.
type importID struct {
	Region    string
	JobID     string
	TaskID    string
	Direction string
}

// resourceID is the ID the resource stores: "<job_id>:<direction>".
func resourceID(jobID, direction string) string { return jobID + ":" + direction }

// parseImportID accepts the formats in importIDFormats. Spaces around the ID
// (a copy from the console) are dropped; spaces inside it are not accepted.
func parseImportID(raw string) (importID, error) {
	fail := func(why string) (importID, error) {
		return importID{}, fmt.Errorf("unexpected import ID %q: %s; expected %s", raw, why, importIDFormats)
	}
	id := importID{Direction: dtsclient.DirectionForward}
	rest := strings.TrimSpace(raw)
	if region, after, ok := strings.Cut(rest, "/"); ok {
		if err := validateRegion(region); err != nil {
			return fail(err.Error())
		}
		id.Region, rest = region, after
	}
	if job, dir, ok := strings.Cut(rest, ":"); ok {
		if dir != dtsclient.DirectionForward && dir != dtsclient.DirectionReverse {
			return fail(fmt.Sprintf("direction %q is not Forward or Reverse (the case matters)", dir))
		}
		id.Direction, rest = dir, job
	}
	if dtsclient.IsTaskIDForm(rest) {
		id.TaskID = rest
		return id, nil
	}
	if err := validateJobID(rest); err != nil {
		return fail("job ID " + err.Error())
	}
	id.JobID = rest
	return id, nil
}
