package provider

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

// sharedJobs is the jobAPI the resource reads through: it adds the reads
// that resources of one region share, so that hundreds of them refreshing,
// waiting or planning together cost a few calls per tick instead of one each.
// Refreshes and polls share jobAPI.Directions calls, plan reads of creates a
// region listing (planList); each falls back to jobAPI.Describe for a job
// the shared answer lacks, a status whose error message matters, and when
// batching is off.
type sharedJobs struct {
	jobAPI
	statuses *statusBatcher // nil when batch_status_reads = false

	mu     sync.Mutex
	demand map[string]*planDemand // per region
	// planned is the status each create's plan read last, by job and
	// direction: apply re-plans a create just before it creates it, in the
	// same provider process, so Create can act on it without reading again.
	planned map[string]plannedStatus
	// names are the name and pay type of each job read so far, by region
	// and instance ID: a poll whose shared answer has none (the legacy
	// DescribeSynchronizationJobStatusList) takes them from here.
	names map[string]jobNames
	now   func() time.Time // the clock of the plan reads' demand (worthListing)
}

type jobNames struct{ name, payType string }

type plannedStatus struct {
	status dtsclient.Status
	at     time.Time
}

// plannedMaxAge bounds how old a plan read may be for Create to act on it.
const plannedMaxAge = 30 * time.Second

// planListingMaxAge is how long one listing answers plan-time reads. A plan
// of hundreds of creates takes seconds, and what it shows is checked again by
// apply, which reads the job before it acts or acts and reads the answer.
const planListingMaxAge = 10 * time.Second

type planDemand struct {
	since  time.Time
	reads  int
	listed time.Time // when these reads last made a listing
}

func newSharedJobs(api jobAPI, batching bool) *sharedJobs {
	s := &sharedJobs{jobAPI: api, demand: map[string]*planDemand{}, planned: map[string]plannedStatus{}, names: map[string]jobNames{},
		now: time.Now}
	if batching {
		s.statuses = newStatusBatcher(api.Directions, s.planList)
		s.statuses.listed = api.Listed
	}
	return s
}

// Describe reads one direction on its own, remembering the job's names.
func (s *sharedJobs) Describe(ctx context.Context, ref dtsclient.JobRef) (*dtsclient.JobStatus, error) {
	st, err := s.jobAPI.Describe(ctx, ref)
	if err == nil {
		s.withNames(ref.RegionID, st)
	}
	return st, err
}

// Suspend pauses the direction and tells the batcher that its wait will
// poll it soon (statusBatcher.Expect).
func (s *sharedJobs) Suspend(ctx context.Context, ref dtsclient.JobRef) error {
	return s.expectPoll(ref, s.jobAPI.Suspend(ctx, ref))
}

// Start resumes the direction, as Suspend pauses it.
func (s *sharedJobs) Start(ctx context.Context, ref dtsclient.JobRef) error {
	return s.expectPoll(ref, s.jobAPI.Start(ctx, ref))
}

// expectPoll passes err on; a call that DTS accepted, or may have carried
// out, is followed by a poll of the job.
func (s *sharedJobs) expectPoll(ref dtsclient.JobRef, err error) error {
	if s.statuses != nil && strings.TrimSpace(ref.JobID) != "" && (err == nil || dtsclient.MayHaveRun(err)) {
		s.statuses.Expect(ref.RegionID, ref.JobID)
	}
	return err
}

// withNames completes st with the job's name and pay type, or remembers
// them when st has them, and reports whether st now carries them.
func (s *sharedJobs) withNames(region string, st *dtsclient.JobStatus) bool {
	key := region + "\x00" + st.JobID
	s.mu.Lock()
	defer s.mu.Unlock()
	if st.Name != "" || st.PayType != "" {
		if st.JobID != "" {
			s.names[key] = jobNames{name: st.Name, payType: st.PayType}
		}
		return true
	}
	n, ok := s.names[key]
	st.Name, st.PayType = n.name, n.payType
	return ok
}

// batched reads ref in the lane of age; ok is false when ref must be read
// on its own: batching is off, ref has no instance ID, the batched call
// failed, or its answer lacks the job or the direction.
func (s *sharedJobs) batched(ctx context.Context, ref dtsclient.JobRef, age listingAge) (st dtsclient.JobStatus, ok bool, err error) {
	if s.statuses == nil || strings.TrimSpace(ref.JobID) == "" {
		return st, false, nil
	}
	st, ok, err = s.statuses.Get(ctx, ref.RegionID, ref.JobID, ref.Direction, age)
	if errors.Is(err, errBatchUnavailable) {
		return st, false, nil
	}
	return st, ok, err
}

// PollStatus reads one direction's status while it waits for a transition,
// always with the job's name and pay type: a shared answer that lacks them
// takes them from an earlier read, else from a region listing, else the
// direction is read on its own.
func (s *sharedJobs) PollStatus(ctx context.Context, ref dtsclient.JobRef) (*dtsclient.JobStatus, error) {
	st, ok, err := s.batched(ctx, ref, listingAfterBatch)
	switch {
	case err != nil:
		return nil, err
	case !ok || !st.Status.IsSteady() && !st.Status.IsTransitional():
		// A failure's message comes only with the single read.
		return s.Describe(ctx, ref)
	}
	if st.DtsJobID == "" {
		st.DtsJobID = ref.DtsJobID
	}
	st.Direction = ref.Direction
	if !s.withNames(ref.RegionID, &st) {
		// The polls of many jobs that lack names share a region listing for
		// them (the plan reads' lane) when one costs fewer calls.
		named, ok, err := s.batched(ctx, ref, planListing)
		switch {
		case err != nil:
			return nil, err
		case !ok || named.Name == "" && named.PayType == "":
			return s.Describe(ctx, ref)
		}
		st.Name, st.PayType = named.Name, named.PayType
		s.withNames(ref.RegionID, &st)
	}
	return &st, nil
}

// PlanStatus reads one direction with its job's name and pay type, for the
// plan of a create, and remembers the status for Create (PlannedStatus).
func (s *sharedJobs) PlanStatus(ctx context.Context, ref dtsclient.JobRef) (*dtsclient.JobStatus, error) {
	var batched dtsclient.JobStatus
	ok, err := false, error(nil)
	// A family that cannot read a job by task ID lists none either (the
	// legacy one), so its plan reads are single reads from the start.
	if s.ReadsByTaskID() {
		batched, ok, err = s.batched(ctx, ref, planListing)
	}
	st := &batched
	switch {
	case err != nil:
		return nil, err
	// The unsteady warning quotes the direction's own error message, and the
	// plan shows the task ID, which a legacy listing lacks.
	case !ok || !st.Status.IsSteady() || st.DtsJobID == "":
		if st, err = s.Describe(ctx, ref); err != nil {
			return st, err
		}
	}
	s.withNames(ref.RegionID, st)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.planned[plannedKey(ref)] = plannedStatus{status: st.Status, at: time.Now()}
	return st, nil
}

func plannedKey(ref dtsclient.JobRef) string {
	return ref.RegionID + "\x00" + ref.JobID + "\x00" + ref.Direction
}

// PlannedStatus returns, once, the status the plan of a create read for ref
// within plannedMaxAge, "" when there is none.
func (s *sharedJobs) PlannedStatus(ref dtsclient.JobRef) dtsclient.Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.planned[plannedKey(ref)]
	delete(s.planned, plannedKey(ref))
	if !ok || time.Since(p.at) > plannedMaxAge {
		return ""
	}
	return p.status
}

// planList answers a batch of plan reads from a region listing, with the
// per-direction statuses of jobs the listing has none for (the legacy
// family's). A batch of one, or one smaller than the listing's pages, is left
// to single reads, unless a fresh listing is at hand.
func (s *sharedJobs) planList(ctx context.Context, region string, ids []string) ([]dtsclient.JobSummary, error) {
	jobs, err := s.RegionJobs(ctx, region, planListingMaxAge, func(pages int) bool { return s.worthListing(region, len(ids), pages) })
	if err != nil || jobs == nil {
		return nil, err
	}
	var out []dtsclient.JobSummary
	var needDirections []string
	for _, id := range ids {
		if sum, ok := jobs[id]; ok && sum.Directions == nil {
			needDirections = append(needDirections, id)
		} else if ok {
			out = append(out, sum)
		}
	}
	if len(needDirections) == 0 {
		return out, nil
	}
	dirs, err := s.Directions(ctx, region, needDirections)
	if err != nil {
		return nil, err
	}
	for _, d := range dirs {
		sum := jobs[d.JobID]
		sum.Directions = d.Directions
		if d.DtsJobID != "" {
			sum.DtsJobID = d.DtsJobID
		}
		out = append(out, sum)
	}
	return out, nil
}

// worthListing reports whether the plan reads of a region, this batch of n
// and those of the last planListingMaxAge, would share a listing of pages
// calls (0: the region's size is not known yet) for fewer calls than they
// make alone. Apply's re-plans arrive one or two at a time, so the count
// spans batches.
//
// Plan reads whose last listing expired less than planListingMaxAge ago
// list again at once: apply's re-plans of hundreds of creates go on past a
// listing's age, and counting them up again would read the first of them
// singly.
func (s *sharedJobs) worthListing(region string, n, pages int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	d := s.demand[region]
	if d == nil || now.Sub(d.since) >= planListingMaxAge {
		var listed time.Time
		if d != nil {
			listed = d.listed
		}
		d = &planDemand{since: now, listed: listed}
		s.demand[region] = d
	}
	d.reads += n
	if pages == 0 && n < 2 || pages > 0 && d.reads <= pages && now.Sub(d.listed) >= 2*planListingMaxAge {
		return false
	}
	d.reads, d.listed = 0, now
	return true
}

// RefreshStatus reads what Read needs to refresh a resource. With batching on
// it takes the direction's status from the batcher and carries job_name and
// pay_type over from the prior state (the schema says so); it falls back to
// one single read (Describe), exactly as without batching, when:
//   - the prior state has no job_name or pay_type yet (after an import);
//   - the batched call failed, or its answer does not list the job or the
//     direction (the single read then confirms that the job is gone);
//   - the status is not steady (the warning needs the job's ErrorMessage);
//   - the status changed since the last refresh;
//   - the direction is paused, suspended_at is not known yet, and the answer
//     carries no checkpoint to estimate it from;
//   - the direction is PostPaid and has been paused for quietBillingFor or
//     longer, so a plan warns about billing and pay_type must be current.
func (s *sharedJobs) RefreshStatus(ctx context.Context, ref dtsclient.JobRef, prior *synchronizationJobStateModel,
	now time.Time) (st *dtsclient.JobStatus, fresh bool, err error) {
	single := func() (*dtsclient.JobStatus, bool, error) {
		st, err := s.Describe(ctx, ref)
		return st, true, err
	}
	if s.statuses == nil || !wasRead(prior.PayType) || !wasRead(prior.JobName) {
		return single()
	}
	ds, found, err := s.statuses.Get(ctx, ref.RegionID, ref.JobID, ref.Direction, anyFreshListing)
	switch {
	case errors.Is(err, errBatchUnavailable):
		return single()
	case err != nil:
		// The caller's context ended.
		return nil, false, err
	case !found:
		tflog.Debug(ctx, "job not in the batched answer; confirming with a single read", map[string]any{"job_id": ref.JobID, "direction": ref.Direction})
		return single()
	}
	if !ds.Status.IsSteady() || ds.Status.String() != prior.Status.ValueString() ||
		ds.Status.IsPaused() && ds.Checkpoint <= 0 && prior.SuspendedAt.ValueString() == "" ||
		ds.Status.IsPaused() && prior.PayType.ValueString() == "PostPaid" && pausedFor(prior.SuspendedAt, now) >= quietBillingFor {
		return single()
	}
	return &dtsclient.JobStatus{JobID: ref.JobID, DtsJobID: ref.DtsJobID, Direction: ref.Direction, Status: ds.Status,
		Checkpoint: ds.Checkpoint, PayType: prior.PayType.ValueString(), Name: prior.JobName.ValueString()}, false, nil
}

// pausedFor is how long ago suspended_at was; 0 when it is not known.
func pausedFor(suspendedAt types.String, now time.Time) time.Duration {
	t, err := time.Parse(time.RFC3339, suspendedAt.ValueString())
	if err != nil {
		return 0
	}
	return now.Sub(t)
}

// isOneWay reports whether DTS lists the job without a Reverse direction.
func isOneWay(ctx context.Context, jobs jobAPI, ref dtsclient.JobRef) bool {
	listed, err := jobs.Directions(ctx, ref.RegionID, []string{ref.JobID})
	if err != nil {
		return false
	}
	for _, j := range listed {
		if j.JobID == ref.JobID {
			return !j.HasReverse()
		}
	}
	return false
}
