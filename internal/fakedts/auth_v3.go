package fakedts

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
)

const v3Algorithm = "ACS3-HMAC-SHA256"

// Headers a V3 request must sign; without them a signature could be
// replayed against another host, time or body.
var v3MandatorySigned = []string{"host", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce"}

// Headers that must be signed when present, because they change what the
// request does or who it runs as.
var v3SignedIfPresent = []string{"x-acs-action", "x-acs-version", "x-acs-security-token", "x-acs-accesskey-id"}

type v3Authorization struct {
	algorithm     string
	accessKeyID   string
	signedHeaders []string
	signature     string
}

// parseV3Authorization splits
// "ACS3-HMAC-SHA256 Credential=ID,SignedHeaders=a;b,Signature=hex".
func parseV3Authorization(h string) (v3Authorization, error) {
	var a v3Authorization
	alg, rest, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok {
		return a, fmt.Errorf("no credential part")
	}
	a.algorithm = alg
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return a, fmt.Errorf("malformed part %q", part)
		}
		switch k {
		case "Credential":
			a.accessKeyID = v
		case "SignedHeaders":
			if v != "" {
				a.signedHeaders = strings.Split(v, ";")
			}
		case "Signature":
			a.signature = v
		}
	}
	switch {
	case a.accessKeyID == "":
		return a, fmt.Errorf("missing Credential")
	case len(a.signedHeaders) == 0:
		return a, fmt.Errorf("missing SignedHeaders")
	case a.signature == "":
		return a, fmt.Errorf("missing Signature")
	}
	return a, nil
}

// v3CanonicalURI is the escaped path with the POP replacements.
func v3CanonicalURI(escapedPath string) string {
	r := strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~")
	return r.Replace(cmp.Or(escapedPath, "/"))
}

// v3CanonicalHeaders rebuilds "name:value\n" lines for the signed names,
// taking host from r.Host exactly as received (port included) and joining
// repeated headers' trimmed values, sorted, with ','.
func v3CanonicalHeaders(r *http.Request, names []string) (string, error) {
	var b strings.Builder
	for _, name := range names {
		if name != strings.ToLower(name) || name == "" {
			return "", fmt.Errorf("signed header %q is not lower case", name)
		}
		var value string
		if name == "host" {
			if r.Host == "" {
				return "", fmt.Errorf("signed header host is missing")
			}
			value = strings.TrimSpace(r.Host)
		} else {
			vals, ok := r.Header[http.CanonicalHeaderKey(name)]
			if !ok {
				return "", fmt.Errorf("signed header %s is missing", name)
			}
			trimmed := make([]string, len(vals))
			for i, v := range vals {
				trimmed[i] = strings.TrimSpace(v)
			}
			sort.Strings(trimmed)
			value = strings.Join(trimmed, ",")
		}
		b.WriteString(name + ":" + value + "\n")
	}
	return b.String(), nil
}

func v3CanonicalRequest(method, uri, query, headers, signedHeaders, payloadHash string) string {
	return method + "\n" + uri + "\n" + query + "\n" + headers + "\n" + signedHeaders + "\n" + payloadHash
}

func v3StringToSign(canonicalRequest string) string {
	return v3Algorithm + "\n" + hexSHA256([]byte(canonicalRequest))
}

// v3Signature is hex(HMAC-SHA256(secret, stringToSign)); no "&" suffix.
func v3Signature(secret, stringToSign string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(stringToSign))
	return hex.EncodeToString(mac.Sum(nil))
}

func hexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// verifyV3 checks an ACS3-HMAC-SHA256 Authorization header up to its
// nonce, which authenticate uses.
func (s *Server) verifyV3(req *apiRequest) (authResult, *apiError) {
	r := req.r
	res := authResult{signature: "v3"}
	incomplete := func(detail string) *apiError {
		return gatewayError(http.StatusBadRequest, CodeIncompleteSignature, messageIncompleteSignature+" "+detail)
	}
	auth, err := parseV3Authorization(r.Header.Get("Authorization"))
	res.accessKeyID = auth.accessKeyID
	if err != nil {
		return res, incomplete("Authorization header: " + err.Error() + ".")
	}
	if auth.algorithm != v3Algorithm {
		return res, gatewayError(http.StatusBadRequest, CodeInvalidSignatureMethod,
			messageInvalidSignatureMethod+" Use "+v3Algorithm+".")
	}
	for _, h := range v3MandatorySigned {
		if !slices.Contains(auth.signedHeaders, h) {
			return res, incomplete("SignedHeaders must include " + h + ".")
		}
	}
	for _, h := range v3MandatorySigned[1:] {
		if r.Header.Get(h) == "" {
			return res, incomplete("Header " + h + " is missing or empty.")
		}
	}
	for _, h := range v3SignedIfPresent {
		if _, present := r.Header[http.CanonicalHeaderKey(h)]; present && !slices.Contains(auth.signedHeaders, h) {
			return res, incomplete("Header " + h + " is present but not signed.")
		}
	}
	canonHeaders, err := v3CanonicalHeaders(r, auth.signedHeaders)
	if err != nil {
		return res, incomplete(err.Error() + ".")
	}
	if e := s.checkTimestamp(r.Header.Get("x-acs-date")); e != nil {
		return res, e
	}
	cred, e := s.lookupCredential(auth.accessKeyID)
	if e != nil {
		return res, e
	}
	if id := r.Header.Get("x-acs-accesskey-id"); id != "" && id != auth.accessKeyID {
		return res, gatewayError(http.StatusBadRequest, CodeSignatureDoesNotMatch,
			messageSignatureDoesNotMatch+" x-acs-accesskey-id differs from the Credential of the Authorization header.")
	}
	token := cmp.Or(r.Header.Get("x-acs-security-token"), req.query.Get("SecurityToken"))
	if e := checkSecurityToken(cred, token); e != nil {
		return res, e
	}
	payloadHash := r.Header.Get("x-acs-content-sha256")
	if actual := hexSHA256(req.body); payloadHash != actual {
		return res, gatewayError(http.StatusBadRequest, CodeSignatureDoesNotMatch,
			messageSignatureDoesNotMatch+" x-acs-content-sha256 is not the SHA-256 of the body ("+actual+").")
	}
	canon := v3CanonicalRequest(r.Method, v3CanonicalURI(r.URL.EscapedPath()), canonicalQuery(req.query),
		canonHeaders, strings.Join(auth.signedHeaders, ";"), payloadHash)
	sts := v3StringToSign(canon)
	want := v3Signature(cred.AccessKeySecret, sts)
	if subtle.ConstantTimeCompare([]byte(want), []byte(auth.signature)) != 1 {
		return res, gatewayError(http.StatusBadRequest, CodeSignatureDoesNotMatch,
			messageSignatureDoesNotMatch+" server string to sign is:"+strings.ReplaceAll(sts, "\n", "\\n")+
				" canonical request is:"+strings.ReplaceAll(canon, "\n", "\\n"))
	}
	return res, nil
}
