package fakedts

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"time"
)

// The JSON form of jobs, shared by seed files and the admin API. Durations
// are Go duration strings ("3s"), times RFC 3339.

// seedFile is the format of a -seed-file.
type seedFile struct {
	// IncludeDefaults adds DefaultJobs to the file's jobs.
	IncludeDefaults bool      `json:"include_defaults,omitempty"`
	Jobs            []seedJob `json:"jobs"`
}

// seedJob is a Job in JSON. Output-only fields are ignored on input.
type seedJob struct {
	ID                      string         `json:"id"`
	DtsJobID                string         `json:"dts_job_id,omitempty"`
	TaskID                  string         `json:"task_id,omitempty"` // input only: older name of dts_job_id
	CreatedBy               string         `json:"created_by,omitempty"`
	Name                    string         `json:"name,omitempty"`
	Class                   string         `json:"class,omitempty"`
	Region                  string         `json:"region,omitempty"`
	TwoWay                  bool           `json:"two_way,omitempty"`
	PayType                 string         `json:"pay_type,omitempty"`
	ExpireTime              string         `json:"expire_time,omitempty"`
	Source                  seedEndpoint   `json:"source"`
	Destination             seedEndpoint   `json:"destination"`
	Tags                    []seedTag      `json:"tags,omitempty"`
	CreateTime              string         `json:"create_time,omitempty"`
	StructureInitialization *bool          `json:"structure_initialization,omitempty"` // default true
	DataInitialization      *bool          `json:"data_initialization,omitempty"`      // default true
	Objects                 []seedObject   `json:"objects,omitempty"`
	Forward                 seedDirection  `json:"forward"`
	Reverse                 *seedDirection `json:"reverse,omitempty"`
	TransitionTime          string         `json:"transition_time,omitempty"` // default: the loader's default
	LowercaseSynchronizing  bool           `json:"lowercase_synchronizing,omitempty"`
	Fault                   *seedFault     `json:"fault,omitempty"`
	// CatchUpRate is seconds of delay worked off per second (0: the default).
	CatchUpRate float64 `json:"catch_up_rate,omitempty"`
}

// seedEndpoint is an Endpoint in JSON.
type seedEndpoint struct {
	InstanceID   string `json:"instance_id,omitempty"`
	InstanceType string `json:"instance_type,omitempty"`
	EngineName   string `json:"engine_name,omitempty"`
	IP           string `json:"ip,omitempty"`
	Port         int    `json:"port,omitempty"`
	UserName     string `json:"user_name,omitempty"`
}

// seedTag is a Tag in JSON.
type seedTag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// seedObject is a SyncObject in JSON.
type seedObject struct {
	SchemaName    string   `json:"schema_name"`
	NewSchemaName string   `json:"new_schema_name,omitempty"`
	Tables        []string `json:"tables,omitempty"`
	ExcludeTables []string `json:"exclude_tables,omitempty"`
}

// seedDirection is a DirectionState in JSON. PausedFor (input only) sets
// PausedAt relative to the loader's now, e.g. "200h" for a job paused
// eight days ago.
type seedDirection struct {
	Status       string `json:"status,omitempty"`
	Checkpoint   int64  `json:"checkpoint,omitempty"`
	PausedAt     string `json:"paused_at,omitempty"`
	PausedFor    string `json:"paused_for,omitempty"`
	ErrorMessage string `json:"error_message,omitempty"`
	Delay        string `json:"delay,omitempty"`        // input only: the delay at start-up
	DelayMillis  int64  `json:"delay_millis,omitempty"` // output
	NextStatus   string `json:"next_status,omitempty"`  // output
	NextAt       string `json:"next_at,omitempty"`      // output
}

// seedFault is a JobFault in JSON.
type seedFault struct {
	FailOnPrecheck         bool   `json:"fail_on_precheck,omitempty"`
	FailWhileSynchronizing bool   `json:"fail_while_synchronizing,omitempty"`
	FailAfter              string `json:"fail_after,omitempty"`
	Direction              string `json:"direction,omitempty"`
	ErrorMessage           string `json:"error_message,omitempty"`
	FailResumeAfter        string `json:"fail_resume_after,omitempty"`
}

// ParseSeed decodes a seed file. Relative times are resolved against now;
// jobs without transition_time get defaultTransition. Unknown fields are
// errors, so a stray "password" is refused rather than stored.
func ParseSeed(data []byte, now time.Time, defaultTransition time.Duration) ([]Job, error) {
	var f seedFile
	if err := decodeStrict(data, &f); err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	var jobs []Job
	if f.IncludeDefaults {
		for _, j := range DefaultJobs() {
			j.TransitionTime = defaultTransition
			jobs = append(jobs, j)
		}
	}
	for i, jj := range f.Jobs {
		j, err := jj.toJob(now, defaultTransition)
		if err != nil {
			return nil, fmt.Errorf("seed: job %d (%s): %w", i, jj.ID, err)
		}
		jobs = append(jobs, j)
	}
	return jobs, nil
}

// LoadSeedFile reads and parses a seed file (see ParseSeed).
func LoadSeedFile(path string, now time.Time, defaultTransition time.Duration) ([]Job, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseSeed(data, now, defaultTransition)
}

func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("trailing data after the JSON value")
	}
	return nil
}

func parseTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %w", field, err)
	}
	return t, nil
}

func parseDuration(field, s string, def time.Duration) (time.Duration, error) {
	if s == "" {
		return def, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", field, err)
	}
	return d, nil
}

func (jj seedJob) toJob(now time.Time, defaultTransition time.Duration) (Job, error) {
	j := Job{
		ID: jj.ID, DtsJobID: jj.DtsJobID, CreatedBy: jj.CreatedBy, Name: jj.Name, Class: jj.Class, Region: jj.Region, TwoWay: jj.TwoWay,
		PayType: jj.PayType, Source: Endpoint(jj.Source), Destination: Endpoint(jj.Destination),
		StructureInitialization: jj.StructureInitialization == nil || *jj.StructureInitialization,
		DataInitialization:      jj.DataInitialization == nil || *jj.DataInitialization,
		LowercaseSynchronizing:  jj.LowercaseSynchronizing,
		CatchUpRate:             jj.CatchUpRate,
	}
	if jj.TaskID != "" {
		if jj.DtsJobID != "" && jj.DtsJobID != jj.TaskID {
			return j, fmt.Errorf("task_id %q and dts_job_id %q name different task IDs", jj.TaskID, jj.DtsJobID)
		}
		j.DtsJobID = jj.TaskID
	}
	var err error
	if j.ExpireTime, err = parseTime("expire_time", jj.ExpireTime); err != nil {
		return j, err
	}
	if j.CreateTime, err = parseTime("create_time", jj.CreateTime); err != nil {
		return j, err
	}
	if j.TransitionTime, err = parseDuration("transition_time", jj.TransitionTime, defaultTransition); err != nil {
		return j, err
	}
	for _, t := range jj.Tags {
		j.Tags = append(j.Tags, Tag(t))
	}
	for _, o := range jj.Objects {
		j.Objects = append(j.Objects, SyncObject(o))
	}
	if j.Forward, err = jj.Forward.toState(now); err != nil {
		return j, fmt.Errorf("forward: %w", err)
	}
	if jj.Reverse != nil {
		if j.Reverse, err = jj.Reverse.toState(now); err != nil {
			return j, fmt.Errorf("reverse: %w", err)
		}
		j.Reverse.Status = cmp.Or(j.Reverse.Status, StatusSynchronizing)
	}
	if jj.Fault != nil {
		if j.Fault, err = jj.Fault.toFault(); err != nil {
			return j, fmt.Errorf("fault: %w", err)
		}
	}
	return j, nil
}

func (dj seedDirection) toState(now time.Time) (DirectionState, error) {
	st := DirectionState{Status: dj.Status, Checkpoint: dj.Checkpoint, ErrorMessage: dj.ErrorMessage}
	var err error
	if st.PausedAt, err = parseTime("paused_at", dj.PausedAt); err != nil {
		return st, err
	}
	if st.Delay, err = parseDuration("delay", dj.Delay, 0); err != nil {
		return st, err
	}
	if dj.PausedFor != "" {
		if !st.PausedAt.IsZero() {
			return st, fmt.Errorf("paused_at and paused_for are exclusive")
		}
		d, err := parseDuration("paused_for", dj.PausedFor, 0)
		if err != nil {
			return st, err
		}
		st.PausedAt = now.Add(-d)
	}
	return st, nil
}

func (fj seedFault) toFault() (JobFault, error) {
	f := JobFault{FailOnPrecheck: fj.FailOnPrecheck, FailWhileSynchronizing: fj.FailWhileSynchronizing,
		Direction: fj.Direction, ErrorMessage: fj.ErrorMessage}
	var err error
	if f.FailAfter, err = parseDuration("fail_after", fj.FailAfter, 0); err != nil {
		return f, err
	}
	if f.FailResumeAfter, err = parseDuration("fail_resume_after", fj.FailResumeAfter, 0); err != nil {
		return f, err
	}
	return f, nil
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func formatDuration(d time.Duration) string {
	if d == 0 {
		return ""
	}
	return d.String()
}

func stateToJSON(st DirectionState) seedDirection {
	return seedDirection{Status: st.Status, Checkpoint: st.Checkpoint, PausedAt: formatTime(st.PausedAt),
		ErrorMessage: st.ErrorMessage, DelayMillis: st.Delay.Milliseconds(), NextStatus: st.NextStatus,
		NextAt: formatTime(st.NextAt)}
}

// jobToSeed converts a Job (typically a snapshot) to its JSON form.
func jobToSeed(j Job) seedJob {
	si, di := j.StructureInitialization, j.DataInitialization
	out := seedJob{
		ID: j.ID, DtsJobID: j.DtsJobID, CreatedBy: j.CreatedBy, Name: j.Name, Class: j.Class, Region: j.Region, TwoWay: j.TwoWay,
		PayType: j.PayType, ExpireTime: formatTime(j.ExpireTime), Source: seedEndpoint(j.Source),
		Destination: seedEndpoint(j.Destination), CreateTime: formatTime(j.CreateTime),
		StructureInitialization: &si, DataInitialization: &di, Forward: stateToJSON(j.Forward),
		TransitionTime: j.TransitionTime.String(), LowercaseSynchronizing: j.LowercaseSynchronizing,
		CatchUpRate: j.CatchUpRate,
	}
	for _, t := range j.Tags {
		out.Tags = append(out.Tags, seedTag(t))
	}
	for _, o := range j.Objects {
		out.Objects = append(out.Objects, seedObject(o))
	}
	if j.TwoWay {
		r := stateToJSON(j.Reverse)
		out.Reverse = &r
	}
	if j.Fault != (JobFault{}) {
		out.Fault = &seedFault{FailOnPrecheck: j.Fault.FailOnPrecheck, FailWhileSynchronizing: j.Fault.FailWhileSynchronizing,
			FailAfter: formatDuration(j.Fault.FailAfter), Direction: j.Fault.Direction, ErrorMessage: j.Fault.ErrorMessage,
			FailResumeAfter: formatDuration(j.Fault.FailResumeAfter)}
	}
	return out
}
