package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

// The provider argument api chooses which DTS action families read and
// change jobs. This file is the only place that looks at the family, and
// tryFamilies the one place of the rule that chooses it.
const (
	// apiAuto uses the maintained family and falls back to the legacy one,
	// per job and action, when the maintained family does not know the job or
	// does not offer the action (dtsclient.IsUnknownToFamily), remembering
	// which family served each job for the rest of the run.
	apiAuto = "auto"
	// apiDtsJob uses only SuspendDtsJob, StartDtsJob, DescribeDtsJobDetail
	// and DescribeDtsJobs, as the official alicloud provider does.
	apiDtsJob = "dts_job"
	// apiSynchronizationJob uses only the legacy actions.
	apiSynchronizationJob = "synchronization_job"
)

// apiValues are the values the api argument accepts, default first.
var apiValues = []string{apiAuto, apiDtsJob, apiSynchronizationJob}

// jobAPI reads and changes jobs in the family the api argument chooses. Its
// methods are small so that a wrapper (sharedJobs, tests) can decorate any.
type jobAPI interface {
	// Describe reads one direction of a job named by instance ID, task ID or
	// both; the answer carries both IDs when DTS reports them.
	Describe(ctx context.Context, ref dtsclient.JobRef) (*dtsclient.JobStatus, error)
	Suspend(ctx context.Context, ref dtsclient.JobRef) error
	Start(ctx context.Context, ref dtsclient.JobRef) error
	// Directions returns the per-direction statuses of the named jobs of a
	// region, with name and pay type where the answer carries them
	// (DescribeSynchronizationJobStatusList does not); unlisted jobs are left out.
	Directions(ctx context.Context, region string, jobIDs []string) ([]dtsclient.JobSummary, error)
	// List returns the region's jobs, filtered by name and tags.
	List(ctx context.Context, in dtsclient.ListJobsInput) ([]dtsclient.JobSummary, error)
	// ListPages reads the region's jobs a page at a time, newest first, and
	// passes those keep accepts, with their Directions (Forward first), to
	// page until it returns false: a caller that needs few jobs reads few pages.
	ListPages(ctx context.Context, region string, keep func(dtsclient.JobSummary) bool, page func([]dtsclient.JobSummary) bool) error
	// RegionJobs returns a whole-region listing by instance ID, each job as
	// its family lists it: one younger than maxAge, else a new one when worth
	// says so given the calls it takes (0 when the region was never listed),
	// else nil.
	RegionJobs(ctx context.Context, region string, maxAge time.Duration, worth func(pages int) bool) (map[string]dtsclient.JobSummary, error)
	// Listed returns a job from the region's latest listing when that is
	// complete, younger than maxAge and lists every direction (the
	// maintained family's): a read it answers need not wait for a batch.
	Listed(region, jobID string, maxAge time.Duration) (dtsclient.JobSummary, bool)
	// ReadsByTaskID reports whether a job named by task ID only can be read;
	// the legacy family cannot.
	ReadsByTaskID() bool
	// Mode is the api argument in force, for messages.
	Mode() string
	// MutationAction is the Suspend action of the family serving the job,
	// whose pacer state explains a timeout.
	MutationAction(ref dtsclient.JobRef) string
}

type familyJobs struct {
	mode   string
	client func(region string) (*dtsclient.Client, error)
	now    func() time.Time

	mu sync.Mutex
	// served is the family that last served each job (jobKeys), tried first.
	served map[string]dtsclient.Family
	// listings are the latest whole-region listings: the one cache of
	// Directions and RegionJobs.
	listings map[string]*regionListing
	// sizes is the job count of each region's last listing: its price.
	sizes map[string]int
	// legacyRefused is set per region when auto found
	// DescribeSynchronizationJobStatusList refused.
	legacyRefused map[string]bool
}

// regionListing is one listing of a region, shared by the reads that arrive
// while it is read and soon after; the fields after done are valid once it closes.
type regionListing struct {
	at   time.Time
	done chan struct{}
	jobs map[string]dtsclient.JobSummary // by instance ID
	// family listed the jobs; refused is the maintained family's answer when
	// auto listed with the legacy family instead.
	family  dtsclient.Family
	refused error
	err     error
}

// defaultListMaxAge bounds how old a region listing may be when it answers
// a batched refresh read. A refresh of hundreds of resources takes a few
// seconds, so one listing serves all of it, and a status that differs from
// the prior state is confirmed by a single read anyway.
const defaultListMaxAge = 5 * time.Second

func newFamilyJobs(mode string, client func(region string) (*dtsclient.Client, error)) *familyJobs {
	if mode == "" {
		mode = apiAuto
	}
	return &familyJobs{mode: mode, client: client, now: time.Now, served: map[string]dtsclient.Family{},
		listings: map[string]*regionListing{}, sizes: map[string]int{}, legacyRefused: map[string]bool{}}
}

func (j *familyJobs) Mode() string { return j.mode }

func (j *familyJobs) ReadsByTaskID() bool { return j.mode != apiSynchronizationJob }

func (j *familyJobs) Describe(ctx context.Context, ref dtsclient.JobRef) (*dtsclient.JobStatus, error) {
	var st *dtsclient.JobStatus
	err := j.perJob(ctx, ref, "describe", func(a dtsclient.JobActions) (err error) {
		st, err = a.DescribeJob(ctx, ref)
		return err
	})
	if err != nil {
		return nil, err
	}
	// Later calls find the family under either ID.
	if st.JobID != "" || st.DtsJobID != "" {
		j.remember(dtsclient.JobRef{RegionID: ref.RegionID, JobID: st.JobID, DtsJobID: st.DtsJobID}, st.Family)
	}
	return st, nil
}

func (j *familyJobs) Suspend(ctx context.Context, ref dtsclient.JobRef) error {
	return j.perJob(ctx, ref, "suspend", func(a dtsclient.JobActions) error { _, err := a.SuspendJob(ctx, ref); return err })
}

func (j *familyJobs) Start(ctx context.Context, ref dtsclient.JobRef) error {
	return j.perJob(ctx, ref, "start", func(a dtsclient.JobActions) error { _, err := a.StartJob(ctx, ref); return err })
}

// modeFamilies are the families the api argument allows, the maintained first.
func (j *familyJobs) modeFamilies() []dtsclient.Family {
	switch j.mode {
	case apiSynchronizationJob:
		return []dtsclient.Family{dtsclient.FamilySynchronizationJob}
	case apiDtsJob:
		return []dtsclient.Family{dtsclient.FamilyDtsJob}
	}
	return []dtsclient.Family{dtsclient.FamilyDtsJob, dtsclient.FamilySynchronizationJob}
}

// families is the order in which the families are tried for a job: the
// mode's, with the family that served the job last first. The legacy family
// cannot address a job by task ID alone, so it is left out then.
func (j *familyJobs) families(ref dtsclient.JobRef) []dtsclient.Family {
	order := j.modeFamilies()
	if len(order) > 1 && j.servedBy(ref) == order[1] {
		order = []dtsclient.Family{order[1], order[0]}
	}
	if strings.TrimSpace(ref.JobID) == "" && len(order) > 1 {
		order = []dtsclient.Family{dtsclient.FamilyDtsJob}
	}
	return order
}

// noFallback marks an error after which the rule must not try the next
// family although the family said it does not know the job or the action
// (a listing refused after its first page would pass jobs on twice).
type noFallback struct{ err error }

func (e noFallback) Error() string { return e.err.Error() }

// tryFamilies is the family rule, the one place that applies it: call runs
// in each family of order and the next is tried only when DTS answers that
// this family does not know the job or does not offer the action
// (dtsclient.IsUnknownToFamily). Any other answer, success or not, an
// authorization failure included, is the result. It returns the family that
// gave it; when every family said so, the last family's error, so that a job
// is "not found" only when the last family said that.
func tryFamilies(ctx context.Context, order []dtsclient.Family, what string, fields map[string]any,
	call func(dtsclient.Family) error) (dtsclient.Family, error) {
	var tried []string
	for i, f := range order {
		err := call(f)
		var stop noFallback
		if errors.As(err, &stop) {
			return f, stop.err
		}
		if err == nil {
			return f, nil
		}
		if i == len(order)-1 || !dtsclient.IsUnknownToFamily(err) {
			if len(tried) > 0 {
				return f, fmt.Errorf("%w (first tried the %s family: %s)", err, familyName(order[0]), strings.Join(tried, "; "))
			}
			return f, err
		}
		logged := map[string]any{"action": what, "family": familyName(f), "error": err.Error()}
		maps.Copy(logged, fields)
		tflog.Debug(ctx, "DTS action family does not know the job or the action; trying the other family", logged)
		tried = append(tried, err.Error())
	}
	return "", nil
}

func tryActions(ctx context.Context, c *dtsclient.Client, order []dtsclient.Family, what string, fields map[string]any,
	call func(dtsclient.JobActions) error) (dtsclient.Family, error) {
	return tryFamilies(ctx, order, what, fields, func(f dtsclient.Family) error {
		a, err := c.Actions(f)
		if err != nil {
			return noFallback{err}
		}
		return call(a)
	})
}

// perJob runs one action on a job and remembers the family that served it.
func (j *familyJobs) perJob(ctx context.Context, ref dtsclient.JobRef, what string, call func(dtsclient.JobActions) error) error {
	c, err := j.client(ref.RegionID)
	if err != nil {
		return err
	}
	fields := map[string]any{"job_id": ref.JobID, "dts_job_id": ref.DtsJobID, "direction": ref.Direction}
	f, err := tryActions(ctx, c, j.families(ref), what, fields, call)
	if err != nil {
		return err
	}
	fields["action"], fields["family"], fields["api"] = what, familyName(f), j.mode
	if j.remember(ref, f) {
		tflog.Debug(ctx, "DTS action family chosen for the job", fields)
	} else {
		tflog.Trace(ctx, "DTS action family served the job", fields)
	}
	return nil
}

func (j *familyJobs) MutationAction(ref dtsclient.JobRef) string {
	if j.families(ref)[0] == dtsclient.FamilySynchronizationJob {
		return "SuspendSynchronizationJob"
	}
	return "SuspendDtsJob"
}

func jobKeys(ref dtsclient.JobRef) []string {
	var keys []string
	if id := strings.TrimSpace(ref.JobID); id != "" {
		keys = append(keys, ref.RegionID+"/i/"+id)
	}
	if id := strings.TrimSpace(ref.DtsJobID); id != "" {
		keys = append(keys, ref.RegionID+"/t/"+id)
	}
	return keys
}

// remember records the family that served a job; it reports a change.
func (j *familyJobs) remember(ref dtsclient.JobRef, f dtsclient.Family) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	changed := false
	for _, k := range jobKeys(ref) {
		if j.served[k] != f {
			j.served[k] = f
			changed = true
		}
	}
	return changed
}

func (j *familyJobs) servedBy(ref dtsclient.JobRef) dtsclient.Family {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, k := range jobKeys(ref) {
		if f, ok := j.served[k]; ok {
			return f
		}
	}
	return ""
}

func (j *familyJobs) Directions(ctx context.Context, region string, jobIDs []string) ([]dtsclient.JobSummary, error) {
	c, err := j.client(region)
	if err != nil {
		return nil, err
	}
	var out []dtsclient.JobSummary
	f, err := tryFamilies(ctx, j.modeFamilies(), "list directions", map[string]any{"region": region, "jobs": len(jobIDs)},
		func(f dtsclient.Family) (err error) {
			if f == dtsclient.FamilySynchronizationJob {
				out, err = statusList(ctx, c, region, jobIDs)
			} else {
				out, err = j.directionsDtsJob(ctx, c, region, jobIDs)
			}
			return err
		})
	if err == nil && f == dtsclient.FamilyDtsJob {
		for _, d := range out {
			j.remember(dtsclient.JobRef{RegionID: region, JobID: d.JobID, DtsJobID: d.DtsJobID}, dtsclient.FamilyDtsJob)
		}
	}
	return out, err
}

// directionsDtsJob answers from a DescribeDtsJobs listing of the whole
// region, shared by the calls that arrive while it is read and within
// defaultListMaxAge after. When there is no fresh listing and a new one would
// take more calls than the jobs asked about need otherwise, they are read
// with DescribeSynchronizationJobStatusList (auto, 50 jobs a call) or one
// instance-filtered DescribeDtsJobs each instead.
func (j *familyJobs) directionsDtsJob(ctx context.Context, c *dtsclient.Client, region string, jobIDs []string) ([]dtsclient.JobSummary, error) {
	if fresh, pages := j.listingState(ctx, region, defaultListMaxAge); !fresh {
		pages = max(1, pages)
		j.mu.Lock()
		refused := j.legacyRefused[region]
		j.mu.Unlock()
		if j.mode == apiAuto && !refused && listingCalls(len(jobIDs), defaultBatchMaxIDs) < pages {
			out, err := statusList(ctx, c, region, jobIDs)
			if err == nil || !dtsclient.IsUnknownToFamily(err) && !listActionRefused(err) {
				return out, err
			}
			j.mu.Lock()
			j.legacyRefused[region] = true
			j.mu.Unlock()
		}
		if len(jobIDs) < pages || len(jobIDs) == 1 {
			var out []dtsclient.JobSummary
			for _, id := range jobIDs {
				jobs, err := c.ListAllDtsJobs(ctx, dtsclient.ListDtsJobsInput{RegionID: region, InstanceID: id})
				if err != nil {
					return nil, err
				}
				out = append(out, pickJobs(indexJobs(jobs), []string{id})...)
			}
			return out, nil
		}
	}
	l, err := j.listing(ctx, c, region, defaultListMaxAge, []dtsclient.Family{dtsclient.FamilyDtsJob})
	switch {
	case err != nil:
		return nil, err
	case l.family != dtsclient.FamilyDtsJob:
		// A plan read's listing fell back: DTS refused DescribeDtsJobs.
		return nil, l.refused
	}
	return pickJobs(l.jobs, jobIDs), nil
}

func (j *familyJobs) RegionJobs(ctx context.Context, region string, maxAge time.Duration,
	worth func(pages int) bool) (map[string]dtsclient.JobSummary, error) {
	c, err := j.client(region)
	if err != nil {
		return nil, err
	}
	if fresh, pages := j.listingState(ctx, region, maxAge); !fresh && !worth(pages) {
		return nil, nil
	}
	l, err := j.listing(ctx, c, region, maxAge, j.modeFamilies())
	if err != nil {
		return nil, err
	}
	return l.jobs, nil
}

func (j *familyJobs) Listed(region, jobID string, maxAge time.Duration) (dtsclient.JobSummary, bool) {
	j.mu.Lock()
	l := j.listings[region]
	fresh := j.freshLocked(context.Background(), l, maxAge)
	j.mu.Unlock()
	// One still being read does not answer: the batch waits for it.
	if !fresh || !closed(l.done) || l.err != nil || l.family != dtsclient.FamilyDtsJob {
		return dtsclient.JobSummary{}, false
	}
	sum, ok := l.jobs[jobID]
	return sum, ok && sum.Directions != nil
}

// statusList reads jobs with DescribeSynchronizationJobStatusList, 50 a
// call: their directions only.
func statusList(ctx context.Context, c *dtsclient.Client, region string, jobIDs []string) ([]dtsclient.JobSummary, error) {
	var out []dtsclient.JobSummary
	for len(jobIDs) > 0 {
		chunk := jobIDs[:min(len(jobIDs), defaultBatchMaxIDs)]
		jobIDs = jobIDs[len(chunk):]
		got, err := c.DescribeSynchronizationJobStatusList(ctx, region, chunk)
		if err != nil {
			return nil, err
		}
		for _, jd := range got {
			out = append(out, dtsclient.JobSummary{JobID: jd.JobID, DtsJobID: jd.DtsJobID, Directions: jd.Directions})
		}
	}
	return out, nil
}

// listingState reports whether the region has a listing that may answer
// (freshLocked) and how many calls a new one takes by the size of the last
// (0 before any).
func (j *familyJobs) listingState(ctx context.Context, region string, maxAge time.Duration) (fresh bool, pages int) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if n, ok := j.sizes[region]; ok {
		pageSize := dtsclient.DefaultDtsJobsPageSize
		if j.modeFamilies()[0] == dtsclient.FamilySynchronizationJob {
			pageSize = dtsclient.DefaultPageSize
		}
		pages = listingCalls(n, pageSize)
	}
	return j.freshLocked(ctx, j.listings[region], maxAge), pages
}

// listingCalls is the one rule that prices a listing against per-job reads:
// a listing of n jobs takes one call per page of pageSize, and at least one.
func listingCalls(n, pageSize int) int {
	return max(1, (n+pageSize-1)/pageSize)
}

func (j *familyJobs) setSize(region string, n int) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.sizes[region] = n
}

// freshLocked reports whether a listing may answer: younger than maxAge and
// started no earlier than the caller asked (withListingSince).
func (j *familyJobs) freshLocked(ctx context.Context, l *regionListing, maxAge time.Duration) bool {
	if l == nil || j.now().Sub(l.at) >= maxAge {
		return false
	}
	since, ok := ctx.Value(listingSinceKey{}).(time.Time)
	return !ok || !l.at.Before(since)
}

type listingSinceKey struct{}

// withListingSince makes Directions answer from a listing that started at
// since or later: a poll must not be answered by a listing read before the
// poll was due.
func withListingSince(ctx context.Context, since time.Time) context.Context {
	return context.WithValue(ctx, listingSinceKey{}, since)
}

// listing waits for the region's current listing, starting one in the
// families of order when there is no fresh one or it failed.
func (j *familyJobs) listing(ctx context.Context, c *dtsclient.Client, region string, maxAge time.Duration,
	order []dtsclient.Family) (*regionListing, error) {
	j.mu.Lock()
	l := j.listings[region]
	if !j.freshLocked(ctx, l, maxAge) || closed(l.done) && l.err != nil {
		l = &regionListing{at: j.now(), done: make(chan struct{})}
		j.listings[region] = l
		go j.list(ctx, c, region, order, l)
	}
	j.mu.Unlock()
	select {
	case <-l.done:
		return l, l.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// list reads listing l. It serves several callers, so none of their
// cancellations ends it.
func (j *familyJobs) list(ctx context.Context, c *dtsclient.Client, region string, order []dtsclient.Family, l *regionListing) {
	defer close(l.done)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), defaultBatchCallTimeout)
	defer cancel()
	var jobs []dtsclient.JobSummary
	l.family, l.err = tryActions(ctx, c, order, "list region", map[string]any{"region": region}, func(a dtsclient.JobActions) (err error) {
		jobs, err = a.ListJobs(ctx, dtsclient.ListJobsInput{RegionID: region})
		if err != nil && a.Family() == dtsclient.FamilyDtsJob {
			l.refused = err
		}
		return err
	})
	if l.err != nil {
		return
	}
	l.jobs = indexJobs(jobs)
	j.setSize(region, len(jobs))
	tflog.Debug(ctx, "listed the region's jobs", map[string]any{"region": region, "jobs": len(jobs), "family": familyName(l.family)})
}

func closed(done <-chan struct{}) bool {
	select {
	case <-done:
		return true
	default:
		return false
	}
}

func indexJobs(jobs []dtsclient.JobSummary) map[string]dtsclient.JobSummary {
	m := make(map[string]dtsclient.JobSummary, len(jobs))
	for _, s := range jobs {
		if _, dup := m[s.JobID]; !dup && s.JobID != "" {
			m[s.JobID] = s
		}
	}
	return m
}

func pickJobs(m map[string]dtsclient.JobSummary, jobIDs []string) []dtsclient.JobSummary {
	out := make([]dtsclient.JobSummary, 0, len(jobIDs))
	for _, id := range jobIDs {
		if s, ok := m[id]; ok {
			out = append(out, s)
		}
	}
	return out
}

func (j *familyJobs) List(ctx context.Context, in dtsclient.ListJobsInput) ([]dtsclient.JobSummary, error) {
	c, err := j.client(in.RegionID)
	if err != nil {
		return nil, err
	}
	var jobs []dtsclient.JobSummary
	_, err = tryActions(ctx, c, j.modeFamilies(), "list", map[string]any{"region": in.RegionID}, func(a dtsclient.JobActions) (err error) {
		jobs, err = a.ListJobs(ctx, in)
		if err == nil && a.Family() == dtsclient.FamilyDtsJob && in.Name == "" && len(in.Tags) == 0 {
			j.setSize(in.RegionID, len(jobs)) // a whole-region listing prices the next one
		}
		return err
	})
	return jobs, err
}

// ListPages reads DescribeDtsJobs pages (100 jobs, newest first), whose jobs
// carry their directions, in the maintained family, and in the legacy one
// DescribeSynchronizationJobs pages (30 jobs), each followed by one
// DescribeSynchronizationJobStatusList call for the page's kept jobs. Only a
// first page may fall back: starting over later would pass jobs on twice.
func (j *familyJobs) ListPages(ctx context.Context, region string, keep func(dtsclient.JobSummary) bool,
	page func([]dtsclient.JobSummary) bool) error {
	c, err := j.client(region)
	if err != nil {
		return err
	}
	// A job created while paging shifts the pages; its repeat is skipped.
	seen := map[string]bool{}
	_, err = tryFamilies(ctx, j.modeFamilies(), "list pages", map[string]any{"region": region}, func(f dtsclient.Family) error {
		legacy, size := f == dtsclient.FamilySynchronizationJob, dtsclient.DefaultDtsJobsPageSize
		if legacy {
			size = dtsclient.DefaultPageSize
		}
		return dtsclient.PageThrough(1, size, func(n int) (p *dtsclient.ListJobsPage, err error) {
			if legacy {
				return c.DescribeSynchronizationJobs(ctx, dtsclient.ListJobsInput{RegionID: region, PageSize: size, PageNumber: n})
			}
			if p, err = c.DescribeDtsJobs(ctx, dtsclient.ListDtsJobsInput{RegionID: region, PageSize: size, PageNumber: n,
				NewestFirst: true}); err != nil && n > 1 {
				return nil, noFallback{err}
			}
			return p, err
		}, func(jobs []dtsclient.JobSummary) (bool, error) {
			var kept []dtsclient.JobSummary
			for _, s := range jobs {
				if !seen[s.JobID] && keep(s) {
					seen[s.JobID] = true
					s.Directions = orderedDirections(s.Directions)
					kept = append(kept, s)
				}
			}
			var err error
			if legacy {
				kept, err = legacyDirections(ctx, c, region, kept)
			}
			return err == nil && (len(kept) == 0 || page(kept)), err
		})
	})
	return err
}

// legacyDirections sets the Directions of jobs from
// DescribeSynchronizationJobStatusList. A job the answer lists without
// directions gets its Forward status from the job list; a job the answer
// leaves out (deleted since it was listed) is dropped.
func legacyDirections(ctx context.Context, c *dtsclient.Client, region string, jobs []dtsclient.JobSummary) ([]dtsclient.JobSummary, error) {
	if len(jobs) == 0 {
		return nil, nil
	}
	ids := make([]string, 0, len(jobs))
	for _, s := range jobs {
		ids = append(ids, s.JobID)
	}
	answer, err := statusList(ctx, c, region, ids)
	if err != nil {
		return nil, err
	}
	listed := map[string][]dtsclient.DirectionStatus{}
	for _, jd := range answer {
		listed[jd.JobID] = append(listed[jd.JobID], orderedDirections(jd.Directions)...)
	}
	out := jobs[:0]
	for _, s := range jobs {
		ds, ok := listed[s.JobID]
		switch {
		case !ok:
			tflog.Debug(ctx, "job listed but missing from the status list answer; skipped", map[string]any{"job_id": s.JobID})
			continue
		case len(ds) == 0:
			ds = []dtsclient.DirectionStatus{{Direction: dtsclient.DirectionForward, Status: s.Status}}
		}
		s.Directions = ds
		out = append(out, s)
	}
	return out, nil
}

// orderedDirections puts Forward before Reverse, spelled so, and drops any
// other direction.
func orderedDirections(ds []dtsclient.DirectionStatus) []dtsclient.DirectionStatus {
	var out []dtsclient.DirectionStatus
	for _, want := range []string{dtsclient.DirectionForward, dtsclient.DirectionReverse} {
		for _, d := range ds {
			if dtsclient.CanonicalDirection(d.Direction) == want {
				d.Direction = want
				out = append(out, d)
				break
			}
		}
	}
	return out
}

// familyName is how messages and logs name a family: by the api value.
func familyName(f dtsclient.Family) string {
	if f == dtsclient.FamilySynchronizationJob {
		return apiSynchronizationJob
	}
	return apiDtsJob
}
