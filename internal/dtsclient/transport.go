package dtsclient

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
)

// maxBodyBytes bounds how much of a response is read; DTS pages are far smaller.
const maxBodyBytes = 16 << 20

// captureKey carries a *rawResponse through the request context so the client sees
// the exact status, headers and body, whatever darabonba makes of them.
type captureKey struct{}

func withCapture(ctx context.Context) (context.Context, *rawResponse) {
	raw := &rawResponse{}
	return context.WithValue(ctx, captureKey{}, raw), raw
}

// httpDoer is the dara.HttpClient darabonba calls. It uses one shared http.Client
// (connection reuse; the request context bounds each attempt) and ignores the
// per-request transport darabonba builds.
type httpDoer struct {
	hc *http.Client
}

// Call sends req, reads the whole body into the capture and hands darabonba a
// replayable copy.
func (d *httpDoer) Call(req *http.Request, _ *http.Transport) (*http.Response, error) {
	resp, err := d.hc.Do(req)
	if err != nil {
		return nil, scrubURLError(err)
	}
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes+1))
	_ = resp.Body.Close()
	if readErr == nil && len(body) > maxBodyBytes {
		body, readErr = body[:maxBodyBytes], errTooLarge
	}
	if raw, ok := req.Context().Value(captureKey{}).(*rawResponse); ok {
		raw.status = resp.StatusCode
		raw.header = resp.Header
		raw.body = body
		raw.readErr = scrubURLError(readErr)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, nil
}

// scrubURLError drops the query from a *url.Error: with v1 signing it holds the
// Signature and SecurityToken.
func scrubURLError(err error) error {
	var ue *url.Error
	if err == nil || !errors.As(err, &ue) {
		return err
	}
	u, perr := url.Parse(ue.URL)
	clean := "(redacted URL)"
	if perr == nil {
		clean = u.Scheme + "://" + u.Host + u.Path
	}
	return &url.Error{Op: ue.Op, URL: clean, Err: ue.Err}
}

// newDefaultHTTPClient clones http.DefaultTransport (proxy from environment,
// keep-alive, HTTP/2) so connections are pooled per Client, not process-wide.
func newDefaultHTTPClient() *http.Client {
	base, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return &http.Client{}
	}
	t := base.Clone()
	t.MaxIdleConnsPerHost = 16
	return &http.Client{Transport: t}
}
