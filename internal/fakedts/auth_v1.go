package fakedts

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// V1 common parameters, in the order missing ones are reported.
var v1RequiredParams = []string{"AccessKeyId", "Signature", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp"}

// percentEncode is RFC 3986 encoding as the POP gateway signs it:
// unreserved bytes stay, everything else becomes %XX in upper-case hex, so
// a space is %20, '*' is %2A and '~' stays.
func percentEncode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// canonicalQuery sorts the parameters by name (then value, for repeated
// names) and joins the encoded pairs with '&', as V1 and V3 both sign them.
func canonicalQuery(q url.Values) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(q)) {
		for _, v := range slices.Sorted(slices.Values(q[k])) {
			parts = append(parts, percentEncode(k)+"="+percentEncode(v))
		}
	}
	return strings.Join(parts, "&")
}

// v1StringToSign is METHOD&%2F&enc(canonical query of every parameter but
// Signature).
func v1StringToSign(method string, params url.Values) string {
	signed := maps.Clone(params)
	delete(signed, "Signature")
	return strings.ToUpper(method) + "&" + percentEncode("/") + "&" + percentEncode(canonicalQuery(signed))
}

// v1Signature is base64(HMAC-SHA1(secret+"&", stringToSign)).
func v1Signature(secret, stringToSign string) string {
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// verifyV1 checks a V1 (Signature parameter) request up to its nonce,
// which authenticate uses. Query and form parameters are signed alike.
func (s *Server) verifyV1(req *apiRequest) (authResult, *apiError) {
	for _, name := range v1RequiredParams {
		if req.param(name) == "" {
			return authResult{}, errMissingParameter(name)
		}
	}
	res := authResult{signature: "v1", accessKeyID: req.param("AccessKeyId")}
	if req.param("SignatureMethod") != "HMAC-SHA1" {
		return res, gatewayError(http.StatusBadRequest, CodeInvalidSignatureMethod, messageInvalidSignatureMethod+" Use HMAC-SHA1.")
	}
	if req.param("SignatureVersion") != "1.0" {
		return res, gatewayError(http.StatusBadRequest, CodeIncompleteSignature, messageIncompleteSignature+" SignatureVersion must be 1.0.")
	}
	if e := s.checkTimestamp(req.param("Timestamp")); e != nil {
		return res, e
	}
	cred, e := s.lookupCredential(res.accessKeyID)
	if e != nil {
		return res, e
	}
	if e := checkSecurityToken(cred, req.param("SecurityToken")); e != nil {
		return res, e
	}
	sts := v1StringToSign(req.r.Method, req.params)
	want := v1Signature(cred.AccessKeySecret, sts)
	if subtle.ConstantTimeCompare([]byte(want), []byte(req.param("Signature"))) != 1 {
		return res, gatewayError(http.StatusBadRequest, CodeSignatureDoesNotMatch,
			messageSignatureDoesNotMatch+" server string to sign is:"+sts)
	}
	return res, nil
}
