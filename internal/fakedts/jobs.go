package fakedts

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"math"
	"regexp"
	"strings"
	"time"
)

// Job statuses of the legacy synchronization enum.
const (
	StatusNotStarted       = "NotStarted"
	StatusPrechecking      = "Prechecking"
	StatusPrecheckFailed   = "PrecheckFailed"
	StatusInitializing     = "Initializing"
	StatusInitializeFailed = "InitializeFailed"
	StatusSynchronizing    = "Synchronizing"
	StatusFailed           = "Failed"
	StatusSuspending       = "Suspending"
	StatusModifying        = "Modifying"
	StatusFinished         = "Finished"
)

// Job statuses only the DtsJob family reports (docs/development/dts-api.md §6). The legacy
// actions show each as the legacy status legacyStatus gives.
const (
	StatusNotConfigured = "NotConfigured"
	StatusPreCheckPass  = "PreCheckPass"
	StatusRetrying      = "Retrying"
	StatusLocked        = "Locked"
	StatusUpgrade       = "Upgrade"
	StatusDowngrade     = "Downgrade"
)

// Who created a job: the API family whose actions configured it.
const (
	CreatedBySynchronizationJob = "synchronization_job"
	CreatedByDtsJob             = "dts_job"
)

// Synchronization directions.
const (
	DirectionForward = "Forward"
	DirectionReverse = "Reverse"
)

// Billing methods.
const (
	PayTypePrePaid  = "PrePaid"
	PayTypePostPaid = "PostPaid"
)

// DefaultCatchUpRate is how fast a resumed direction works off its delay
// when the job sets no rate: 10 seconds of delay per second, so a 10-minute
// pause is caught up about a minute after the resume.
const DefaultCatchUpRate = 10.0

// MaxSuspendDuration is how long a direction may stay paused and still be
// resumed (console documentation: 7 days).
const MaxSuspendDuration = 7 * 24 * time.Hour

const (
	defaultFailMessage     = "DTS-070211: Connect Source DB failed."
	defaultPrecheckMessage = "CHECK_CONN_SRC: Connect Source DB failed."
	// longPauseMessage is the ErrorMessage of a direction that failed because
	// it was paused more than 7 days (LongPauseFailed).
	longPauseMessage = "The task was paused for more than 7 days and can no longer be resumed."
)

var knownStatuses = []string{
	StatusNotStarted, StatusPrechecking, StatusPrecheckFailed, StatusInitializing, StatusInitializeFailed,
	StatusSynchronizing, StatusFailed, StatusSuspending, StatusModifying, StatusFinished,
	StatusNotConfigured, StatusPreCheckPass, StatusRetrying, StatusLocked, StatusUpgrade, StatusDowngrade,
}

// legacyStatus is how the legacy actions, whose enum has ten values, show a
// status of the DtsJob enum. No source says; see ASSUMPTIONS.md.
func legacyStatus(status string) string {
	switch status {
	case StatusRetrying:
		return StatusSynchronizing
	case StatusUpgrade, StatusDowngrade:
		return StatusModifying
	case StatusLocked:
		return StatusFailed
	case StatusNotConfigured, StatusPreCheckPass:
		return StatusNotStarted
	}
	return status
}

// dtsJobIDPattern is the documented shape of a task ID (DtsJobId), e.g.
// l3m1213ye7lxxxx: every example in the docs has 15 lower-case letters and
// digits.
var dtsJobIDPattern = regexp.MustCompile(`^[a-z0-9]{15}$`)

// defaultDtsJobID is the task ID of a job that names none: the instance ID
// without "dts" when that has the documented shape (as in every doc
// example), else 15 characters derived from the instance ID.
func defaultDtsJobID(instanceID string) string {
	if rest := strings.TrimPrefix(instanceID, "dts"); dtsJobIDPattern.MatchString(rest) {
		return rest
	}
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	h := fnv.New64a()
	h.Write([]byte(instanceID))
	x := h.Sum64()
	out := make([]byte, 15)
	for i := range out {
		x = x*6364136223846793005 + 1442695040888963407
		out[i] = alphabet[(x>>33)%uint64(len(alphabet))]
	}
	return string(out)
}

// canonicalStatus maps any casing of a known status to its canonical form.
func canonicalStatus(s string) (string, bool) {
	for _, k := range knownStatuses {
		if strings.EqualFold(k, s) {
			return k, true
		}
	}
	return "", false
}

// Job is one DTS synchronization instance. As an input (Options.Jobs,
// AddJob) the zero values of most fields get defaults, see AddJob; as an
// output (Job, Jobs) it is a snapshot evaluated at the fake clock's now.
type Job struct {
	ID string // instance ID (legacy SynchronizationJobId, DtsInstanceId), e.g. dtsl3m1213ye7l0001
	// DtsJobID is the task ID (DtsJobId, legacy TaskId); default: ID without
	// "dts" when that has the documented shape, else one generated from ID.
	DtsJobID string
	// CreatedBy is the API family that created the job:
	// CreatedBySynchronizationJob or CreatedByDtsJob; empty means
	// Behavior.JobsCreatedBy. See Behavior.LegacyRefusesDtsJobs.
	CreatedBy               string
	Name                    string
	Class                   string // default "small"
	Region                  string // default "cn-hangzhou"
	TwoWay                  bool
	PayType                 string    // PrePaid or PostPaid (default)
	ExpireTime              time.Time // reported for PrePaid jobs only
	Source                  Endpoint
	Destination             Endpoint
	Tags                    []Tag
	CreateTime              time.Time // default: the clock's now
	StructureInitialization bool
	DataInitialization      bool
	Objects                 []SyncObject
	Forward                 DirectionState
	Reverse                 DirectionState // only for TwoWay jobs
	// TransitionTime is how long every status change (suspend, resume and
	// each start-up step) takes before it becomes visible.
	TransitionTime time.Duration
	// LowercaseSynchronizing makes the Describe actions spell the running
	// status "synchronizing", as the live service may.
	LowercaseSynchronizing bool
	Fault                  JobFault
	// CatchUpRate is how many seconds of delay a synchronizing direction
	// works off per second until it reaches the live lag; 0 means
	// DefaultCatchUpRate.
	CatchUpRate float64
}

// Endpoint is a source or destination database. It never holds a password.
type Endpoint struct {
	InstanceID   string
	InstanceType string
	EngineName   string
	IP           string
	Port         int
	UserName     string
}

// Tag is a resource tag of a job.
type Tag struct {
	Key   string
	Value string
}

// SyncObject is one schema the job copies.
type SyncObject struct {
	SchemaName    string
	NewSchemaName string
	Tables        []string
	ExcludeTables []string
}

// DirectionState is the state of one direction of a job. On input only
// Status (default Synchronizing), Checkpoint, Delay, PausedAt and
// ErrorMessage are read; NextStatus and NextAt are outputs.
type DirectionState struct {
	Status string
	// Checkpoint is unix seconds: now minus Delay. On input it sets the
	// delay of a direction that is not synchronizing (Delay wins).
	Checkpoint int64
	// Delay is the replication delay. On input, a positive Delay is the
	// delay at start-up: a synchronizing direction works it off at the
	// job's CatchUpRate, any other grows from it with the clock.
	Delay        time.Duration
	PausedAt     time.Time // when the direction was paused (Suspending)
	ErrorMessage string
	NextStatus   string    // status of a pending transition, if any
	NextAt       time.Time // when NextStatus becomes visible
}

// JobFault scripts failures of the job itself.
type JobFault struct {
	// FailOnPrecheck ends a start-up precheck in PrecheckFailed.
	FailOnPrecheck bool
	// FailWhileSynchronizing moves a Synchronizing direction to Failed once it
	// has been synchronizing (since the later of its start and the fault
	// being set) for FailAfter.
	FailWhileSynchronizing bool
	FailAfter              time.Duration
	// Direction limits the two faults above to Forward or Reverse; empty
	// means both.
	Direction string
	// ErrorMessage replaces the default failure text.
	ErrorMessage string
	// FailResumeAfter, when positive, refuses to resume a direction paused
	// for longer (the documented 6-hour advice); 7 days always refuse.
	FailResumeAfter time.Duration
}

// job is the live state of a Job.
type job struct {
	cfg        Job
	dirs       []*direction // [0] Forward, [1] Reverse when TwoWay
	faultSince time.Time
	seed       uint64
	// beh points at the server's switches; read and written under Server.mu
	// like the rest of the job.
	beh *Behavior
}

type direction struct {
	name   string
	status string
	// The delay was delayRef at delayRefAt; from there it grows with the
	// clock while the direction is not synchronizing and falls at the job's
	// catch-up rate, down to the live lag, while it is. started is false
	// before the direction has a position (no checkpoint, no delay).
	started    bool
	delayRef   time.Duration
	delayRefAt time.Time
	pausedAt   time.Time
	syncSince  time.Time
	errMsg     string
	next       *pendingStep
	// expired marks a direction that failed after a pause of more than 7
	// days: Start stays refused until its status is set out of band.
	expired bool
}

type pendingStep struct {
	status string
	at     time.Time
	// requested marks the step a Suspend or Start asked for, as opposed to
	// the automatic steps of a start-up chain.
	requested bool
}

// newJob validates j, fills defaults and builds its live state at now,
// judged by the switches beh points at.
func newJob(j Job, now time.Time, beh *Behavior) (*job, error) {
	if j.ID == "" {
		return nil, fmt.Errorf("job ID is empty")
	}
	j.DtsJobID = cmp.Or(j.DtsJobID, defaultDtsJobID(j.ID))
	switch j.CreatedBy {
	case "", CreatedBySynchronizationJob, CreatedByDtsJob:
	default:
		return nil, fmt.Errorf("job %s: created_by %q is not %s or %s", j.ID, j.CreatedBy, CreatedBySynchronizationJob, CreatedByDtsJob)
	}
	j.Class = cmp.Or(j.Class, "small")
	j.Region = cmp.Or(j.Region, "cn-hangzhou")
	switch j.PayType {
	case "":
		j.PayType = PayTypePostPaid
	case PayTypePrePaid, PayTypePostPaid:
	default:
		return nil, fmt.Errorf("job %s: pay type %q is not PrePaid or PostPaid", j.ID, j.PayType)
	}
	if j.CreateTime.IsZero() {
		j.CreateTime = now
	}
	if j.TransitionTime < 0 {
		return nil, fmt.Errorf("job %s: negative transition time", j.ID)
	}
	if err := validateFault(j.Fault); err != nil {
		return nil, fmt.Errorf("job %s: %w", j.ID, err)
	}
	if err := validateCatchUpRate(j.CatchUpRate); err != nil {
		return nil, fmt.Errorf("job %s: %w", j.ID, err)
	}
	if !j.TwoWay && j.Reverse.Status != "" {
		return nil, fmt.Errorf("job %s: a one-way job has no Reverse direction", j.ID)
	}
	j.Tags = append([]Tag(nil), j.Tags...)
	j.Objects = append([]SyncObject(nil), j.Objects...)
	h := fnv.New64a()
	h.Write([]byte(j.ID))
	jb := &job{cfg: j, faultSince: now, seed: h.Sum64(), beh: beh}
	states := []DirectionState{j.Forward}
	names := []string{DirectionForward}
	if j.TwoWay {
		states = append(states, j.Reverse)
		names = append(names, DirectionReverse)
	}
	for i, st := range states {
		status, ok := canonicalStatus(cmp.Or(st.Status, StatusSynchronizing))
		if !ok {
			return nil, fmt.Errorf("job %s: unknown status %q", j.ID, st.Status)
		}
		if st.Delay < 0 {
			return nil, fmt.Errorf("job %s: negative delay", j.ID)
		}
		d := &direction{name: names[i]}
		at := now
		if status == StatusSuspending && !st.PausedAt.IsZero() {
			at = st.PausedAt
		}
		if st.Checkpoint != 0 && status != StatusSynchronizing {
			d.started, d.delayRef, d.delayRefAt = true, max(0, at.Sub(time.Unix(st.Checkpoint, 0))), at
		}
		jb.enter(d, status, at)
		if st.Delay > 0 && status != StatusNotStarted && status != StatusNotConfigured {
			d.started, d.delayRef, d.delayRefAt = true, st.Delay, now
		}
		d.errMsg = cmp.Or(st.ErrorMessage, d.errMsg)
		jb.dirs = append(jb.dirs, d)
	}
	jb.cfg.Forward, jb.cfg.Reverse = DirectionState{}, DirectionState{}
	return jb, nil
}

func validateCatchUpRate(rate float64) error {
	if rate < 0 || math.IsNaN(rate) || rate > 1e6 {
		return fmt.Errorf("catch-up rate %v is not between 0 (default) and 1e6", rate)
	}
	return nil
}

func validateFault(f JobFault) error {
	if f.Direction != "" && f.Direction != DirectionForward && f.Direction != DirectionReverse {
		return fmt.Errorf("fault direction %q is not Forward or Reverse", f.Direction)
	}
	if f.FailAfter < 0 || f.FailResumeAfter < 0 {
		return fmt.Errorf("negative fault duration")
	}
	return nil
}

// dir returns the named direction ("" = Forward) or nil.
func (j *job) dir(name string) *direction {
	name = cmp.Or(name, DirectionForward)
	for _, d := range j.dirs {
		if d.name == name {
			return d
		}
	}
	return nil
}

func (j *job) faultApplies(d *direction) bool {
	return j.cfg.Fault.Direction == "" || j.cfg.Fault.Direction == d.name
}

// advance applies every transition due at or before now, in time order.
func (j *job) advance(now time.Time) {
	for _, d := range j.dirs {
		for range 32 { // a chain is at most a few steps; the bound guards loops
			expiry, expires := j.pauseExpiry(d)
			if d.next != nil && !d.next.at.After(now) {
				step := *d.next
				d.next = nil
				j.enter(d, step.status, step.at)
				continue
			}
			if expires && !expiry.After(now) {
				j.enter(d, StatusFailed, expiry)
				d.errMsg, d.expired = longPauseMessage, true
				continue
			}
			f := j.cfg.Fault
			if d.next == nil && d.status == StatusSynchronizing && f.FailWhileSynchronizing && j.faultApplies(d) {
				since := d.syncSince
				if j.faultSince.After(since) {
					since = j.faultSince
				}
				if at := since.Add(f.FailAfter); !at.After(now) {
					j.enter(d, StatusFailed, at)
					continue
				}
			}
			break
		}
	}
}

// enter puts d into status at time at, with the side effects of arriving
// there: frozen checkpoints, pause time, error text, the next start-up step.
func (j *job) enter(d *direction, status string, at time.Time) {
	if status == StatusInitializing && d.status == StatusPrechecking && j.cfg.Fault.FailOnPrecheck && j.faultApplies(d) {
		status = StatusPrecheckFailed
	}
	d.next, d.expired, d.errMsg = nil, false, ""
	j.rebaseDelay(d, at)
	if status != StatusPrechecking && status != StatusInitializing {
		d.pausedAt = time.Time{} // start-up steps leave it as it was
	}
	switch status {
	case StatusSynchronizing:
		if !d.started {
			d.started, d.delayRef, d.delayRefAt = true, 0, at
		}
		d.syncSince = at
	case StatusSuspending:
		if !d.started {
			d.started, d.delayRef, d.delayRefAt = true, j.lag(d, at), at
		}
		d.pausedAt = at
	case StatusFailed, StatusInitializeFailed:
		d.errMsg = j.failMessage(defaultFailMessage)
	case StatusPrecheckFailed:
		d.errMsg = j.failMessage(defaultPrecheckMessage)
	case StatusPrechecking:
		d.next = &pendingStep{status: StatusInitializing, at: at.Add(j.cfg.TransitionTime)}
	case StatusInitializing:
		d.next = &pendingStep{status: StatusSynchronizing, at: at.Add(j.cfg.TransitionTime)}
	case StatusNotStarted:
		d.started, d.delayRef = false, 0
	}
	d.status = status
}

func (j *job) failMessage(def string) string {
	return cmp.Or(j.cfg.Fault.ErrorMessage, def)
}

// lag is a small lag (0 to 2.999 s) that moves every 5 seconds, derived
// from the job, the direction and the time so that it is stable.
func (j *job) lag(d *direction, t time.Time) time.Duration {
	h := j.seed
	if d.name == DirectionReverse {
		h ^= 0x9e3779b97f4a7c15
	}
	return time.Duration((h+uint64(t.Unix()/5)*2654435761)%3000) * time.Millisecond
}

func (j *job) catchUpRate() float64 {
	return cmp.Or(j.cfg.CatchUpRate, DefaultCatchUpRate) // never negative: validateCatchUpRate
}

// delayAt is d's replication delay at t (not before its reference time),
// judged by its current status: growing with the clock unless
// synchronizing, else falling at the catch-up rate to the live lag.
func (j *job) delayAt(d *direction, t time.Time) time.Duration {
	if !d.started {
		return 0
	}
	elapsed := max(0, t.Sub(d.delayRefAt))
	if d.status != StatusSynchronizing {
		return d.delayRef + elapsed
	}
	left := d.delayRef - time.Duration(float64(elapsed)*j.catchUpRate())
	return max(left, j.lag(d, t))
}

// rebaseDelay records d's delay at t as the new reference, before its
// status or the job's rate changes what happens next.
func (j *job) rebaseDelay(d *direction, t time.Time) {
	if d.started {
		d.delayRef, d.delayRefAt = j.delayAt(d, t), t
	}
}

// setCatchUpRate changes the job's rate from now on.
func (j *job) setCatchUpRate(rate float64, now time.Time) {
	for _, d := range j.dirs {
		j.rebaseDelay(d, now)
	}
	j.cfg.CatchUpRate = rate
}

// position reports checkpoint (unix s) and delay (ms) of d at now; the
// checkpoint is the moment the target is behind by the delay.
func (j *job) position(d *direction, now time.Time) (checkpoint, delayMillis int64) {
	if !d.started {
		return 0, 0
	}
	delay := j.delayAt(d, now)
	ms := delay.Milliseconds()
	if d.status == StatusSynchronizing {
		return now.Unix() - ms/1000, ms
	}
	return d.delayRefAt.Add(-d.delayRef).Unix(), ms
}

// pauseExpiry is when a paused direction turns Failed under
// LongPauseFailed; expires is false when it never will, including once a
// resume was accepted in time.
func (j *job) pauseExpiry(d *direction) (at time.Time, expires bool) {
	if j.beh.LongPause != LongPauseFailed || d.status != StatusSuspending || d.pausedAt.IsZero() || d.next != nil {
		return time.Time{}, false
	}
	return d.pausedAt.Add(MaxSuspendDuration).Add(time.Nanosecond), true
}

// visibleStatus is the status calls see: the old one until a change
// completes, or the target of a requested change under PendingStatusTarget.
func (j *job) visibleStatus(d *direction) string {
	if j.beh.PendingStatus == PendingStatusTarget && d.next != nil && d.next.requested {
		return d.next.status
	}
	return d.status
}

// displayStatus is the status as the legacy Describe actions spell it.
func (j *job) displayStatus(d *direction) string {
	return j.spell(legacyStatus(j.visibleStatus(d)))
}

// dtsJobStatus is the status as the DtsJob actions spell it.
func (j *job) dtsJobStatus(d *direction) string {
	return j.spell(j.visibleStatus(d))
}

func (j *job) spell(status string) string {
	if status == StatusSynchronizing && (j.cfg.LowercaseSynchronizing || j.beh.LowercaseSynchronizing) {
		return "synchronizing"
	}
	return status
}

// createdBy is the API family that created the job.
func (j *job) createdBy() string {
	return cmp.Or(j.cfg.CreatedBy, j.beh.JobsCreatedBy)
}

// snapshot returns the public view of j at now (advance first).
func (j *job) snapshot(now time.Time) Job {
	out := j.cfg
	out.CreatedBy = j.createdBy()
	out.CatchUpRate = j.catchUpRate()
	out.Tags = append([]Tag(nil), j.cfg.Tags...)
	out.Objects = append([]SyncObject(nil), j.cfg.Objects...)
	for _, d := range j.dirs {
		ckpt, lag := j.position(d, now)
		st := DirectionState{
			Status:       d.status,
			Checkpoint:   ckpt,
			Delay:        time.Duration(lag) * time.Millisecond,
			PausedAt:     d.pausedAt,
			ErrorMessage: d.errMsg,
		}
		if d.next != nil {
			st.NextStatus, st.NextAt = d.next.status, d.next.at
		}
		if d.name == DirectionForward {
			out.Forward = st
		} else {
			out.Reverse = st
		}
	}
	return out
}

// suspend asks direction d to pause. Only Synchronizing may pause. A pause
// already on its way is accepted again without change, or refused under
// RejectRepeatedChange.
func (j *job) suspend(d *direction, action string, now time.Time) *apiError {
	if d.next != nil && d.next.requested && d.next.status == StatusSuspending {
		return j.repeated(d, action)
	}
	if j.visibleStatus(d) != StatusSynchronizing {
		return errJobStatus(j, d, action, StatusSynchronizing)
	}
	d.next = &pendingStep{status: StatusSuspending, at: now.Add(j.cfg.TransitionTime), requested: true}
	j.advance(now)
	return nil
}

// start asks direction d to run: NotStarted goes through the precheck and
// initialization, Suspending and Failed resume. A start already on its way
// is accepted again without change, or refused under RejectRepeatedChange.
// A direction paused more than 7 days is refused.
func (j *job) start(d *direction, action string, now time.Time) *apiError {
	if d.next != nil && d.next.requested && d.next.status != StatusSuspending {
		return j.repeated(d, action)
	}
	from := j.visibleStatus(d)
	switch from {
	case StatusNotStarted, StatusPreCheckPass, StatusSuspending, StatusFailed:
	default:
		return errJobStatus(j, d, action, "NotStarted, PreCheckPass, Suspending or Failed")
	}
	if d.expired {
		return businessError(CodeInvalidJobStatus, fmt.Sprintf(
			"The operation %s is not allowed: the %s synchronization of %s failed after a pause of more than 7 days and cannot be resumed.",
			action, d.name, j.cfg.ID))
	}
	if from == StatusSuspending && d.status == StatusSuspending {
		paused := now.Sub(d.pausedAt)
		if paused > MaxSuspendDuration {
			return businessError(CodeInvalidJobStatus, fmt.Sprintf(
				"The operation %s is not allowed: the %s synchronization of %s has been paused for %s, more than 7 days, and cannot be resumed.",
				action, d.name, j.cfg.ID, paused.Round(time.Second)))
		}
		if limit := j.cfg.Fault.FailResumeAfter; limit > 0 && paused > limit {
			return businessError(CodeJobSuspendedTooLong, fmt.Sprintf(
				"The synchronization task %s (%s) has been paused for %s, more than %s, and cannot be resumed.",
				j.cfg.ID, d.name, paused.Round(time.Second), limit))
		}
	}
	next := StatusSynchronizing
	switch from {
	case StatusNotStarted:
		next = StatusPrechecking
	case StatusPreCheckPass:
		next = StatusInitializing
	}
	d.next = &pendingStep{status: next, at: now.Add(j.cfg.TransitionTime), requested: true}
	j.advance(now)
	return nil
}

// repeated answers a call that repeats the change already pending.
func (j *job) repeated(d *direction, action string) *apiError {
	if !j.beh.RejectRepeatedChange {
		return nil
	}
	return businessError(CodeInvalidJobStatus, fmt.Sprintf(
		"The operation %s is not allowed while the %s synchronization of %s is changing from %s to %s.",
		action, d.name, j.cfg.ID, d.status, d.next.status))
}

func errJobStatus(j *job, d *direction, action, allowed string) *apiError {
	return businessError(CodeInvalidJobStatus, fmt.Sprintf(
		"The operation %s is not allowed when the %s synchronization of %s is %s; it requires %s.",
		action, d.name, j.cfg.ID, j.visibleStatus(d), allowed))
}

// setStatus changes d out of band, as the console or the service would,
// dropping any pending transition.
func (j *job) setStatus(d *direction, status string, now time.Time) error {
	s, ok := canonicalStatus(status)
	if !ok {
		return fmt.Errorf("unknown status %q", status)
	}
	j.advance(now)
	d.next = nil
	j.enter(d, s, now)
	j.advance(now)
	return nil
}
