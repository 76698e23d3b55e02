package main

import (
	"flag"
	"strconv"
	"strings"

	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// behaviorFlags defines the flags of the fake's behaviour switches.
func behaviorFlags(fs *flag.FlagSet) {
	fs.Bool("reject-repeated-change", false,
		"answer a Suspend/Start that repeats a pending change with InvalidJobStatus")
	fs.Int("business-error-status", 200,
		"HTTP status of business errors (e.g. 403, which also adds Code/Message)")
	fs.String("not-found-code", fakedts.CodeInstanceNotFound,
		"code for an unknown job: "+fakedts.CodeInstanceNotFound+" or "+fakedts.CodeInvalidJobID)
	fs.String("long-pause", string(fakedts.LongPauseFailed),
		"a pause of more than 7 days: failed (status Failed) or suspending (stays Suspending); Start is refused either way")
	fs.String("pending-status", string(fakedts.PendingStatusOld),
		"status while a change is pending: old (until it completes) or target (at once)")
	fs.Bool("lowercase-synchronizing", false, "spell the running status synchronizing on every job")
	fs.String("page-sizes", string(fakedts.PageSizesRange),
		"PageSize values accepted: range (1-100) or listed (30|50|100; DescribeDtsJobs 20|30|50|100)")
	fs.Bool("legacy-refuses-dts-jobs", false,
		"SuspendSynchronizationJob/StartSynchronizationJob answer jobs created through the DtsJob API as unknown")
	fs.String("jobs-created-by", fakedts.CreatedBySynchronizationJob,
		"API family that created jobs that name none: synchronization_job or dts_job")
	fs.String("delay-unit", string(fakedts.DelayUnitDocumented),
		"unit of the DtsJob actions' Delay: documented (DescribeDtsJobDetail ms, DescribeDtsJobs s), seconds or milliseconds")
}

// applyBehaviorFlags overrides b with the switches given on the command
// line; a switch left unset keeps the profile's value.
func applyBehaviorFlags(fs *flag.FlagSet, b fakedts.Behavior) fakedts.Behavior {
	fs.Visit(func(fl *flag.Flag) {
		v := fl.Value.String() // as parsed: "true"/"false", a decimal int, or the string
		switch fl.Name {
		case "reject-repeated-change":
			b.RejectRepeatedChange = v == "true"
		case "business-error-status":
			b.BusinessErrorStatus, _ = strconv.Atoi(v)
		case "not-found-code":
			b.NotFoundCode = v
		case "long-pause":
			b.LongPause = fakedts.LongPause(v)
		case "pending-status":
			b.PendingStatus = fakedts.PendingStatus(v)
		case "lowercase-synchronizing":
			b.LowercaseSynchronizing = v == "true"
		case "page-sizes":
			b.PageSizes = fakedts.PageSizes(v)
		case "legacy-refuses-dts-jobs":
			b.LegacyRefusesDtsJobs = v == "true"
		case "jobs-created-by":
			b.JobsCreatedBy = v
		case "delay-unit":
			b.DelayUnit = fakedts.DelayUnit(v)
		}
	})
	return b
}

// permissionsFlags is the policy of -allow-actions and -deny-actions, for
// every key: an empty -allow-actions allows all.
func permissionsFlags(allow, deny, code string) fakedts.Permissions {
	split := func(list string) []string {
		var out []string
		for _, a := range strings.Split(list, ",") {
			if a = strings.TrimSpace(a); a != "" {
				out = append(out, a)
			}
		}
		return out
	}
	p := fakedts.Permissions{Code: code}
	if allow == "" && deny == "" {
		return p
	}
	pol := fakedts.Policy{Allow: split(allow), Deny: split(deny)}
	if allow != "" && pol.Allow == nil {
		pol.Allow = []string{} // a list of only commas allows nothing
	}
	p.Policies = []fakedts.Policy{pol}
	return p
}
