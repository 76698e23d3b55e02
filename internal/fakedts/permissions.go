package fakedts

import (
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"path"
	"slices"
	"strings"
)

// Permissions play the part of RAM: which actions each access key may call.
// The zero value allows everything, as for an account's own key.
type Permissions struct {
	// Policies, at most one per access key; a policy with an empty
	// AccessKeyID applies to every key that has none of its own.
	Policies []Policy
	// Code answers a denied call: CodeNoPermission (default when empty) or
	// CodeForbiddenRAM, the two codes RAM's troubleshooting page names for
	// API calls.
	Code string
}

// Policy is a RAM-policy-like rule for one access key. Actions are written
// as in a RAM policy, "dts:SuspendDtsJob", or bare, "SuspendDtsJob"; "*"
// matches any run of characters ("dts:Describe*"); case does not matter.
type Policy struct {
	AccessKeyID string
	// Allow, when not nil, lists the only actions the key may call; every
	// other action is implicitly denied. Nil allows every action.
	Allow []string
	// Deny lists actions refused even when Allow matches them (an explicit
	// deny wins, as in RAM).
	Deny []string
}

// Denial codes of RAM for API calls.
const (
	CodeNoPermission = "NoPermission"
	CodeForbiddenRAM = "Forbidden.RAM"
)

// fakeAccountID is the Alibaba Cloud account the fake's keys belong to; it
// appears in denial messages only.
const fakeAccountID = "1000000000000001"

// accessDeniedDetail is the diagnostic object a 403 from RAM carries.
type accessDeniedDetail struct {
	AuthAction               string `json:"AuthAction"`
	AuthPrincipalType        string `json:"AuthPrincipalType"`
	AuthPrincipalOwnerID     string `json:"AuthPrincipalOwnerId"`
	AuthPrincipalDisplayName string `json:"AuthPrincipalDisplayName"`
	NoPermissionType         string `json:"NoPermissionType"`
	PolicyType               string `json:"PolicyType"`
	EncodedDiagnosticMessage string `json:"EncodedDiagnosticMessage"`
}

// normalized fills the default code and checks every pattern.
func (p Permissions) normalized() (Permissions, error) {
	p.Code = cmp.Or(p.Code, CodeNoPermission)
	if p.Code != CodeNoPermission && p.Code != CodeForbiddenRAM {
		return p, fmt.Errorf("denial code %q is not %s or %s", p.Code, CodeNoPermission, CodeForbiddenRAM)
	}
	seen := map[string]bool{}
	out := make([]Policy, 0, len(p.Policies))
	for _, pol := range p.Policies {
		if seen[pol.AccessKeyID] {
			return p, fmt.Errorf("more than one policy for access key %q", pol.AccessKeyID)
		}
		seen[pol.AccessKeyID] = true
		for _, pat := range append(append([]string(nil), pol.Allow...), pol.Deny...) {
			if _, err := actionPattern(pat); err != nil {
				return p, err
			}
		}
		c := Policy{AccessKeyID: pol.AccessKeyID, Deny: append([]string(nil), pol.Deny...)}
		if pol.Allow != nil {
			c.Allow = append([]string{}, pol.Allow...)
		}
		out = append(out, c)
	}
	p.Policies = out
	return p, nil
}

// actionPattern turns a RAM action ("dts:Describe*") into a lower-case
// pattern over bare action names.
func actionPattern(raw string) (string, error) {
	pat := strings.ToLower(strings.TrimSpace(raw))
	if product, rest, ok := strings.Cut(pat, ":"); ok {
		if product != "dts" {
			return "", fmt.Errorf("action %q is not a dts: action", raw)
		}
		pat = rest
	}
	if pat == "" {
		return "", fmt.Errorf("empty action pattern %q", raw)
	}
	if _, err := path.Match(pat, ""); err != nil {
		return "", fmt.Errorf("action pattern %q: %w", raw, err)
	}
	return pat, nil
}

func matchesAny(patterns []string, action string) bool {
	a := strings.ToLower(action)
	for _, raw := range patterns {
		pat, err := actionPattern(raw)
		if err != nil {
			continue
		}
		if ok, _ := path.Match(pat, a); ok {
			return true
		}
	}
	return false
}

// SetPermissions replaces the permissions; calls are judged by them from
// the next call on.
func (s *Server) SetPermissions(p Permissions) error {
	np, err := p.normalized()
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.permissions = np
	return nil
}

// CurrentPermissions returns the permissions in force, defaults filled in.
func (s *Server) CurrentPermissions() Permissions {
	s.mu.Lock()
	defer s.mu.Unlock()
	np, _ := s.permissions.normalized() // copies; it was valid when set
	return np
}

// authorize is RAM's check of an authenticated call: nil, or the 403 the
// gateway answers for a denied action, whichever family it belongs to.
func (s *Server) authorize(accessKeyID, action, region string) *apiError {
	s.mu.Lock()
	perms := s.permissions
	s.mu.Unlock()
	// The key's own policy, else the one for every key (at most one each).
	i := slices.IndexFunc(perms.Policies, func(p Policy) bool { return p.AccessKeyID == accessKeyID })
	if i < 0 {
		i = slices.IndexFunc(perms.Policies, func(p Policy) bool { return p.AccessKeyID == "" })
	}
	if i < 0 {
		return nil
	}
	pol := perms.Policies[i]
	var kind string
	switch {
	case matchesAny(pol.Deny, action):
		kind = "ExplicitDeny"
	case pol.Allow != nil && !matchesAny(pol.Allow, action):
		kind = "ImplicitDeny"
	default:
		return nil
	}
	region = cmp.Or(region, "*")
	authAction := "dts:" + action
	msg := fmt.Sprintf("You are not authorized to do this action. Resource: acs:dts:%s:%s:* Action: %s",
		region, fakeAccountID, authAction)
	if perms.Code == CodeForbiddenRAM {
		msg = "User not authorized to operate on the specified resource, or this API doesn't support RAM."
	}
	sum := sha256.Sum256([]byte(accessKeyID + "\x00" + authAction + "\x00" + kind))
	e := gatewayError(http.StatusForbidden, perms.Code, msg)
	e.denied = &accessDeniedDetail{
		AuthAction:               authAction,
		AuthPrincipalType:        "SubUser",
		AuthPrincipalOwnerID:     fakeAccountID,
		AuthPrincipalDisplayName: accessKeyID,
		NoPermissionType:         kind,
		PolicyType:               "AccountLevelIdentityBasedPolicy",
		EncodedDiagnosticMessage: base64.StdEncoding.EncodeToString(sum[:]),
	}
	return e
}
