package fakedts

import (
	"cmp"
	"crypto/subtle"
	"net/http"
	"strings"
	"time"
)

// DefaultTimestampWindow is how far a signature timestamp may be from the
// fake clock, as the gateway documents.
const DefaultTimestampWindow = 15 * time.Minute

// Credential is one access key the fake accepts. A non-empty SecurityToken
// makes it an STS credential: requests must then carry exactly that token.
type Credential struct {
	AccessKeyID     string `json:"access_key_id"`
	AccessKeySecret string `json:"access_key_secret"`
	SecurityToken   string `json:"security_token,omitempty"`
}

// DefaultCredential is the fixed key pair the fake accepts when Options
// names none. It protects nothing; it only makes clients sign.
func DefaultCredential() Credential {
	return Credential{
		AccessKeyID:     "LTAIfakedts000000001",
		AccessKeySecret: "fakedts-secret-not-a-real-key-000001",
	}
}

type authResult struct {
	ok          bool
	signature   string // "v1" or "v3"
	accessKeyID string
}

// authenticate picks the algorithm from the request's shape: an ACS3
// Authorization header means V3, anything else is judged as V1. The nonce
// is used once the signature verified.
func (s *Server) authenticate(req *apiRequest) (authResult, *apiError) {
	verify, nonce := s.verifyV1, req.param("SignatureNonce")
	if strings.HasPrefix(strings.TrimSpace(req.r.Header.Get("Authorization")), "ACS3-") {
		verify, nonce = s.verifyV3, req.r.Header.Get("x-acs-signature-nonce")
	}
	res, e := verify(req)
	if e == nil {
		e = s.useNonce(res.accessKeyID, nonce)
	}
	res.ok = e == nil
	return res, e
}

func (s *Server) checkTimestamp(value string) *apiError {
	ts, err := time.Parse(time.RFC3339, value)
	if err != nil {
		return gatewayError(http.StatusBadRequest, CodeInvalidTimeStampFormat, messageTimeStampFormat)
	}
	window := cmp.Or(s.opts.TimestampWindow, DefaultTimestampWindow)
	if window < 0 {
		return nil
	}
	skew := s.Now().Sub(ts)
	if skew > window || skew < -window {
		return gatewayError(http.StatusBadRequest, CodeInvalidTimeStampExpired, messageTimeStampExpired)
	}
	return nil
}

func (s *Server) lookupCredential(id string) (Credential, *apiError) {
	cred, ok := s.creds[id]
	if !ok {
		return Credential{}, gatewayError(http.StatusNotFound, CodeInvalidAccessKeyNotFound, messageAccessKeyNotFound)
	}
	return cred, nil
}

// checkSecurityToken demands the credential's token exactly, and no token
// at all for a plain key pair.
func checkSecurityToken(cred Credential, got string) *apiError {
	switch {
	case cred.SecurityToken == "" && got == "":
		return nil
	case cred.SecurityToken == "":
		return gatewayError(http.StatusBadRequest, CodeSecurityTokenMismatch,
			messageSecurityTokenMismatch+" The AccessKey is not an STS key but a SecurityToken was sent.")
	case got == "":
		return gatewayError(http.StatusBadRequest, CodeMissingSecurityToken, messageMissingSecurityToken)
	case subtle.ConstantTimeCompare([]byte(cred.SecurityToken), []byte(got)) != 1:
		return gatewayError(http.StatusBadRequest, CodeSecurityTokenMismatch, messageSecurityTokenMismatch)
	}
	return nil
}

// useNonce records a nonce of a request whose signature already verified,
// so forged requests cannot burn nonces.
func (s *Server) useNonce(accessKeyID, nonce string) *apiError {
	if nonce == "" {
		return gatewayError(http.StatusBadRequest, CodeIncompleteSignature, messageIncompleteSignature+" The nonce is empty.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.nonces.use(accessKeyID+"\x00"+nonce, s.nowLocked()) {
		return gatewayError(http.StatusBadRequest, CodeSignatureNonceUsed, messageSignatureNonceUsed)
	}
	return nil
}

// nonceCache remembers nonces for ttl, in insertion order, and never more
// than max of them: past max the oldest are forgotten first.
type nonceCache struct {
	ttl   time.Duration
	max   int
	seen  map[string]time.Time
	queue []nonceEntry
	head  int
}

type nonceEntry struct {
	key string
	at  time.Time
}

func newNonceCache(ttl time.Duration, limit int) *nonceCache {
	return &nonceCache{ttl: ttl, max: limit, seen: make(map[string]time.Time)}
}

// use reports whether key is fresh, and records it.
func (c *nonceCache) use(key string, now time.Time) bool {
	c.prune(now)
	if _, dup := c.seen[key]; dup {
		return false
	}
	c.seen[key] = now
	c.queue = append(c.queue, nonceEntry{key, now})
	for len(c.seen) > c.max {
		c.popFront()
	}
	return true
}

func (c *nonceCache) prune(now time.Time) {
	for c.head < len(c.queue) && now.Sub(c.queue[c.head].at) > c.ttl {
		c.popFront()
	}
	// Compact once the dead prefix dominates, keeping memory bounded.
	if c.head > 1024 && c.head > len(c.queue)/2 {
		c.queue = append([]nonceEntry(nil), c.queue[c.head:]...)
		c.head = 0
	}
}

func (c *nonceCache) popFront() {
	e := c.queue[c.head]
	c.queue[c.head] = nonceEntry{}
	c.head++
	if at, ok := c.seen[e.key]; ok && at.Equal(e.at) {
		delete(c.seen, e.key)
	}
}

func (c *nonceCache) len() int { return len(c.seen) }
