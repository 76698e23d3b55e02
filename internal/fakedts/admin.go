package fakedts

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"time"
)

// The admin API mirrors the Go control API as JSON under /_admin/. It has
// no authentication: it answers loopback clients only, and the command
// refuses non-loopback listen addresses unless told otherwise.

type faultsJSON struct {
	ThrottleRate       float64  `json:"throttle_rate,omitempty"`
	ThrottleBurst      int      `json:"throttle_burst,omitempty"`
	Error5xxRate       float64  `json:"error_5xx_rate,omitempty"`
	Latency            string   `json:"latency,omitempty"`
	DropConnectionRate float64  `json:"drop_connection_rate,omitempty"`
	TruncateBodyRate   float64  `json:"truncate_body_rate,omitempty"`
	Actions            []string `json:"actions,omitempty"`
}

type quotaJSON struct {
	Action string  `json:"action"`
	Rate   float64 `json:"rate"`
	Burst  int     `json:"burst,omitempty"`
}

type quotasJSON struct {
	// Documented adds DocumentedQuotas to Quotas.
	Documented bool        `json:"documented,omitempty"`
	Quotas     []quotaJSON `json:"quotas"`
}

type queueJSON struct {
	Action string    `json:"action"`
	Kind   FaultKind `json:"kind"`
	N      int       `json:"n"`
}

func (s *Server) adminMux() *http.ServeMux {
	m := http.NewServeMux()
	m.HandleFunc("GET /_admin/jobs", s.adminListJobs)
	m.HandleFunc("POST /_admin/jobs", s.adminCreateJob)
	m.HandleFunc("GET /_admin/jobs/{id}", s.adminGetJob)
	m.HandleFunc("DELETE /_admin/jobs/{id}", s.adminDeleteJob)
	m.HandleFunc("POST /_admin/jobs/{id}/status", s.adminSetStatus)
	m.HandleFunc("POST /_admin/jobs/{id}/fault", s.adminSetJobFault)
	m.HandleFunc("POST /_admin/jobs/{id}/transition", s.adminSetTransition)
	m.HandleFunc("POST /_admin/jobs/{id}/delay", s.adminSetDelay)
	m.HandleFunc("GET /_admin/clock", s.adminClock)
	m.HandleFunc("POST /_admin/clock", s.adminAdvanceClock)
	m.HandleFunc("GET /_admin/faults", s.adminGetFaults)
	m.HandleFunc("POST /_admin/faults", s.adminSetFaults)
	m.HandleFunc("DELETE /_admin/faults", s.adminClearFaults)
	m.HandleFunc("POST /_admin/faults/queue", s.adminQueueFault)
	m.HandleFunc("POST /_admin/faults/quotas", s.adminSetQuotas)
	m.HandleFunc("GET /_admin/behavior", s.adminGetBehavior)
	m.HandleFunc("POST /_admin/behavior", s.adminSetBehavior)
	m.HandleFunc("GET /_admin/permissions", s.adminGetPermissions)
	m.HandleFunc("POST /_admin/permissions", s.adminSetPermissions)
	m.HandleFunc("DELETE /_admin/permissions", s.adminClearPermissions)
	m.HandleFunc("GET /_admin/profiles", s.adminProfiles)
	m.HandleFunc("POST /_admin/profile", s.adminSetProfile)
	m.HandleFunc("GET /_admin/calls", s.adminCalls)
	m.HandleFunc("DELETE /_admin/calls", s.adminResetCalls)
	m.HandleFunc("/_admin/", func(w http.ResponseWriter, r *http.Request) {
		adminError(w, http.StatusNotFound, errors.New("no such admin endpoint"))
	})
	return m
}

func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		adminError(w, http.StatusForbidden, errors.New("the admin API answers loopback clients only"))
		return
	}
	s.logf("fakedts: admin %s %s", r.Method, r.URL.Path)
	s.admin.ServeHTTP(w, r)
}

func adminJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func adminError(w http.ResponseWriter, status int, err error) {
	adminJSON(w, status, map[string]string{"error": err.Error()})
}

// adminReply answers 400 with err, else lets ok answer.
func adminReply(w http.ResponseWriter, err error, ok func()) {
	if err != nil {
		adminError(w, http.StatusBadRequest, err)
		return
	}
	ok()
}

func readAdminBody(w http.ResponseWriter, r *http.Request, v any) bool {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err == nil {
		err = decodeStrict(data, v)
	}
	if err != nil {
		adminError(w, http.StatusBadRequest, err)
		return false
	}
	return true
}

func (s *Server) adminListJobs(w http.ResponseWriter, r *http.Request) {
	out := []seedJob{}
	for _, j := range s.Jobs() {
		out = append(out, jobToSeed(j))
	}
	adminJSON(w, http.StatusOK, map[string]any{"jobs": out})
}

func (s *Server) adminJob(w http.ResponseWriter, status int, id string) {
	j, ok := s.Job(id)
	if !ok {
		adminError(w, http.StatusNotFound, errors.New("job "+id+" not found"))
		return
	}
	adminJSON(w, status, jobToSeed(j))
}

func (s *Server) adminCreateJob(w http.ResponseWriter, r *http.Request) {
	var in seedJob
	if !readAdminBody(w, r, &in) {
		return
	}
	j, err := in.toJob(s.Now(), 0)
	if err == nil {
		err = s.AddJob(j)
	}
	adminReply(w, err, func() { s.adminJob(w, http.StatusCreated, j.ID) })
}

func (s *Server) adminGetJob(w http.ResponseWriter, r *http.Request) {
	s.adminJob(w, http.StatusOK, r.PathValue("id"))
}

func (s *Server) adminDeleteJob(w http.ResponseWriter, r *http.Request) {
	if err := s.DeleteJob(r.PathValue("id")); err != nil {
		adminError(w, http.StatusNotFound, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// adminChangeJob answers 404 for an unknown job, 400 when change fails and
// the changed job otherwise.
func (s *Server) adminChangeJob(w http.ResponseWriter, r *http.Request, change func(id string) error) {
	id := r.PathValue("id")
	if _, ok := s.Job(id); !ok {
		adminError(w, http.StatusNotFound, errors.New("job "+id+" not found"))
		return
	}
	adminReply(w, change(id), func() { s.adminJob(w, http.StatusOK, id) })
}

func (s *Server) adminSetStatus(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Direction string `json:"direction"`
		Status    string `json:"status"`
	}
	if !readAdminBody(w, r, &in) {
		return
	}
	s.adminChangeJob(w, r, func(id string) error { return s.SetStatus(id, in.Direction, in.Status) })
}

func (s *Server) adminSetJobFault(w http.ResponseWriter, r *http.Request) {
	var in seedFault
	if !readAdminBody(w, r, &in) {
		return
	}
	f, err := in.toFault()
	adminReply(w, err, func() { s.adminChangeJob(w, r, func(id string) error { return s.SetJobFault(id, f) }) })
}

func (s *Server) adminSetTransition(w http.ResponseWriter, r *http.Request) {
	var in struct {
		TransitionTime string `json:"transition_time"`
	}
	if !readAdminBody(w, r, &in) {
		return
	}
	d, err := time.ParseDuration(in.TransitionTime)
	adminReply(w, err, func() { s.adminChangeJob(w, r, func(id string) error { return s.SetTransitionTime(id, d) }) })
}

// adminSetDelay sets a direction's delay, the job's catch-up rate, or both.
func (s *Server) adminSetDelay(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Direction   string   `json:"direction"`
		Delay       string   `json:"delay"`
		CatchUpRate *float64 `json:"catch_up_rate"`
	}
	if !readAdminBody(w, r, &in) {
		return
	}
	s.adminChangeJob(w, r, func(id string) error {
		if in.Delay == "" && in.CatchUpRate == nil {
			return errors.New(`give "delay" (a Go duration), "catch_up_rate" or both`)
		}
		if in.CatchUpRate != nil {
			if err := s.SetCatchUpRate(id, *in.CatchUpRate); err != nil {
				return err
			}
		}
		if in.Delay == "" {
			return nil
		}
		d, err := time.ParseDuration(in.Delay)
		if err != nil {
			return err
		}
		return s.SetDelay(id, in.Direction, d)
	})
}

func (s *Server) adminClock(w http.ResponseWriter, r *http.Request) {
	adminJSON(w, http.StatusOK, map[string]string{"now": s.Now().UTC().Format(time.RFC3339Nano)})
}

func (s *Server) adminAdvanceClock(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Advance string `json:"advance"`
	}
	if !readAdminBody(w, r, &in) {
		return
	}
	d, err := time.ParseDuration(in.Advance)
	adminReply(w, err, func() {
		s.AdvanceClock(d)
		s.adminClock(w, r)
	})
}

func (s *Server) faultsOut() map[string]any {
	f := s.CurrentFaults()
	s.mu.Lock()
	queue := []queueJSON{}
	for _, q := range s.queue {
		queue = append(queue, queueJSON{Action: q.action, Kind: q.kind, N: q.left})
	}
	s.mu.Unlock()
	quotas := []quotaJSON{}
	for _, q := range s.CurrentQuotas() {
		quotas = append(quotas, quotaJSON(q))
	}
	return map[string]any{"faults": faultsJSON{ThrottleRate: f.ThrottleRate, ThrottleBurst: f.ThrottleBurst,
		Error5xxRate: f.Error5xxRate, Latency: formatDuration(f.Latency), DropConnectionRate: f.DropConnectionRate,
		TruncateBodyRate: f.TruncateBodyRate, Actions: f.Actions}, "queue": queue, "quotas": quotas}
}

// adminSetQuotas replaces the per-action quotas.
func (s *Server) adminSetQuotas(w http.ResponseWriter, r *http.Request) {
	var in quotasJSON
	if !readAdminBody(w, r, &in) {
		return
	}
	var quotas []Quota
	if in.Documented {
		quotas = DocumentedQuotas()
	}
	for _, q := range in.Quotas {
		quotas = append(quotas, Quota(q))
	}
	adminReply(w, s.SetQuotas(quotas), func() { adminJSON(w, http.StatusOK, s.faultsOut()) })
}

func (s *Server) adminGetFaults(w http.ResponseWriter, r *http.Request) {
	adminJSON(w, http.StatusOK, s.faultsOut())
}

func (s *Server) adminSetFaults(w http.ResponseWriter, r *http.Request) {
	var in faultsJSON
	if !readAdminBody(w, r, &in) {
		return
	}
	lat, err := parseDuration("latency", in.Latency, 0)
	adminReply(w, err, func() {
		s.SetFaults(Faults{ThrottleRate: in.ThrottleRate, ThrottleBurst: in.ThrottleBurst, Error5xxRate: in.Error5xxRate,
			Latency: lat, DropConnectionRate: in.DropConnectionRate, TruncateBodyRate: in.TruncateBodyRate, Actions: in.Actions})
		adminJSON(w, http.StatusOK, s.faultsOut())
	})
}

func (s *Server) adminClearFaults(w http.ResponseWriter, r *http.Request) {
	s.ClearFaults()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) adminQueueFault(w http.ResponseWriter, r *http.Request) {
	var in queueJSON
	if !readAdminBody(w, r, &in) {
		return
	}
	adminReply(w, s.QueueFault(in.Action, in.Kind, in.N), func() { adminJSON(w, http.StatusOK, s.faultsOut()) })
}

func (s *Server) adminCalls(w http.ResponseWriter, r *http.Request) {
	action := r.URL.Query().Get("action")
	calls := []Call{}
	for _, c := range s.Calls() {
		if action == "" || c.Action == action {
			calls = append(calls, c)
		}
	}
	adminJSON(w, http.StatusOK, map[string]any{"calls": calls, "count": len(calls)})
}

func (s *Server) adminResetCalls(w http.ResponseWriter, r *http.Request) {
	s.ResetCalls()
	w.WriteHeader(http.StatusNoContent)
}

// behaviorJSON is a Behavior in the admin API, defaults filled in.
type behaviorJSON struct {
	RejectRepeatedChange   bool   `json:"reject_repeated_change"`
	BusinessErrorStatus    int    `json:"business_error_status"`
	NotFoundCode           string `json:"not_found_code"`
	LongPause              string `json:"long_pause"`
	PendingStatus          string `json:"pending_status"`
	LowercaseSynchronizing bool   `json:"lowercase_synchronizing"`
	PageSizes              string `json:"page_sizes"`
	LegacyRefusesDtsJobs   bool   `json:"legacy_refuses_dts_jobs"`
	JobsCreatedBy          string `json:"jobs_created_by"`
	DelayUnit              string `json:"delay_unit"`
}

func behaviorToJSON(b Behavior) behaviorJSON {
	return behaviorJSON{RejectRepeatedChange: b.RejectRepeatedChange, BusinessErrorStatus: b.BusinessErrorStatus,
		NotFoundCode: b.NotFoundCode, LongPause: string(b.LongPause), PendingStatus: string(b.PendingStatus),
		LowercaseSynchronizing: b.LowercaseSynchronizing, PageSizes: string(b.PageSizes),
		LegacyRefusesDtsJobs: b.LegacyRefusesDtsJobs, JobsCreatedBy: b.JobsCreatedBy, DelayUnit: string(b.DelayUnit)}
}

func (bj behaviorJSON) toBehavior() Behavior {
	return Behavior{RejectRepeatedChange: bj.RejectRepeatedChange, BusinessErrorStatus: bj.BusinessErrorStatus,
		NotFoundCode: bj.NotFoundCode, LongPause: LongPause(bj.LongPause), PendingStatus: PendingStatus(bj.PendingStatus),
		LowercaseSynchronizing: bj.LowercaseSynchronizing, PageSizes: PageSizes(bj.PageSizes),
		LegacyRefusesDtsJobs: bj.LegacyRefusesDtsJobs, JobsCreatedBy: bj.JobsCreatedBy, DelayUnit: DelayUnit(bj.DelayUnit)}
}

type profileJSON struct {
	Name        string       `json:"name"`
	Description string       `json:"description"`
	Behavior    behaviorJSON `json:"behavior"`
}

func (s *Server) adminGetBehavior(w http.ResponseWriter, r *http.Request) {
	adminJSON(w, http.StatusOK, behaviorToJSON(s.CurrentBehavior()))
}

// adminSetBehavior changes the switches the body names and keeps the rest.
func (s *Server) adminSetBehavior(w http.ResponseWriter, r *http.Request) {
	in := behaviorToJSON(s.CurrentBehavior())
	if !readAdminBody(w, r, &in) {
		return
	}
	adminReply(w, s.SetBehavior(in.toBehavior()), func() { s.adminGetBehavior(w, r) })
}

func (s *Server) adminProfiles(w http.ResponseWriter, r *http.Request) {
	out := []profileJSON{}
	for _, p := range Profiles() {
		b, _ := p.Behavior.normalized()
		out = append(out, profileJSON{Name: p.Name, Description: p.Description, Behavior: behaviorToJSON(b)})
	}
	adminJSON(w, http.StatusOK, map[string]any{"profiles": out})
}

// adminSetProfile replaces every switch with a profile's.
func (s *Server) adminSetProfile(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name string `json:"name"`
	}
	if !readAdminBody(w, r, &in) {
		return
	}
	p, err := ProfileByName(in.Name)
	if err == nil {
		err = s.SetBehavior(p.Behavior)
	}
	adminReply(w, err, func() { s.adminGetBehavior(w, r) })
}

// permissionsJSON is Permissions in the admin API. An absent or null
// "allow" allows every action; [] allows none.
type permissionsJSON struct {
	Code     string       `json:"code"`
	Policies []policyJSON `json:"policies"`
}

type policyJSON struct {
	AccessKeyID string   `json:"access_key_id"`
	Allow       []string `json:"allow"`
	Deny        []string `json:"deny"`
}

func permissionsToJSON(p Permissions) permissionsJSON {
	out := permissionsJSON{Code: p.Code, Policies: []policyJSON{}}
	for _, pol := range p.Policies {
		deny := pol.Deny
		if deny == nil {
			deny = []string{}
		}
		out.Policies = append(out.Policies, policyJSON{AccessKeyID: pol.AccessKeyID, Allow: pol.Allow, Deny: deny})
	}
	return out
}

func (pj permissionsJSON) toPermissions() Permissions {
	p := Permissions{Code: pj.Code}
	for _, pol := range pj.Policies {
		p.Policies = append(p.Policies, Policy(pol))
	}
	return p
}

func (s *Server) adminGetPermissions(w http.ResponseWriter, r *http.Request) {
	adminJSON(w, http.StatusOK, permissionsToJSON(s.CurrentPermissions()))
}

// adminSetPermissions replaces every policy and the denial code.
func (s *Server) adminSetPermissions(w http.ResponseWriter, r *http.Request) {
	var in permissionsJSON
	if !readAdminBody(w, r, &in) {
		return
	}
	adminReply(w, s.SetPermissions(in.toPermissions()), func() { s.adminGetPermissions(w, r) })
}

func (s *Server) adminClearPermissions(w http.ResponseWriter, r *http.Request) {
	_ = s.SetPermissions(Permissions{}) // the zero value is always valid
	s.adminGetPermissions(w, r)
}
