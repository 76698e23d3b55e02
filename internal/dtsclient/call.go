package dtsclient

import (
	"context"
	"errors"
	"fmt"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
)

// callMeta names a call for errors and logs.
type callMeta struct {
	action    string
	jobID     string
	direction string
	regionID  string
}

func (m callMeta) fail(ae *APIError) *APIError {
	ae.Action, ae.JobID, ae.Direction = m.action, m.jobID, m.direction
	return ae
}

func (m callMeta) invalid(format string, args ...any) *APIError {
	return m.fail(&APIError{Err: fmt.Errorf("%w: "+format, append([]any{ErrInvalidInput}, args...)...)})
}

// param is one action parameter; the order is kept for readable logs and tests.
type param struct{ name, value string }

// call runs one action with retries and returns the decoded body of the
// successful attempt. Each attempt decodes into a fresh T so fields of a failed
// attempt cannot leak into the result.
func call[T any, PT interface {
	*T
	enveloped
}](ctx context.Context, c *Client, m callMeta, params []param) (PT, error) {
	var out PT
	err := c.invoke(ctx, m, params, func() enveloped {
		out = new(T)
		return out
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// invoke runs one action with retries; fresh returns the struct to decode into.
func (c *Client) invoke(ctx context.Context, m callMeta, params []param, fresh func() enveloped) error {
	query := make(map[string]*string, len(params))
	for _, p := range params {
		query[p.name] = dara.String(p.value)
	}
	var last *APIError
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return m.fail(ctxDoneError(err, last))
		}
		if err := c.throttle.wait(ctx); err != nil {
			return m.fail(ctxDoneError(err, last))
		}
		start := time.Now()
		out := fresh()
		status, ae := c.attempt(ctx, m.action, query, out)
		elapsed := time.Since(start)
		if ae == nil {
			c.log(ctx, m, attempt, elapsed, "ok", string(out.env().RequestID), status, nil, 0)
			return nil
		}
		ae = m.fail(ae)
		if attempt >= c.maxRetries || !ae.retryable() || ctx.Err() != nil {
			c.log(ctx, m, attempt, elapsed, "error", ae.RequestID, ae.HTTPStatus, ae, 0)
			return ae
		}
		wait := backoff(attempt, c.baseDelay, c.maxDelay, ae.retryAfter)
		if ae.throttled() {
			c.throttle.hold(wait)
		}
		c.log(ctx, m, attempt, elapsed, "retry", ae.RequestID, ae.HTTPStatus, ae, wait)
		last = ae
		if err := sleep(ctx, wait); err != nil {
			return m.fail(ctxDoneError(err, last))
		}
	}
}

// ctxDoneError reports the caller's context ending, keeping the last attempt's
// HTTP details for context.
func ctxDoneError(ctxErr error, last *APIError) *APIError {
	if last == nil {
		return &APIError{Err: ctxErr}
	}
	return &APIError{
		HTTPStatus: last.HTTPStatus,
		Code:       last.Code,
		Message:    last.Message,
		RequestID:  last.RequestID,
		Err:        fmt.Errorf("%w (while waiting to retry)", ctxErr),
	}
}

// attempt sends one request through darabonba and interprets the captured
// response; it returns the HTTP status (0 without a response).
func (c *Client) attempt(ctx context.Context, action string, query map[string]*string, out enveloped) (int, *APIError) {
	actx, cancel := context.WithTimeout(ctx, c.requestTimeout)
	defer cancel()
	actx, raw := withCapture(actx)

	params := &openapi.Params{
		Action:      dara.String(action),
		Version:     dara.String(APIVersion),
		Protocol:    dara.String(c.protocol),
		Pathname:    dara.String("/"),
		Method:      dara.String("POST"),
		AuthType:    dara.String("AK"),
		Style:       dara.String("RPC"),
		ReqBodyType: dara.String("formData"),
		// "binary" hands back the body unread: the capture already holds it, so
		// darabonba neither parses nor re-encodes it.
		BodyType: dara.String("binary"),
	}
	dc := *c.dara // Shallow copy: CallApiWithCtx writes dc.Headers.
	_, derr := dc.CallApiWithCtx(actx, params, &openapi.OpenApiRequest{Query: query}, &dara.RuntimeOptions{})

	if raw.status == 0 {
		return 0, transportError(ctx, actx, c.requestTimeout, derr)
	}
	if raw.readErr != nil && actx.Err() != nil {
		ae := transportError(ctx, actx, c.requestTimeout, raw.readErr)
		ae.HTTPStatus = raw.status
		return raw.status, ae
	}
	ae := interpret(raw, out)
	if ae != nil && isThrottleCode(ae.Code) {
		ae.retryAfter = retryAfter(derr, raw)
	}
	return raw.status, ae
}

// transportError classifies a failure without a usable response.
func transportError(ctx, actx context.Context, timeout time.Duration, err error) *APIError {
	switch {
	case ctx.Err() != nil:
		return &APIError{Err: ctx.Err()}
	case errors.Is(actx.Err(), context.DeadlineExceeded):
		return &APIError{Err: &attemptTimeoutError{timeout: timeout, err: context.DeadlineExceeded}}
	case err == nil:
		return &APIError{Err: errors.New("no HTTP response received")}
	}
	return &APIError{Err: err}
}

// retryAfter reads darabonba's throttling hint (milliseconds), falling back to the
// same rate-limit headers when darabonba did not classify the body as throttling.
func retryAfter(derr error, raw *rawResponse) time.Duration {
	var te *openapi.ThrottlingError
	if errors.As(derr, &te) && te.RetryAfter != nil && *te.RetryAfter > 0 {
		return time.Duration(*te.RetryAfter) * time.Millisecond
	}
	headers := map[string]*string{}
	for _, k := range []string{"x-ratelimit-user-api", "x-ratelimit-user"} {
		if v := raw.header.Get(k); v != "" {
			headers[k] = dara.String(v)
		}
	}
	if ms := dara.Int64Value(openapiutil.GetThrottlingTimeLeft(headers)); ms > 0 {
		return time.Duration(ms) * time.Millisecond
	}
	return 0
}

// log emits one entry per attempt; outcome is "ok", "retry" or "error".
func (c *Client) log(ctx context.Context, m callMeta, attempt int, elapsed time.Duration, outcome, requestID string, status int, ae *APIError, wait time.Duration) {
	if c.logger == nil {
		return
	}
	fields := map[string]any{
		"action":      m.action,
		"job_id":      m.jobID,
		"direction":   m.direction,
		"region_id":   m.regionID,
		"attempt":     attempt + 1,
		"duration_ms": elapsed.Milliseconds(),
		"request_id":  requestID,
		"http_status": status,
		"code":        "",
		"outcome":     outcome,
	}
	level, msg := "debug", "DTS request succeeded"
	if ae != nil {
		fields["code"] = ae.Code
		fields["error"] = ae.Error()
		level, msg = "error", "DTS request failed"
		if outcome == "retry" {
			fields["retry_in_ms"] = wait.Milliseconds()
			level, msg = "warn", "DTS request failed, retrying"
		}
	}
	c.logger(ctx, level, msg, fields)
}
