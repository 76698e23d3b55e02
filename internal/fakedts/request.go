package fakedts

import (
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// APIVersion is the only Version the fake serves.
const APIVersion = "2020-01-01"

const maxBodyBytes = 1 << 20

// apiRequest is an API call with its parameters gathered from the query
// string and a form body.
type apiRequest struct {
	r       *http.Request
	body    []byte
	query   url.Values
	form    url.Values
	params  url.Values // query and form together, as V1 signs them
	action  string
	version string
}

// param is the first value of name, from the query, else the form body.
func (q *apiRequest) param(name string) string {
	if v := q.query[name]; len(v) > 0 {
		return v[0]
	}
	if v := q.form[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// parseAPIRequest reads the body and parameters; it judges nothing but
// the request's form.
func parseAPIRequest(w http.ResponseWriter, r *http.Request) (*apiRequest, *apiError) {
	q := &apiRequest{r: r, form: url.Values{}}
	if r.URL.Path != "/" {
		return q, gatewayError(http.StatusNotFound, CodeInvalidAPINotFound, messageAPINotFound)
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		return q, gatewayError(http.StatusBadRequest, CodeUnsupportedHTTPMethod, messageUnsupportedHTTPMethod)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		return q, errInvalidParameter("body", "The request body could not be read or exceeds 1 MiB.")
	}
	q.body = body
	if q.query, err = url.ParseQuery(r.URL.RawQuery); err != nil {
		return q, errInvalidParameter("query", "The query string is malformed.")
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/x-www-form-urlencoded" {
		if q.form, err = url.ParseQuery(string(body)); err != nil {
			return q, errInvalidParameter("body", "The form body is malformed.")
		}
	}
	q.params = url.Values{}
	for _, src := range []url.Values{q.query, q.form} {
		for k, v := range src {
			q.params[k] = append(q.params[k], v...)
		}
	}
	var e *apiError
	if q.action, e = paramOrHeader(q, "Action", "x-acs-action"); e != nil {
		return q, e
	}
	if q.version, e = paramOrHeader(q, "Version", "x-acs-version"); e != nil {
		return q, e
	}
	return q, nil
}

// paramOrHeader reads a value that may come as a parameter or a header;
// both present and different is an error, not a silent choice.
func paramOrHeader(q *apiRequest, param, header string) (string, *apiError) {
	p, h := q.param(param), q.r.Header.Get(header)
	if p != "" && h != "" && p != h {
		return "", errInvalidParameter(param, "The "+param+" parameter and the "+header+" header differ.")
	}
	return cmp.Or(p, h), nil
}

// newRequestID returns an upper-case random UUID (version 4).
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := strings.ToUpper(hex.EncodeToString(b[:]))
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
