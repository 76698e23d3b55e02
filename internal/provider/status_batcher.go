package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
)

// Batching of reads. DTS limits calls per account and region, and Terraform
// works on up to -parallelism (default 10) resources at once, so the reads
// of one region that arrive close together are answered by one call: the
// status reads of refresh and of every wait by
// DescribeSynchronizationJobStatusList (or a DescribeDtsJobs listing), the
// plan-time reads of creates by a region listing (sharedJobs.PlanStatus).
const (
	// defaultBatchDebounce is how long a batch waits after its latest read
	// for another one. Terraform starts the reads of a wave within a few
	// milliseconds of each other (an RPC over a local socket each), so a
	// quiet gap of this length means the wave is in; a lone read pays it once.
	defaultBatchDebounce = 15 * time.Millisecond
	// defaultBatchMaxWait bounds a batch's wait from its first read, so that
	// a steady trickle of reads cannot hold it open.
	defaultBatchMaxWait = 100 * time.Millisecond
	// defaultBatchMaxIDs caps the job IDs of one call. The API documents no
	// limit for SynchronizationJobIdListJsonStr (unconfirmed); 50 keeps the
	// request small (about 1 KB of IDs), matches a page size the legacy list
	// action accepts, and is well above a typical -parallelism.
	defaultBatchMaxIDs = 50
	// defaultBatchCallTimeout bounds one batched call, retries included,
	// since it runs on no caller's context. Its callers then read on their own.
	defaultBatchCallTimeout = 2 * time.Minute
)

// errBatchUnavailable tells the caller that the batched call failed (or is
// not permitted), so it must read the job on its own.
var errBatchUnavailable = errors.New("batched read unavailable")

// batcher coalesces the reads of one lane (a region) that arrive close
// together into one call. Reads are keyed by job ID; fetch answers a set of
// them, leaving out the jobs it does not know. A providerData owns its
// batchers, so batches never mix credentials or endpoints.
type batcher struct {
	fetch   func(ctx context.Context, lane laneKey, ids []string) (map[string]dtsclient.JobSummary, error)
	what    string        // the call, for logs
	window  time.Duration // the quiet time after the latest read that sends a batch
	maxWait time.Duration // the longest a batch waits from its first read
	maxIDs  int
	timeout time.Duration
	// afterFunc schedules the sending of a batch; tests replace it to send
	// batches when they say (see status_batcher_test.go).
	afterFunc func(d time.Duration, f func()) (stop func() bool)
	now       func() time.Time

	mu    sync.Mutex
	lanes map[laneKey]*batchLane
}

// laneKey names a lane: the reads of one region that one call may answer.
type laneKey struct {
	region string
	age    listingAge // status reads only
}

// listingAge says which region listing may answer a status read
// (familyJobs.Directions): any fresh one for a refresh, and for a poll,
// which waits for a change an older listing would not show, one started no
// earlier than its batch opened (less pollListingSlack). A plan read
// (planListing) needs the job's name and pay type too, which only a region
// listing carries in both families (sharedJobs.planList).
type listingAge int

const (
	anyFreshListing listingAge = iota
	listingAfterBatch
	planListing
)

// pollListingSlack lets a poll use a listing that started this much before
// its batch opened: two batches of one tick start at nearly the same time.
const pollListingSlack = 50 * time.Millisecond

// batchLane is the batching state of one lane.
type batchLane struct {
	key  laneKey
	open *batch // the batch collecting reads, nil when none
	// disabled is set when DTS refuses the call itself (RAM policy, unknown
	// action): every later read of the lane goes single at once.
	disabled error
}

// batch is one call's worth of reads.
type batch struct {
	ids     []string       // distinct job IDs, in arrival order
	waiters map[string]int // callers still waiting, per job ID
	callers int            // callers still waiting in total
	opened  time.Time
	sent    bool
	gen     int         // bumped on every read, so that only the latest timer sends
	stop    func() bool // the pending timer
	logCtx  context.Context
	cancel  context.CancelFunc

	done   chan struct{}
	result map[string]dtsclient.JobSummary // valid once done is closed
	err    error                           // valid once done is closed
}

func newBatcher(what string, fetch func(ctx context.Context, lane laneKey, ids []string) (map[string]dtsclient.JobSummary, error)) *batcher {
	return &batcher{
		fetch:   fetch,
		what:    what,
		window:  defaultBatchDebounce,
		maxWait: defaultBatchMaxWait,
		maxIDs:  defaultBatchMaxIDs,
		timeout: defaultBatchCallTimeout,
		afterFunc: func(d time.Duration, f func()) func() bool {
			return time.AfterFunc(d, f).Stop
		},
		now:   time.Now,
		lanes: map[laneKey]*batchLane{},
	}
}

// get returns what the next call for the lane says about a job. found is
// false when the answer leaves the job out; the caller then reads it on its
// own. An error wrapping errBatchUnavailable means the call failed, and the
// caller reads the job on its own; any other error is ctx's.
func (b *batcher) get(ctx context.Context, key laneKey, jobID string) (dtsclient.JobSummary, bool, error) {
	var zero dtsclient.JobSummary
	if err := ctx.Err(); err != nil {
		return zero, false, err
	}
	b.mu.Lock()
	lane := b.lanes[key]
	if lane == nil {
		lane = &batchLane{key: key}
		b.lanes[key] = lane
	}
	if lane.disabled != nil {
		err := lane.disabled
		b.mu.Unlock()
		return zero, false, fmt.Errorf("%w: %w", errBatchUnavailable, err)
	}
	bt := lane.open
	if bt == nil {
		bt = &batch{waiters: map[string]int{}, opened: b.now(), logCtx: ctx, done: make(chan struct{})}
		lane.open = bt
	}
	if _, ok := bt.waiters[jobID]; !ok {
		bt.ids = append(bt.ids, jobID)
	}
	bt.waiters[jobID]++
	bt.callers++
	// A listing answers the whole region, so a plan batch needs no cap.
	if key.age != planListing && len(bt.ids) >= b.maxIDs {
		b.sendLocked(lane, bt)
	} else {
		b.armLocked(lane, bt)
	}
	b.mu.Unlock()

	select {
	case <-bt.done:
		if bt.err != nil {
			return zero, false, fmt.Errorf("%w: %w", errBatchUnavailable, bt.err)
		}
		v, ok := bt.result[jobID]
		return v, ok, nil
	case <-ctx.Done():
		b.leave(bt, jobID)
		return zero, false, ctx.Err()
	}
}

// armLocked (re)schedules the sending of a batch: window after this read,
// but no later than maxWait after the batch's first read.
func (b *batcher) armLocked(lane *batchLane, bt *batch) {
	if bt.stop != nil {
		bt.stop()
	}
	bt.gen++
	gen := bt.gen
	wait := b.window
	if left := b.maxWait - b.now().Sub(bt.opened); left < wait {
		wait = max(left, 0)
	}
	bt.stop = b.afterFunc(wait, func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		if bt.gen == gen {
			b.sendLocked(lane, bt)
		}
	})
}

// sendLocked closes the batch to new reads and makes the call in the
// background. It does nothing for a batch already sent.
func (b *batcher) sendLocked(lane *batchLane, bt *batch) {
	if bt.sent {
		return
	}
	bt.sent = true
	if bt.stop != nil {
		bt.stop()
	}
	if lane.open == bt {
		lane.open = nil
	}
	// Callers that gave up before the call are left out of it.
	ids := make([]string, 0, len(bt.ids))
	for _, id := range bt.ids {
		if bt.waiters[id] > 0 {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		close(bt.done)
		return
	}
	// The call serves every caller of the batch, so no single caller's
	// cancellation may end it; it ends when all of them have left.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(bt.logCtx), b.timeout)
	if lane.key.age == listingAfterBatch {
		ctx = withListingSince(ctx, bt.opened.Add(-pollListingSlack))
	}
	bt.cancel = cancel
	go b.call(ctx, lane, bt, ids)
}

// call makes the batched call, retrying it once when the failure may pass.
// The client has already retried retryable errors; one more attempt covers
// a failure that outlasted its retries. A rejection (such as an invalid ID)
// would only repeat, so the callers read on their own instead.
func (b *batcher) call(ctx context.Context, lane *batchLane, bt *batch, ids []string) {
	defer bt.cancel()
	result, err := b.fetch(ctx, lane.key, ids)
	if err != nil && dtsclient.IsRetryable(err) && ctx.Err() == nil {
		tflog.Debug(ctx, "batched "+b.what+" failed; retrying once", map[string]any{"region": lane.key.region, "jobs": len(ids), "error": err.Error()})
		result, err = b.fetch(ctx, lane.key, ids)
	}
	if err != nil {
		fields := map[string]any{"region": lane.key.region, "jobs": len(ids), "error": err.Error()}
		if listActionRefused(err) {
			tflog.Warn(ctx, "DTS refuses the batched "+b.what+"; reading each job on its own for the rest of this run", fields)
			b.mu.Lock()
			lane.disabled = err
			b.mu.Unlock()
		} else {
			tflog.Warn(ctx, "batched "+b.what+" failed; reading each job on its own", fields)
		}
		bt.err = err
		close(bt.done)
		return
	}
	tflog.Debug(ctx, "batched "+b.what, map[string]any{"region": lane.key.region, "jobs": len(ids), "listed": len(result)})
	bt.result = result
	close(bt.done)
}

// leave records that a caller stopped waiting; when none is left, the call
// in flight is cancelled.
func (b *batcher) leave(bt *batch, jobID string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	bt.waiters[jobID]--
	bt.callers--
	if bt.callers == 0 && bt.cancel != nil {
		bt.cancel()
	}
}

// statusLister is a batched status call; tests may replace the client's.
type statusLister func(ctx context.Context, region string, jobIDs []string) ([]dtsclient.JobSummary, error)

// statusBatcher coalesces the status reads of one region into one call per
// lane: jobAPI.Directions for refresh reads and the polls of waits, a
// region listing for plan reads (plan).
type statusBatcher struct {
	*batcher
	list, plan statusLister
	// listed answers a read from a listing already at hand, without
	// waiting for a batch (nil: never).
	listed func(region, jobID string, age listingAge) (dtsclient.JobSummary, bool)
}

func newStatusBatcher(list, plan statusLister) *statusBatcher {
	s := &statusBatcher{list: list, plan: plan}
	s.batcher = newBatcher("status read", func(ctx context.Context, lane laneKey, ids []string) (map[string]dtsclient.JobSummary, error) {
		read := s.list
		if lane.age == planListing {
			read = s.plan
		}
		jobs, err := read(ctx, lane.region, ids)
		if err != nil {
			return nil, err
		}
		m := make(map[string]dtsclient.JobSummary, len(jobs))
		for _, j := range jobs {
			if _, dup := m[j.JobID]; !dup {
				m[j.JobID] = j
			}
		}
		return m, nil
	})
	return s
}

// Get returns the status of one direction of a job as the next batched call
// for the region reports it from a listing of the given age (see
// batcher.get), with the job's name and pay type when the answer carries
// them; found is false also when the answer lists the job without the
// direction.
func (s *statusBatcher) Get(ctx context.Context, region, jobID, direction string, age listingAge) (dtsclient.JobStatus, bool, error) {
	job, found := dtsclient.JobSummary{}, false
	if s.listed != nil {
		job, found = s.listed(region, jobID, age)
	}
	if !found {
		var err error
		if job, found, err = s.get(ctx, laneKey{region: region, age: age}, jobID); err != nil || !found {
			return dtsclient.JobStatus{}, false, err
		}
	}
	d, ok := pickDirection(job.JobDirections(), direction)
	// A listing may give the checkpoint for the job rather than for its
	// first direction.
	if d.Checkpoint == 0 && d.Direction != dtsclient.DirectionReverse {
		d.Checkpoint = job.Checkpoint
	}
	return dtsclient.JobStatus{JobID: jobID, DtsJobID: d.DtsJobID, Direction: d.Direction, Status: d.Status, Checkpoint: d.Checkpoint,
		Delay: d.Delay, DelayReported: d.DelayReported, Name: job.Name, PayType: job.PayType}, ok, nil
}

// pickDirection finds one direction of a listed job.
func pickDirection(job dtsclient.JobDirections, direction string) (dtsclient.DirectionStatus, bool) {
	if direction == "" {
		direction = dtsclient.DirectionForward
	}
	for _, d := range job.Directions {
		// A one-way job may list its only direction without a name.
		if dtsclient.CanonicalDirection(d.Direction) == direction || d.Direction == "" && direction == dtsclient.DirectionForward && len(job.Directions) == 1 {
			d.Direction = direction
			return d, true
		}
	}
	return dtsclient.DirectionStatus{}, false
}

// listActionRefused reports an error that says the caller may not use the
// list action at all (a RAM policy that allows only the single read, or an
// endpoint without the action), as opposed to one about the request.
func listActionRefused(err error) bool {
	var ae *dtsclient.APIError
	if !errors.As(err, &ae) || dtsclient.IsNotFound(err) {
		return false
	}
	code := strings.ToLower(ae.Code)
	for _, c := range []string{"forbidden.ram", "forbidden.accessdenied", "nopermission", "accessdenied", "invalidapi.notfound", "invalidaction", "unsupportedoperation"} {
		if strings.Contains(code, c) {
			return true
		}
	}
	return false
}
