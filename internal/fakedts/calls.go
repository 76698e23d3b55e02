package fakedts

import (
	"slices"
	"time"
)

// Stages at which a call's fate was decided.
const (
	StageRoute  = "route"  // path, method, Action or Version rejected
	StageAuth   = "auth"   // signature checks rejected it
	StageRAM    = "ram"    // the key's policy denied the action (see Permissions)
	StageFault  = "fault"  // an injected fault answered instead of the action
	StageAction = "action" // the action ran (its answer may still be an error)
)

// Call is one request the API path answered (or dropped).
type Call struct {
	Time          time.Time `json:"time"` // fake clock
	RequestID     string    `json:"request_id"`
	Method        string    `json:"method"`
	Action        string    `json:"action"`
	JobID         string    `json:"job_id,omitempty"`     // instance ID: SynchronizationJobId, DtsInstanceId or DtsInstanceID
	DtsJobID      string    `json:"dts_job_id,omitempty"` // task ID (DtsJobId) of the DtsJob actions
	Direction     string    `json:"direction,omitempty"`
	RegionID      string    `json:"region_id,omitempty"`
	HTTPStatus    int       `json:"http_status"` // 0 when the connection was dropped
	Code          string    `json:"code,omitempty"`
	Stage         string    `json:"stage"`
	Authenticated bool      `json:"authenticated"`
	Signature     string    `json:"signature,omitempty"` // "v1" or "v3"
	AccessKeyID   string    `json:"access_key_id,omitempty"`
	Fault         FaultKind `json:"fault,omitempty"`
}

func (s *Server) recordCall(c Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.calls) >= maxCalls {
		s.calls = slices.Delete(s.calls, 0, maxCalls/10)
	}
	s.calls = append(s.calls, c)
}

// Calls returns the call log, oldest first: every request on the API path,
// including those rejected before the action (see Call.Stage). The log
// keeps the latest 100000 calls.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// CallCount counts logged calls of action, whatever their outcome; ""
// counts all calls.
func (s *Server) CallCount(action string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		if action == "" || c.Action == action {
			n++
		}
	}
	return n
}

// ResetCalls empties the call log.
func (s *Server) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = nil
}
