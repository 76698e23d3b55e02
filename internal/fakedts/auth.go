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
// Authorization header means V3, anything else is judged as V1.
func (s *Server) authenticate(req *apiRequest) (authResult, *apiError) {
	if strings.HasPrefix(strings.TrimSpace(req.r.Header.Get("Authorization")), "ACS3-") {
		return s.verifyV3(req)
	}
	return s.verifyV1(req)
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
