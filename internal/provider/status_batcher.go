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

// DTS limits calls per account and region, and Terraform works on up to
// -parallelism resources at once, so the reads of one region that arrive
// close together are answered by one call.
const (
	// defaultBatchDebounce is how long a batch waits after its latest read
	// for another one. Terraform starts the reads of a wave within a few
	// milliseconds of each other, so a quiet gap this long means the wave is
	// in; a lone read pays it once.
	defaultBatchDebounce = 15 * time.Millisecond
	// defaultBatchMaxWait bounds a batch's wait from its first read, so that
	// a steady trickle of reads cannot hold it open.
	defaultBatchMaxWait = 100 * time.Millisecond
	// defaultBatchMaxIDs caps the job IDs of one call. The API documents no
	// limit (unconfirmed); 50 keeps the request small, is a page size the
	// legacy list action accepts, and is well above a typical -parallelism.
	defaultBatchMaxIDs = 50
	// defaultBatchCallTimeout bounds one batched call, retries included,
	// since it runs on no caller's context.
	defaultBatchCallTimeout = 2 * time.Minute
	// defaultWaveMaxWait bounds how long a wave of polls waits from its first
	// poll for the polls it expects. The first poll after a Suspend or Start
	// comes within pollMinInterval, on the grid of pollDelay, so polls of
	// calls made up to this long apart join one wave.
	defaultWaveMaxWait = 900 * time.Millisecond
	// expectedPollWithin is how long after a Suspend or Start its wait's
	// first poll is expected: the first poll interval, and a grid step for a
	// slow machine. An expectation no poll meets lapses then.
	expectedPollWithin = pollMinInterval + pollGridBase
)

// errBatchUnavailable says the batched call failed or is refused: the
// caller reads the job on its own.
var errBatchUnavailable = errors.New("batched read unavailable")

// laneKey names a lane: the reads of one region that one call may answer.
type laneKey struct {
	region string
	age    listingAge
}

// listingAge says which region listing may answer a read: any fresh one for
// a refresh, and for a poll, which waits for a change an older listing would
// not show, one started no earlier than its batch opened (less
// pollListingSlack). A plan read needs the job's name and pay type too,
// which only a region listing carries in both families (sharedJobs.planList).
type listingAge int

const (
	anyFreshListing listingAge = iota
	listingAfterBatch
	planListing
)

// maxAge is how old a listing at hand may be to answer a read without a
// batch; 0 for a poll.
func (a listingAge) maxAge() time.Duration {
	switch a {
	case anyFreshListing:
		return defaultListMaxAge
	case planListing:
		return planListingMaxAge
	}
	return 0
}

// pollListingSlack lets a poll use a listing that started this much before
// its batch opened: two batches of one tick start at nearly the same time.
const pollListingSlack = 50 * time.Millisecond

// statusLister answers the reads of a batch, leaving out the jobs it does not know.
type statusLister func(ctx context.Context, region string, jobIDs []string) ([]dtsclient.JobSummary, error)

// statusBatcher coalesces the reads of a lane that arrive close together
// into one call: list (jobAPI.Directions) for refreshes and polls, plan (a
// region listing) for plan reads. A providerData owns it, so batches never
// mix credentials or endpoints.
type statusBatcher struct {
	list, plan statusLister
	// listed answers a read from a listing at hand, without a batch (nil: never).
	listed  func(region, jobID string, maxAge time.Duration) (dtsclient.JobSummary, bool)
	window  time.Duration // the quiet time after the latest read that sends a batch
	maxWait time.Duration // the longest a batch waits from its first read
	maxIDs  int
	// waveMaxWait bounds a poll batch's wait for the polls it expects.
	waveMaxWait time.Duration
	// afterFunc schedules the sending of a batch; tests send batches by hand.
	afterFunc func(d time.Duration, f func()) (stop func() bool)
	now       func() time.Time

	mu    sync.Mutex
	lanes map[laneKey]*batchLane
	// expected are the jobs whose wait will poll soon, by region: when each
	// expectation lapses (Expect).
	expected map[string]map[string]time.Time
}

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
	gen     int         // bumped on every read and on sending, so that only the latest timer sends
	wave    bool        // a poll batch holding a poll that Expect announced
	stop    func() bool // the pending timer
	logCtx  context.Context
	cancel  context.CancelFunc

	done   chan struct{}
	result map[string]dtsclient.JobSummary // valid once done is closed
	err    error                           // valid once done is closed
}

func newStatusBatcher(list, plan statusLister) *statusBatcher {
	return &statusBatcher{list: list, plan: plan, window: defaultBatchDebounce, maxWait: defaultBatchMaxWait, maxIDs: defaultBatchMaxIDs,
		waveMaxWait: defaultWaveMaxWait,
		afterFunc:   func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop },
		now:         time.Now, lanes: map[laneKey]*batchLane{}, expected: map[string]map[string]time.Time{}}
}

// Expect says that a wait will poll the job soon: a Suspend or Start of it
// was sent. Terraform sends those calls one by one as it works through the
// resources (and the client paces them), so their first polls fall due on
// different ticks of the poll grid; a poll batch that expects more polls
// waits for them (up to waveMaxWait) so that one call answers the wave.
func (b *statusBatcher) Expect(region, jobID string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	m := b.expected[region]
	if m == nil {
		m = map[string]time.Time{}
		b.expected[region] = m
	}
	m[jobID] = b.now().Add(expectedPollWithin)
}

// awaitedLocked is when the last poll that a poll batch of region still
// expects is due (zero when it expects none), after jobID's poll joined it:
// the batch becomes a wave when that poll was expected. It drops lapsed
// expectations and those of polls in bt.
func (b *statusBatcher) awaitedLocked(region, jobID string, bt *batch) time.Time {
	var last time.Time
	now := b.now()
	if until, ok := b.expected[region][jobID]; ok && until.After(now) {
		bt.wave = true
	}
	for id, until := range b.expected[region] {
		if _, in := bt.waiters[id]; in || !until.After(now) {
			delete(b.expected[region], id)
		} else if until.After(last) {
			last = until
		}
	}
	return last
}

// Get returns one direction of a job as a listing at hand or else the next
// batched call of its lane reports it, with the job's name and pay type when
// the answer carries them. found is false when the answer lacks the job or
// the direction; the caller then reads it on its own, as it does after an
// error wrapping errBatchUnavailable. Any other error is ctx's.
func (b *statusBatcher) Get(ctx context.Context, region, jobID, direction string, age listingAge) (dtsclient.JobStatus, bool, error) {
	job, found := dtsclient.JobSummary{}, false
	if b.listed != nil && age.maxAge() > 0 {
		job, found = b.listed(region, jobID, age.maxAge())
	}
	if !found {
		var err error
		if job, found, err = b.get(ctx, laneKey{region: region, age: age}, jobID); err != nil || !found {
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

// get waits for the lane's next call to answer for a job (see Get).
func (b *statusBatcher) get(ctx context.Context, key laneKey, jobID string) (dtsclient.JobSummary, bool, error) {
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
	switch {
	case key.age != planListing && len(bt.ids) >= b.maxIDs:
		b.sendLocked(lane, bt)
	case key.age == listingAfterBatch:
		b.armWaveLocked(lane, bt, jobID)
	default:
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
		b.mu.Lock()
		defer b.mu.Unlock()
		bt.waiters[jobID]--
		bt.callers--
		if bt.callers == 0 && bt.cancel != nil { // no caller is left for the call in flight
			bt.cancel()
		}
		return zero, false, ctx.Err()
	}
}

// armLocked (re)schedules the sending of a batch: window after this read,
// but no later than maxWait after the batch's first read.
func (b *statusBatcher) armLocked(lane *batchLane, bt *batch) {
	b.scheduleLocked(lane, bt, min(b.window, max(b.maxWait-b.now().Sub(bt.opened), 0)))
}

// scheduleLocked sends the batch after wait, unless a later read or the
// sending comes first.
func (b *statusBatcher) scheduleLocked(lane *batchLane, bt *batch, wait time.Duration) {
	if bt.stop != nil {
		bt.stop()
	}
	bt.gen++
	gen := bt.gen
	bt.stop = b.afterFunc(wait, func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		if bt.gen == gen {
			b.sendLocked(lane, bt)
		}
	})
}

// armWaveLocked schedules a poll batch. One that holds no expected poll is
// sent as any batch, so that the polls of long transitions are not held
// back. A wave is sent once every poll it expects is in (now, when this was
// the last), when the last expectation lapses, or waveMaxWait after its
// first poll, whichever comes first.
func (b *statusBatcher) armWaveLocked(lane *batchLane, bt *batch, jobID string) {
	last := b.awaitedLocked(lane.key.region, jobID, bt)
	switch {
	case !bt.wave:
		b.armLocked(lane, bt)
	case last.IsZero():
		b.sendLocked(lane, bt)
	default:
		b.scheduleLocked(lane, bt, min(last.Sub(b.now()), max(b.waveMaxWait-b.now().Sub(bt.opened), 0)))
	}
}

// sendLocked closes the open batch to new reads and makes the call in the
// background.
func (b *statusBatcher) sendLocked(lane *batchLane, bt *batch) {
	bt.gen++
	if bt.stop != nil {
		bt.stop()
	}
	lane.open = nil
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
	// cancellation may end it.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(bt.logCtx), defaultBatchCallTimeout)
	if lane.key.age == listingAfterBatch {
		ctx = withListingSince(ctx, bt.opened.Add(-pollListingSlack))
	}
	bt.cancel = cancel
	go b.call(ctx, lane, bt, ids)
}

// call makes the batched call, retrying it once when the failure may pass:
// the client has retried already, and one more attempt covers a failure that
// outlasted its retries. After a rejection the callers read on their own.
func (b *statusBatcher) call(ctx context.Context, lane *batchLane, bt *batch, ids []string) {
	defer bt.cancel()
	defer close(bt.done)
	read := b.list
	if lane.key.age == planListing {
		read = b.plan
	}
	fields := map[string]any{"region": lane.key.region, "jobs": len(ids)}
	jobs, err := read(ctx, lane.key.region, ids)
	if err != nil && dtsclient.IsRetryable(err) && ctx.Err() == nil {
		tflog.Debug(ctx, "batched status read failed; retrying once", map[string]any{"region": lane.key.region, "jobs": len(ids),
			"error": err.Error()})
		jobs, err = read(ctx, lane.key.region, ids)
	}
	if err != nil {
		fields["error"] = err.Error()
		if listActionRefused(err) {
			tflog.Warn(ctx, "DTS refuses the batched status read; reading each job on its own for the rest of this run", fields)
			b.mu.Lock()
			lane.disabled = err
			b.mu.Unlock()
		} else {
			tflog.Warn(ctx, "batched status read failed; reading each job on its own", fields)
		}
		bt.err = err
		return
	}
	bt.result = indexJobs(jobs)
	fields["listed"] = len(bt.result)
	tflog.Debug(ctx, "batched status read", fields)
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
