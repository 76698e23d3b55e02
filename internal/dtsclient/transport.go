package dtsclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
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
	ue, ok := errors.AsType[*url.Error](err)
	if !ok {
		return err
	}
	u, perr := url.Parse(ue.URL)
	clean := "(redacted URL)"
	if perr == nil {
		clean = u.Scheme + "://" + u.Host + u.Path
	}
	return &url.Error{Op: ue.Op, URL: clean, Err: ue.Err}
}

// errCrossHostRedirect ends a request that DTS's endpoint redirected to
// another host or scheme; repeating it would meet the same redirect.
var errCrossHostRedirect = errors.New("redirect to another host refused")

// sameHostRedirects wraps a CheckRedirect policy (nil: Go's default) so that
// a redirect to another host or scheme is refused, never followed: the
// request carries x-acs-security-token (and, signed V1, the token in its
// query), which Go would forward to any host, and a signature for this host.
func sameHostRedirects(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		from := via[0].URL
		if !strings.EqualFold(req.URL.Host, from.Host) || req.URL.Scheme != from.Scheme {
			return fmt.Errorf("%w: the endpoint %s answered with a redirect to %s://%s, which would receive the request's credentials; "+
				"set endpoint to the host that serves the DTS API", errCrossHostRedirect, from.Host, req.URL.Scheme, RedactUserinfo(req.URL.Host))
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
}

// withRedirectPolicy returns a copy of hc that refuses cross-host redirects,
// keeping its transport, timeout, jar and own redirect policy.
func withRedirectPolicy(hc *http.Client) *http.Client {
	c := *hc
	c.CheckRedirect = sameHostRedirects(hc.CheckRedirect)
	return &c
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
