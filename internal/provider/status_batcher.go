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

// Batching of refresh reads. DTS limits status reads per account and region,
// and Terraform refreshes up to -parallelism (default 10) resources at once,
// so the reads that arrive together are answered by one
// DescribeSynchronizationJobStatusList call per region.
const (
	// defaultBatchWindow is how long the first read of a batch waits for
	// others while the batcher does not yet know how many reads run
	// together. Terraform starts the first wave of refreshes at once (each
	// is an UpgradeResourceState and a ReadResource RPC over a local
	// socket), so 25ms catches it and costs a single-resource plan little.
	defaultBatchWindow = 25 * time.Millisecond
	// defaultBatchMaxWait replaces the window once the batcher has seen how
	// many reads run together (the peak): a batch is then sent as soon as
	// that many wait, and otherwise after at most this long. After the first
	// waves Terraform's refreshes drift apart (each resource also plans, and
	// Terraform serializes part of that work), so the reads of one wave
	// arrive over tens of milliseconds; measured with the fake at
	// -parallelism=10, a 25ms window left batches of 3 to 4 reads (0.18 to
	// 0.30 calls per resource), while 100ms kept nearly all at 10 (0.10)
	// without slowing the plan, since full batches do not wait it out.
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
var errBatchUnavailable = errors.New("batched status read unavailable")

// statusLister is the batched call; tests may replace the client's.
type statusLister func(ctx context.Context, region string, jobIDs []string) ([]dtsclient.JobDirections, error)

// statusBatcher coalesces the per-direction status reads that arrive at the
// same time into one DescribeSynchronizationJobStatusList call per region. A
// providerData owns one, so batches never mix credentials or endpoints.
type statusBatcher struct {
	list    statusLister
	window  time.Duration // the wait before the peak is known
	maxWait time.Duration // the wait once it is
	maxIDs  int
	timeout time.Duration

	mu    sync.Mutex
	lanes map[string]*batchLane
}

// batchLane is the batching state of one region.
type batchLane struct {
	region string
	open   *statusBatch // the batch collecting reads, nil when none
	// active counts the callers inside Get; peak is the most seen at the
	// time a batch was sent, an estimate of how many reads Terraform runs
	// at once in this region.
	active int
	peak   int
	// disabled is set when DTS refuses the list action itself (RAM policy,
	// unknown action): every later read of the lane goes single at once.
	disabled error
}

// statusBatch is one window's worth of reads.
type statusBatch struct {
	ids     []string       // distinct job IDs, in arrival order
	waiters map[string]int // callers still waiting, per job ID
	callers int            // callers still waiting in total
	sent    bool
	timer   *time.Timer
	logCtx  context.Context // the opener's context, for its values (logging)
	cancel  context.CancelFunc

	done   chan struct{}
	result map[string]dtsclient.JobDirections // valid once done is closed
	err    error                              // valid once done is closed
}

func newStatusBatcher(list statusLister) *statusBatcher {
	return &statusBatcher{
		list:    list,
		window:  defaultBatchWindow,
		maxWait: defaultBatchMaxWait,
		maxIDs:  defaultBatchMaxIDs,
		timeout: defaultBatchCallTimeout,
		lanes:   map[string]*batchLane{},
	}
}

// Get returns the status of one direction of a job as the next batched call
// for the region reports it. found is false when the answer does not list
// the job or the direction; the caller confirms that with a single read. An
// error wrapping errBatchUnavailable means the batched call failed, and the
// caller reads the job on its own; any other error is ctx's.
func (b *statusBatcher) Get(ctx context.Context, region, jobID, direction string) (dtsclient.DirectionStatus, bool, error) {
	if err := ctx.Err(); err != nil {
		return dtsclient.DirectionStatus{}, false, err
	}
	b.mu.Lock()
	lane := b.lanes[region]
	if lane == nil {
		lane = &batchLane{region: region}
		b.lanes[region] = lane
	}
	if lane.disabled != nil {
		err := lane.disabled
		b.mu.Unlock()
		return dtsclient.DirectionStatus{}, false, fmt.Errorf("%w: %w", errBatchUnavailable, err)
	}
	batch := lane.open
	if batch == nil {
		batch = &statusBatch{waiters: map[string]int{}, logCtx: ctx, done: make(chan struct{})}
		lane.open = batch
		wait := b.window
		if lane.peak > 0 {
			wait = b.maxWait
		}
		batch.timer = time.AfterFunc(wait, func() {
			b.mu.Lock()
			defer b.mu.Unlock()
			b.sendLocked(lane, batch)
		})
	}
	if _, ok := batch.waiters[jobID]; !ok {
		batch.ids = append(batch.ids, jobID)
	}
	batch.waiters[jobID]++
	batch.callers++
	lane.active++
	if len(batch.ids) >= b.maxIDs || (lane.peak > 0 && batch.callers >= lane.peak) {
		b.sendLocked(lane, batch)
	}
	b.mu.Unlock()

	defer func() {
		b.mu.Lock()
		lane.active--
		b.mu.Unlock()
	}()
	select {
	case <-batch.done:
		return batch.pick(jobID, direction)
	case <-ctx.Done():
		b.leave(batch, jobID)
		return dtsclient.DirectionStatus{}, false, ctx.Err()
	}
}

// sendLocked closes the batch to new reads and makes the call in the
// background. It does nothing for a batch already sent.
func (b *statusBatcher) sendLocked(lane *batchLane, batch *statusBatch) {
	if batch.sent {
		return
	}
	batch.sent = true
	batch.timer.Stop()
	if lane.open == batch {
		lane.open = nil
	}
	lane.peak = max(lane.peak, lane.active)

	// Callers that gave up before the call are left out of it.
	ids := make([]string, 0, len(batch.ids))
	for _, id := range batch.ids {
		if batch.waiters[id] > 0 {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		close(batch.done)
		return
	}
	// The call serves every caller of the batch, so no single caller's
	// cancellation may end it; it ends when all of them have left.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(batch.logCtx), b.timeout)
	batch.cancel = cancel
	go b.call(ctx, lane, batch, ids)
}

// call makes the batched call, retrying it once when the failure may pass.
// The client has already retried retryable errors; one more attempt covers
// a burst of throttling that outlasted its retries. A rejection (such as an
// invalid ID) would only repeat, so the callers read on their own instead.
func (b *statusBatcher) call(ctx context.Context, lane *batchLane, batch *statusBatch, ids []string) {
	defer batch.cancel()
	jobs, err := b.list(ctx, lane.region, ids)
	if err != nil && dtsclient.IsRetryable(err) && ctx.Err() == nil {
		tflog.Debug(ctx, "batched status read failed; retrying once", map[string]any{"region": lane.region, "jobs": len(ids), "error": err.Error()})
		jobs, err = b.list(ctx, lane.region, ids)
	}
	if err != nil {
		fields := map[string]any{"region": lane.region, "jobs": len(ids), "error": err.Error()}
		if listActionRefused(err) {
			tflog.Warn(ctx, "DTS refuses DescribeSynchronizationJobStatusList; reading each job on its own for the rest of this run", fields)
			b.mu.Lock()
			lane.disabled = err
			b.mu.Unlock()
		} else {
			tflog.Warn(ctx, "batched status read failed; reading each job on its own", fields)
		}
		batch.err = err
		close(batch.done)
		return
	}
	tflog.Debug(ctx, "batched status read", map[string]any{"region": lane.region, "jobs": len(ids), "listed": len(jobs)})
	batch.result = make(map[string]dtsclient.JobDirections, len(jobs))
	for _, j := range jobs {
		if _, dup := batch.result[j.JobID]; !dup {
			batch.result[j.JobID] = j
		}
	}
	close(batch.done)
}

// leave records that a caller stopped waiting; when none is left, the call
// in flight is cancelled.
func (b *statusBatcher) leave(batch *statusBatch, jobID string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	batch.waiters[jobID]--
	batch.callers--
	if batch.callers == 0 && batch.cancel != nil {
		batch.cancel()
	}
}

// pick finds one direction in the batch's answer.
func (batch *statusBatch) pick(jobID, direction string) (dtsclient.DirectionStatus, bool, error) {
	if batch.err != nil {
		return dtsclient.DirectionStatus{}, false, fmt.Errorf("%w: %w", errBatchUnavailable, batch.err)
	}
	job, ok := batch.result[jobID]
	if !ok {
		return dtsclient.DirectionStatus{}, false, nil
	}
	if direction == "" {
		direction = dtsclient.DirectionForward
	}
	for _, d := range job.Directions {
		// A one-way job may list its only direction without a name.
		if strings.EqualFold(d.Direction, direction) || d.Direction == "" && direction == dtsclient.DirectionForward && len(job.Directions) == 1 {
			d.Direction = direction
			return d, true, nil
		}
	}
	return dtsclient.DirectionStatus{}, false, nil
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
