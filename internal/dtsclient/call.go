package dtsclient

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync/atomic"
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

// invoke runs one action with retries and returns the decoded body of the
// successful attempt. Each attempt decodes into a fresh T so fields of a
// failed attempt cannot leak into the result. Every request first waits for
// its slot in the pacer. A throttling answer is retried for as long as the
// deadline allows (the caller's, else the read budget) and does not count
// against maxRetries, which bounds the retries of server and network errors.
func invoke[T any, PT interface {
	*T
	enveloped
}](ctx context.Context, c *Client, m callMeta, params []param) (PT, error) {
	query := make(map[string]*string, len(params))
	for _, p := range params {
		query[p.name] = dara.String(p.value)
	}
	lim := c.pacer.limiter(c.account, m.regionID, m.action)
	// tr counts this call's pacing and throttling, for the report of a call
	// that runs out of time.
	tr := &ThrottleReport{Action: m.action}
	var deadline time.Time
	if d, ok := ctx.Deadline(); ok {
		deadline, tr.Limit = d, time.Until(d)
	} else {
		deadline, tr.Limit, tr.Budget = c.pacer.now().Add(c.throttleBudget), c.throttleBudget, true
	}
	var last *APIError
	failures := 0
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, m.fail(c.doneError(err, last, lim, tr))
		}
		r, waited, err := c.pace(ctx, lim, deadline)
		tr.Waited += waited
		if err != nil {
			return nil, m.fail(c.doneError(err, last, lim, tr))
		}
		start := time.Now()
		lim.sent(c.pacer.now())
		tr.Calls++
		out := PT(new(T))
		status, sent, ae := c.attempt(ctx, m.action, query, out)
		elapsed := time.Since(start)
		if ae == nil {
			if lim.success(c.pacer.now()) {
				c.logPacer(ctx, "DTS rate limiter back at the rate DTS last throttled", lim, nil)
			}
			c.log(ctx, m, attempt, elapsed, "ok", string(out.env().RequestID), status, nil, 0, lim, waited)
			return out, nil
		}
		ae = m.fail(ae)
		if isThrottleCode(ae.Code) && ctx.Err() == nil {
			tr.Throttled++
			now := c.pacer.now()
			if lim.throttle(now, r, max(ae.retryAfter, c.baseDelay)) {
				c.logPacer(ctx, "DTS throttled a call: rate limiter slowed down", lim, map[string]any{"retry_after_ms": ae.retryAfter.Milliseconds()})
			}
			c.log(ctx, m, attempt, elapsed, "retry", ae.RequestID, ae.HTTPStatus, ae, lim.holdFor(now), lim, waited)
			last = ae
			continue
		}
		if sent && m.mutating() && ae.retryable() && ctx.Err() == nil {
			// DTS may have carried it out: the caller reads the job and
			// decides, rather than relying on DTS to refuse a repeat.
			ae.Err = &outcomeUnknownError{cause: ae.Err}
			c.log(ctx, m, attempt, elapsed, "error", ae.RequestID, ae.HTTPStatus, ae, 0, lim, waited)
			return nil, ae
		}
		if failures >= c.maxRetries || !ae.retryable() || ctx.Err() != nil {
			c.log(ctx, m, attempt, elapsed, "error", ae.RequestID, ae.HTTPStatus, ae, 0, lim, waited)
			if err := ctx.Err(); err != nil && tr.Throttled > 0 {
				// The deadline ran out during a request after throttling.
				return nil, m.fail(c.doneError(err, last, lim, tr))
			}
			return nil, ae
		}
		wait := backoff(failures, c.baseDelay, c.maxDelay, ae.retryAfter)
		failures++
		c.log(ctx, m, attempt, elapsed, "retry", ae.RequestID, ae.HTTPStatus, ae, wait, lim, waited)
		last = ae
		if err := Sleep(ctx, wait); err != nil {
			return nil, m.fail(ctxDoneError(err, last))
		}
	}
}

// pace waits for a slot of lim and returns its reservation and the time
// waited. It fails at once, without waiting, when the slot lies past the
// deadline, and promptly when ctx ends while it waits.
func (c *Client) pace(ctx context.Context, lim *limiter, deadline time.Time) (reservation, time.Duration, error) {
	begin := c.pacer.now()
	for {
		now := c.pacer.now()
		r := lim.reserve(now)
		// Only a wait the limiter imposes is judged against the deadline; a
		// call with no wait goes, and its own context decides.
		if r.at.After(now) && r.at.After(deadline) {
			lim.release(r)
			return r, now.Sub(begin), errPastDeadline
		}
		if err := Sleep(ctx, r.at.Sub(now)); err != nil {
			lim.release(r)
			return r, c.pacer.now().Sub(begin), err
		}
		if lim.confirm(r) {
			return r, c.pacer.now().Sub(begin), nil
		}
		// The rate dropped while this call waited: queue again at the new rate.
	}
}

// doneError builds the error of a call that ran out of time or was
// cancelled before or while waiting for the pacer: with a ThrottleReport when
// throttling or pacing is why it ran out of time.
func (c *Client) doneError(err error, last *APIError, lim *limiter, tr *ThrottleReport) *APIError {
	paced := errors.Is(err, errPastDeadline) ||
		errors.Is(err, context.DeadlineExceeded) && (tr.Throttled > 0 || tr.Waited >= time.Second)
	if !paced {
		ae := ctxDoneError(err, last)
		if !errors.Is(err, errPastDeadline) && tr.Waited > 0 {
			ae.Err = fmt.Errorf("%w (while waiting for the DTS rate limiter, %s so far)", err, tr.Waited.Round(time.Millisecond))
		}
		return ae
	}
	tr.Pacer = lim.state(c.pacer.now())
	ae := &APIError{Message: tr.String(), Throttle: tr}
	if last != nil {
		ae.HTTPStatus, ae.Code, ae.RequestID = last.HTTPStatus, last.Code, last.RequestID
	}
	cause := errThrottleBudget
	if !tr.Budget {
		cause = context.DeadlineExceeded
	}
	ae.Err = cause
	return ae
}

// ctxDoneError reports the caller's context ending, keeping the last attempt's
// HTTP details for context.
func ctxDoneError(ctxErr error, last *APIError) *APIError {
	if errors.Is(ctxErr, errPastDeadline) {
		ctxErr = context.DeadlineExceeded
	}
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
// response; it returns the HTTP status (0 without a response) and whether
// any of the request was written to the network. A failure before that
// (credentials, DNS, connect) cannot have reached DTS.
func (c *Client) attempt(ctx context.Context, action string, query map[string]*string, out enveloped) (status int, sent bool, ae *APIError) {
	actx, cancel := context.WithTimeout(ctx, c.requestTimeout)
	defer cancel()
	actx, raw := withCapture(actx)
	var wrote atomic.Bool
	actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{WroteHeaders: func() { wrote.Store(true) }})

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
		return 0, wrote.Load(), transportError(ctx, actx, c.requestTimeout, derr)
	}
	if raw.readErr != nil && actx.Err() != nil {
		ae := transportError(ctx, actx, c.requestTimeout, raw.readErr)
		ae.HTTPStatus = raw.status
		return raw.status, true, ae
	}
	ae = interpret(raw, out)
	if ae == nil {
		ae = incompleteAnswer(action, raw, out)
	}
	if ae != nil && isThrottleCode(ae.Code) {
		ae.retryAfter = retryAfter(derr, raw)
	}
	return raw.status, true, ae
}

// mutating reports whether the call changes a job (Suspend, Start).
func (m callMeta) mutating() bool {
	return strings.HasPrefix(m.action, "Suspend") || strings.HasPrefix(m.action, "Start")
}

// outcomeUnknownError ends a Suspend or Start whose attempt may have reached
// DTS and run: the connection failed or timed out after sending, or the
// answer was a server error, cut short or without the fields it must carry.
type outcomeUnknownError struct{ cause error }

func (e *outcomeUnknownError) Error() string {
	const says = "DTS may have carried out the call, so it was not sent again; only a read of the job tells whether it took"
	if e.cause == nil {
		return says
	}
	return e.cause.Error() + "; " + says
}

func (e *outcomeUnknownError) Unwrap() error { return e.cause }

// MayHaveRun reports whether err ends a Suspend or Start whose attempt may
// have reached DTS and run. The client does not send such a call again: the
// caller reads the job, and sends it again only if the read shows it did
// not take.
func MayHaveRun(err error) bool {
	_, ok := errors.AsType[*outcomeUnknownError](err)
	return ok
}

// incompleteAnswer is the error of a 2xx answer without the fields its
// action must return: a body of null or {}, as a proxy or a gateway fault
// may send, is neither an accepted change nor a status. Reads retry it; a
// Suspend or Start that got it may have run.
func incompleteAnswer(action string, raw *rawResponse, out enveloped) *APIError {
	var missing string
	switch w := out.(type) {
	case *wireResult:
		if w.Success == nil {
			missing = "Success"
		}
	case *wireJobStatus:
		if w.Status == "" {
			missing = "Status"
		}
	case *wireDtsJobDetail:
		if w.Status == "" {
			missing = "Status"
		}
	}
	null := bytes.Equal(bytes.TrimSpace(raw.body), []byte("null"))
	if missing == "" && !null {
		return nil
	}
	msg := "DTS answered HTTP " + strconv.Itoa(raw.status) + " without " + missing + ", which " + action + " always returns"
	if null {
		msg = "DTS answered HTTP " + strconv.Itoa(raw.status) + " with a body of null, where " + action + " returns an object"
	}
	msg += " (" + describeBody(raw) + ")"
	return &APIError{HTTPStatus: raw.status, RequestID: string(out.env().RequestID),
		Err: &malformedBodyError{err: errors.New(msg)}}
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
	if te, ok := errors.AsType[*openapi.ThrottlingError](derr); ok && te.RetryAfter != nil && *te.RetryAfter > 0 {
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
func (c *Client) log(ctx context.Context, m callMeta, attempt int, elapsed time.Duration, outcome, requestID string, status int, ae *APIError, wait time.Duration, lim *limiter, paced time.Duration) {
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
		// How long the call waited for its pacer slot, and the pacer's rate.
		"pacer_wait_ms":    paced.Milliseconds(),
		"pacer_rate_per_s": lim.state(c.pacer.now()).fields()["pacer_rate_per_s"],
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

// logPacer puts the limiter's state in the debug log.
func (c *Client) logPacer(ctx context.Context, msg string, lim *limiter, extra map[string]any) {
	if c.logger == nil {
		return
	}
	fields := lim.state(c.pacer.now()).fields()
	maps.Copy(fields, extra)
	c.logger(ctx, "debug", msg, fields)
}
