package fakedts

import (
	"net/http"
)

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
