package fakedts

import (
	"cmp"
	"fmt"
	"net/http"
	"strings"
)

// ProfileEnv is the environment variable that names the test profile the
// acceptance suite runs under (read by internal/acctest).
const ProfileEnv = "DTS_FAKE_PROFILE"

// Profile is a named set of Behavior switches: one plausible DTS.
type Profile struct {
	Name        string
	Description string
	Behavior    Behavior
	Quotas      []Quota
}

// Profiles are the test profiles, the default first. ASSUMPTIONS.md lists
// the sources behind each switch.
func Profiles() []Profile {
	return []Profile{
		{Name: "default", Description: "the fake's defaults: repeats accepted, HTTP 200 business errors, " +
			"Forbidden.InstanceNotFound, a pause of more than 7 days turns Failed, old status until a change completes, PageSize 1-100"},
		{Name: "strict", Description: "every switch that refuses more: repeated Suspend/Start rejected, business errors as HTTP 403, " +
			"InvalidJobId for unknown jobs, PageSize only 30|50|100 (DescribeDtsJobs 20|30|50|100)",
			Behavior: Behavior{RejectRepeatedChange: true, BusinessErrorStatus: http.StatusForbidden,
				NotFoundCode: CodeInvalidJobID, PageSizes: PageSizesListed}},
		{Name: "repeat-rejected", Description: "a Suspend or Start repeating a pending change gets InvalidJobStatus",
			Behavior: Behavior{RejectRepeatedChange: true}},
		{Name: "errors-403", Description: "business errors come with HTTP 403 and Code/Message",
			Behavior: Behavior{BusinessErrorStatus: http.StatusForbidden}},
		{Name: "invalid-job-id", Description: "an unknown job is InvalidJobId",
			Behavior: Behavior{NotFoundCode: CodeInvalidJobID}},
		{Name: "listed-page-sizes", Description: "PageSize only 30|50|100 (DescribeDtsJobs 20|30|50|100)",
			Behavior: Behavior{PageSizes: PageSizesListed}},
		{Name: "eager", Description: "Describe reports the target status as soon as Suspend or Start is accepted",
			Behavior: Behavior{PendingStatus: PendingStatusTarget}},
		{Name: "lowercase", Description: "the running status is spelled synchronizing on every job",
			Behavior: Behavior{LowercaseSynchronizing: true}},
		{Name: "stays-suspending", Description: "a pause of more than 7 days stays Suspending (Start still refused)",
			Behavior: Behavior{LongPause: LongPauseSuspending}},
		{Name: "dts-job-only", Description: "every job was created through the DtsJob API, and the legacy " +
			"Suspend/Start answer such jobs as unknown (legacy Describe still shows them)",
			Behavior: Behavior{LegacyRefusesDtsJobs: true, JobsCreatedBy: CreatedByDtsJob}},
		{Name: "delay-seconds", Description: "DescribeDtsJobDetail reports Delay in seconds, like DescribeDtsJobs " +
			"(documented: milliseconds)",
			Behavior: Behavior{DelayUnit: DelayUnitSeconds}},
		{Name: "delay-milliseconds", Description: "DescribeDtsJobs reports Delay in milliseconds, like DescribeDtsJobDetail " +
			"(documented: seconds)",
			Behavior: Behavior{DelayUnit: DelayUnitMilliseconds}},
		{Name: "quotas", Description: "the documented per-account quotas: DescribeDtsJobDetail 40 calls/s, " +
			"DescribeDtsJobs 20 calls/s per access key and region, calls over them throttled",
			Quotas: DocumentedQuotas()},
	}
}

// ProfileNames lists the profile names in order.
func ProfileNames() []string {
	var names []string
	for _, p := range Profiles() {
		names = append(names, p.Name)
	}
	return names
}

// ProfileByName finds a profile; "" is the default one. An unknown name is
// an error that lists the known ones.
func ProfileByName(name string) (Profile, error) {
	name = cmp.Or(name, "default")
	for _, p := range Profiles() {
		if p.Name == name {
			return p, nil
		}
	}
	return Profile{}, fmt.Errorf("unknown fake DTS profile %q; known profiles: %s", name, strings.Join(ProfileNames(), ", "))
}
