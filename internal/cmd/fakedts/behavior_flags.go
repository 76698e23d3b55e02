package main

import (
	"flag"
	"strings"

	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// switchFlags are the flags of the fake's behaviour switches; each one that
// is set overrides the profile's value.
type switchFlags struct {
	rejectRepeated bool
	businessStatus int
	notFoundCode   string
	longPause      string
	pendingStatus  string
	lowercase      bool
	pageSizes      string
	legacyRefuses  bool
	jobsCreatedBy  string
	delayUnit      string
}

func behaviorFlags(fs *flag.FlagSet) *switchFlags {
	f := &switchFlags{}
	fs.BoolVar(&f.rejectRepeated, "reject-repeated-change", false,
		"answer a Suspend/Start that repeats a pending change with InvalidJobStatus")
	fs.IntVar(&f.businessStatus, "business-error-status", 200,
		"HTTP status of business errors (e.g. 403, which also adds Code/Message)")
	fs.StringVar(&f.notFoundCode, "not-found-code", fakedts.CodeInstanceNotFound,
		"code for an unknown job: "+fakedts.CodeInstanceNotFound+" or "+fakedts.CodeInvalidJobID)
	fs.StringVar(&f.longPause, "long-pause", string(fakedts.LongPauseFailed),
		"a pause of more than 7 days: failed (status Failed) or suspending (stays Suspending); Start is refused either way")
	fs.StringVar(&f.pendingStatus, "pending-status", string(fakedts.PendingStatusOld),
		"status while a change is pending: old (until it completes) or target (at once)")
	fs.BoolVar(&f.lowercase, "lowercase-synchronizing", false, "spell the running status synchronizing on every job")
	fs.StringVar(&f.pageSizes, "page-sizes", string(fakedts.PageSizesRange),
		"PageSize values accepted: range (1-100) or listed (30|50|100; DescribeDtsJobs 20|30|50|100)")
	fs.BoolVar(&f.legacyRefuses, "legacy-refuses-dts-jobs", false,
		"SuspendSynchronizationJob/StartSynchronizationJob answer jobs created through the DtsJob API as unknown")
	fs.StringVar(&f.jobsCreatedBy, "jobs-created-by", fakedts.CreatedBySynchronizationJob,
		"API family that created jobs that name none: synchronization_job or dts_job")
	fs.StringVar(&f.delayUnit, "delay-unit", string(fakedts.DelayUnitDocumented),
		"unit of the DtsJob actions' Delay: documented (DescribeDtsJobDetail ms, DescribeDtsJobs s), seconds or milliseconds")
	return f
}

// apply overrides b with the switches given on the command line.
func (f *switchFlags) apply(fs *flag.FlagSet, b fakedts.Behavior) fakedts.Behavior {
	fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "reject-repeated-change":
			b.RejectRepeatedChange = f.rejectRepeated
		case "business-error-status":
			b.BusinessErrorStatus = f.businessStatus
		case "not-found-code":
			b.NotFoundCode = f.notFoundCode
		case "long-pause":
			b.LongPause = fakedts.LongPause(f.longPause)
		case "pending-status":
			b.PendingStatus = fakedts.PendingStatus(f.pendingStatus)
		case "lowercase-synchronizing":
			b.LowercaseSynchronizing = f.lowercase
		case "page-sizes":
			b.PageSizes = fakedts.PageSizes(f.pageSizes)
		case "legacy-refuses-dts-jobs":
			b.LegacyRefusesDtsJobs = f.legacyRefuses
		case "jobs-created-by":
			b.JobsCreatedBy = f.jobsCreatedBy
		case "delay-unit":
			b.DelayUnit = fakedts.DelayUnit(f.delayUnit)
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
