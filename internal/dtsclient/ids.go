package dtsclient

import (
	"fmt"
	"regexp"
	"strings"
)

// The shapes of the two IDs of a job (docs/development/dts-api.md §5.4 "ID pattern", §11 "IDs").
// Every documented example is lower-case letters and digits: the task ID
// (DtsJobId) like "l3m1213ye7lxxxx", the instance ID (SynchronizationJobId,
// DtsInstanceId) the same with "dts" in front. No source states the length as
// a rule, so the patterns accept 8–32 characters rather than the examples' 15:
// a plan-time rejection of a real ID would block a user with no way around it.
var (
	// DtsJobIDPattern matches a task ID. A task ID that starts with "dts" is
	// rejected by ValidateDtsJobID as an instance ID given in the wrong place.
	DtsJobIDPattern = regexp.MustCompile(`^[a-z0-9]{8,32}$`)
	// InstanceIDPattern matches an instance ID.
	InstanceIDPattern = regexp.MustCompile(`^dts[a-z0-9]{8,32}$`)
)

// ValidateDtsJobID returns nil for a task-ID-shaped id, else an error that
// says what is accepted (the caller names the attribute).
func ValidateDtsJobID(id string) error {
	switch {
	case id != strings.TrimSpace(id) || id == "":
		return fmt.Errorf("task ID %q must be 8 to 32 lower-case letters and digits, without spaces", id)
	case strings.HasPrefix(id, "dts") && InstanceIDPattern.MatchString(id):
		return fmt.Errorf("%q is shaped like an instance ID (dts…), not a task ID: the task ID is the DtsJobId the console "+
			"shows as the task ID, e.g. l3m1213ye7lxxxx for instance dtsl3m1213ye7lxxxx", id)
	case !DtsJobIDPattern.MatchString(id):
		return fmt.Errorf("task ID %q must be 8 to 32 lower-case letters and digits, e.g. l3m1213ye7lxxxx", id)
	}
	return nil
}

// instanceIDPattern is what every instance ID given to the provider must
// match: ASCII letters and digits, as IDs were accepted before task IDs
// existed. It is looser than InstanceIDPattern on purpose, for the same reason.
var instanceIDPattern = regexp.MustCompile(`^[A-Za-z0-9]{1,64}$`)

// InstanceIDRule says what an instance ID may hold, in every message about one.
const InstanceIDRule = "1 to 64 ASCII letters and digits with no spaces, such as dtsmr1q4mc2152xxxx"

// ValidateInstanceID returns nil for an acceptable instance ID, else an error
// that is a predicate for the caller to prefix with what it checks.
func ValidateInstanceID(id string) error {
	if !instanceIDPattern.MatchString(id) {
		return fmt.Errorf("must be %s, got: %q", InstanceIDRule, id)
	}
	return nil
}

// IsTaskIDForm reports whether an ID that may be either (an import ID) is a
// task ID: task-ID-shaped and without the "dts" of an instance ID. Any other
// ID valid before task IDs existed stays an instance ID.
func IsTaskIDForm(id string) bool {
	return !strings.HasPrefix(id, "dts") && ValidateDtsJobID(id) == nil
}
