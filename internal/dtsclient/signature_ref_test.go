package dtsclient

// Independent reference implementations of the V1 and V3 signatures from
// docs/development/dts-api.md §3, used only to verify what darabonba puts on the wire.

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
)

// percentEncode is RFC 3986 encoding as Alibaba Cloud signs it.
func percentEncode(s string) string {
	e := url.QueryEscape(s)
	e = strings.ReplaceAll(e, "+", "%20")
	e = strings.ReplaceAll(e, "*", "%2A")
	return strings.ReplaceAll(e, "%7E", "~")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// refSignV1 returns Base64(HMAC-SHA1(secret+"&", StringToSign)).
func refSignV1(method string, params map[string]string, secret string) string {
	pairs := make([]string, 0, len(params))
	for _, k := range sortedKeys(params) {
		if k == "Signature" {
			continue
		}
		pairs = append(pairs, percentEncode(k)+"="+percentEncode(params[k]))
	}
	stringToSign := strings.ToUpper(method) + "&" + percentEncode("/") + "&" + percentEncode(strings.Join(pairs, "&"))
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// refSignV3 returns the hex HMAC-SHA256 signature and the canonical-request hash.
// headers holds only the signed headers, lower-cased, values already joined.
func refSignV3(method, path string, query map[string]string, headers map[string]string, payloadHash, secret string) (sig, canonicalHash string) {
	qs := make([]string, 0, len(query))
	for _, k := range sortedKeys(query) {
		qs = append(qs, k+"="+percentEncode(query[k]))
	}
	names := sortedKeys(headers)
	var ch strings.Builder
	for _, n := range names {
		ch.WriteString(n + ":" + strings.TrimSpace(headers[n]) + "\n")
	}
	if path == "" {
		path = "/"
	}
	canonical := strings.Join([]string{
		method, path, strings.Join(qs, "&"), ch.String(), strings.Join(names, ";"), payloadHash,
	}, "\n")
	sum := sha256.Sum256([]byte(canonical))
	canonicalHash = hex.EncodeToString(sum[:])
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("ACS3-HMAC-SHA256\n" + canonicalHash))
	return hex.EncodeToString(mac.Sum(nil)), canonicalHash
}

// verifyV1 checks a recorded request's V1 signature (query and form params).
func verifyV1(r recordedRequest, secret string) error {
	params := map[string]string{}
	for k, v := range r.Query {
		params[k] = v[0]
	}
	if form, err := url.ParseQuery(r.Body); err == nil {
		for k, v := range form {
			params[k] = v[0]
		}
	}
	got := r.Query.Get("Signature")
	if got == "" {
		return fmt.Errorf("no Signature parameter")
	}
	if want := refSignV1(r.Method, params, secret); got != want {
		return fmt.Errorf("Signature = %q, want %q", got, want)
	}
	return nil
}

// parseV3Authorization splits "ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..".
func parseV3Authorization(auth string) (map[string]string, error) {
	const prefix = "ACS3-HMAC-SHA256 "
	if !strings.HasPrefix(auth, prefix) {
		return nil, fmt.Errorf("Authorization %q lacks prefix %q", auth, prefix)
	}
	parts := map[string]string{}
	for _, kv := range strings.Split(strings.TrimPrefix(auth, prefix), ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, fmt.Errorf("malformed Authorization part %q", kv)
		}
		parts[k] = v
	}
	return parts, nil
}

// verifyV3 rebuilds the canonical request from the SignedHeaders list, using the
// Host header as received, and checks the signature and body hash.
func verifyV3(r recordedRequest, secret string) error {
	parts, err := parseV3Authorization(r.Header.Get("Authorization"))
	if err != nil {
		return err
	}
	bodySum := sha256.Sum256([]byte(r.Body))
	payloadHash := hex.EncodeToString(bodySum[:])
	if got := r.Header.Get("x-acs-content-sha256"); got != payloadHash {
		return fmt.Errorf("x-acs-content-sha256 = %q, want %q", got, payloadHash)
	}
	headers := map[string]string{}
	for _, name := range strings.Split(parts["SignedHeaders"], ";") {
		if name == "host" {
			headers[name] = r.Host
			continue
		}
		vals := append([]string(nil), r.Header.Values(http.CanonicalHeaderKey(name))...)
		for i := range vals {
			vals[i] = strings.TrimSpace(vals[i])
		}
		sort.Strings(vals)
		headers[name] = strings.Join(vals, ",")
	}
	query := map[string]string{}
	for k, v := range r.Query {
		query[k] = v[0]
	}
	want, _ := refSignV3(r.Method, r.Path, query, headers, payloadHash, secret)
	if parts["Signature"] != want {
		return fmt.Errorf("Signature = %q, want %q", parts["Signature"], want)
	}
	return nil
}

// TestReferenceSigners proves the test signers against docs/development/dts-api.md §3's worked examples.
func TestReferenceSigners(t *testing.T) {
	t.Parallel()

	t.Run("v1 doc vector GET", func(t *testing.T) {
		t.Parallel()
		params := map[string]string{
			"AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML",
			"SignatureMethod": "HMAC-SHA1", "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
			"SignatureVersion": "1.0", "Timestamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26",
		}
		if got, want := refSignV1("GET", params, "testsecret"), "OLeaidS1JvxuMvnyHOwuJ+uX5qY="; got != want {
			t.Errorf("GET signature = %q, want %q", got, want)
		}
		if got, want := refSignV1("POST", params, "testsecret"), "MxbnVAM4w6sft9xjVpe/GCKueuk="; got != want {
			t.Errorf("POST signature = %q, want %q", got, want)
		}
	})

	t.Run("v1 DTS vector", func(t *testing.T) {
		t.Parallel()
		params := map[string]string{
			"Action": "SuspendDtsJob", "Format": "json", "Version": "2020-01-01",
			"Timestamp": "2024-05-01T08:00:00Z", "SignatureNonce": "5f1c3a0e9d2b4c7e8a6f0b1d2c3e4f5a",
			"SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "AccessKeyId": "testid",
			"DtsJobId": "l3m1213ye7lxxxx", "RegionId": "cn-hangzhou", "SynchronizationDirection": "Forward",
		}
		if got, want := refSignV1("POST", params, "testsecret"), "i3sHx2kdkGlsKmuMtXbVP/PPy5A="; got != want {
			t.Errorf("signature = %q, want %q", got, want)
		}
	})

	t.Run("v3 doc vector", func(t *testing.T) {
		t.Parallel()
		query := map[string]string{"ImageId": "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd", "RegionId": "cn-shanghai"}
		headers := map[string]string{
			"host": "ecs.cn-shanghai.aliyuncs.com", "x-acs-action": "RunInstances",
			"x-acs-content-sha256":  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
			"x-acs-date":            "2023-10-26T10:22:32Z",
			"x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703d", "x-acs-version": "2014-05-26",
		}
		sig, hash := refSignV3("POST", "/", query, headers, headers["x-acs-content-sha256"], "YourAccessKeySecret")
		if want := "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"; hash != want {
			t.Errorf("canonical hash = %q, want %q", hash, want)
		}
		if want := "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"; sig != want {
			t.Errorf("signature = %q, want %q", sig, want)
		}
	})

	t.Run("v3 DTS vector", func(t *testing.T) {
		t.Parallel()
		query := map[string]string{"DtsJobId": "l3m1213ye7lxxxx", "RegionId": "cn-hangzhou", "SynchronizationDirection": "Forward"}
		headers := map[string]string{
			"host": "dts.cn-hangzhou.aliyuncs.com", "x-acs-action": "SuspendDtsJob",
			"x-acs-content-sha256":  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
			"x-acs-date":            "2024-05-01T08:00:00Z",
			"x-acs-signature-nonce": "5f1c3a0e9d2b4c7e8a6f0b1d2c3e4f5a", "x-acs-version": "2020-01-01",
		}
		sig, hash := refSignV3("POST", "/", query, headers, headers["x-acs-content-sha256"], "testsecret")
		if want := "9eb106cb7428e6db17dba76aee0858c43acc6d7dbe607b938db9748b6e32fd58"; hash != want {
			t.Errorf("canonical hash = %q, want %q", hash, want)
		}
		if want := "c14994f3a27dbd23b554e08361c70229dea884bc137b33a024f68961beba8bcd"; sig != want {
			t.Errorf("signature = %q, want %q", sig, want)
		}
	})
}
