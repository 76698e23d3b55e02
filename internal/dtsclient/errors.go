package dtsclient

import (
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ErrInvalidInput is wrapped by errors for requests rejected before they are sent.
var ErrInvalidInput = errors.New("invalid input")

// malformedBodyError marks a 2xx answer whose JSON body was cut short in
// transit, or lacks what its action returns. A read is retried; a Suspend or
// Start is not, since it may have run (MayHaveRun).
type malformedBodyError struct{ err error }

func (e *malformedBodyError) Error() string { return e.err.Error() }
func (e *malformedBodyError) Unwrap() error { return e.err }

// errEmptyBody marks an HTTP response without a body where one was expected.
var errEmptyBody = errors.New("empty response body")

// APIError is every failure returned by the Client methods, including network and
// context errors, which it wraps.
type APIError struct {
	Action    string
	JobID     string
	Direction string

	HTTPStatus int // 0 when no HTTP response was received.
	Code       string
	Message    string
	RequestID  string

	Err error // Underlying cause: network, decode or context error.

	// Throttle is set when the call ran out of time (its deadline, or the
	// read budget) while DTS throttled it or the pacer held it back.
	Throttle *ThrottleReport

	// business is set for an HTTP 2xx body with Success=false.
	business bool
	// retryAfter is the server's throttling hint, 0 when absent.
	retryAfter time.Duration
	// dynamicMessage is the maintained family's DynamicMessage, already
	// substituted into Message; kept to classify InvalidParameter.
	dynamicMessage string
}

// Error formats the error without credentials, tokens or signatures.
func (e *APIError) Error() string {
	s := "DTS " + e.Action
	if e.JobID != "" {
		s += " job " + strconv.Quote(e.JobID)
	}
	if e.Direction != "" {
		s += " (" + e.Direction + ")"
	}
	s += ":"
	if e.HTTPStatus != 0 {
		s += " HTTP " + strconv.Itoa(e.HTTPStatus)
	}
	if e.Code != "" {
		s += " " + e.Code + ":"
	}
	msg := e.Message
	if e.Err != nil {
		if cause := e.Err.Error(); !strings.Contains(msg, cause) {
			if msg != "" {
				msg += ": "
			}
			msg += cause
		}
	}
	if msg != "" {
		s += " " + msg
	}
	if e.RequestID != "" {
		s += " (RequestId: " + e.RequestID + ")"
	}
	return Redact(s)
}

// Unwrap returns the underlying cause.
func (e *APIError) Unwrap() error { return e.Err }

// secretKey matches the names of secret-bearing fields in every spelling a
// request, an answer or a credentials file uses: CamelCase (AccessKeySecret,
// SecurityToken, Signature), snake_case (access_key_secret, sts_token,
// security_token), headers (x-acs-security-token, Authorization) and the
// OAuth, OIDC and bearer tokens of the CLI configuration.
const secretKey = `(?:x-acs-)?(?:access[-_]?key[-_]?secret|secret[-_]?(?:access[-_]?)?key|security[-_]?token|sts[-_]?token|` +
	`(?:oauth[-_]?)?(?:access|refresh|bearer|oidc|id)[-_]?token|signature|authorization|password|client[-_]?secret)`

// secretPatterns find a secret value after its name: an XML element, an
// Authorization header (whose value has spaces), a quoted value (JSON,
// INI, Go syntax) and an unquoted one (query strings, the string to sign,
// headers, key = value). Each keeps the name and drops the value.
var secretPatterns = []*regexp.Regexp{
	regexp.MustCompile(`(?i)(<` + secretKey + `>)[^<]*`),
	regexp.MustCompile(`(?i)(authorization["']?\s*[:=]\s*)[^"'\r\n]+`),
	regexp.MustCompile(`(?i)(` + secretKey + `["']?\s*[:=]\s*["'])[^"']*`),
	regexp.MustCompile(`(?i)(` + secretKey + `(?:%3D|%253D|\s*[:=]\s*))[^&\s"',;}<\]]+`),
}

// Redact hides credential-bearing values (secrets, tokens, signatures in
// any of their spellings) in text bound for a diagnostic or a log, which may
// echo a request, an answer or a credentials file.
func Redact(s string) string {
	l := strings.ToLower(s)
	if !strings.Contains(l, "signature") && !strings.Contains(l, "token") && !strings.Contains(l, "secret") &&
		!strings.Contains(l, "authorization") && !strings.Contains(l, "password") {
		return s
	}
	for _, re := range secretPatterns {
		s = re.ReplaceAllString(s, "${1}REDACTED")
	}
	return s
}

// RedactUserinfo hides the user and password of a URL typed as text, for
// messages that quote an endpoint the user gave, parsable or not.
func RedactUserinfo(raw string) string {
	start := 0
	if i := strings.Index(raw, "://"); i >= 0 {
		start = i + len("://")
	}
	end := len(raw)
	if i := strings.IndexAny(raw[start:], "/?#"); i >= 0 {
		end = start + i
	}
	at := strings.LastIndex(raw[start:end], "@")
	if at < 0 {
		return raw
	}
	return raw[:start] + "REDACTED@" + raw[start+at+1:]
}

// CredentialError is a failure to obtain the credentials a request is signed
// with, so nothing reached DTS. Its text is the provider's own account of
// the failure and never quotes the credential source's error, which can hold
// the very secrets the source read (a file it could not parse, an STS answer).
type CredentialError struct {
	// Source says where the credentials were to come from.
	Source string
	// Problem says what failed, naming files and services but no value read.
	Problem string
	// Transient is set for a network failure reaching STS or the instance
	// metadata service, which another attempt may get past.
	Transient bool
}

func (e *CredentialError) Error() string {
	return "unable to obtain credentials from the " + e.Source + ": " + e.Problem
}

// IsNotFound reports whether the job does not exist (Forbidden.InstanceNotFound or InvalidJobId).
func IsNotFound(err error) bool {
	ae, ok := errors.AsType[*APIError](err)
	return ok && (strings.EqualFold(ae.Code, "Forbidden.InstanceNotFound") || strings.EqualFold(ae.Code, "InvalidJobId"))
}

// IsThrottled reports whether DTS refused the call because of flow control.
func IsThrottled(err error) bool {
	ae, ok := errors.AsType[*APIError](err)
	return ok && isThrottleCode(ae.Code)
}

func isThrottleCode(code string) bool {
	return strings.Contains(strings.ToLower(code), "throttling")
}

// IsJobStateConflict reports whether the job's status forbids the requested
// change: the code names the job or task status, in any case (InvalidJobStatus,
// OperationDenied.JobStatus, InvalidTaskStatus and their kin).
func IsJobStateConflict(err error) bool {
	ae, ok := errors.AsType[*APIError](err)
	if !ok {
		return false
	}
	c := strings.ToLower(ae.Code)
	return strings.Contains(c, "jobstatus") || strings.Contains(c, "taskstatus")
}

// IsRetryable reports whether repeating the call may succeed: throttling, HTTP 5xx,
// ServiceUnavailable/InternalError, network errors, per-attempt timeouts and empty
// or truncated bodies. A done caller context is never retryable.
func IsRetryable(err error) bool {
	if err == nil {
		return false
	}
	ae, ok := errors.AsType[*APIError](err)
	if !ok {
		return isTransient(err)
	}
	return ae.retryable()
}

func (e *APIError) retryable() bool {
	if e.Throttle != nil {
		return false
	}
	if _, ok := errors.AsType[*attemptTimeoutError](e.Err); ok {
		return true
	}
	if ce, ok := errors.AsType[*CredentialError](e.Err); ok {
		return ce.Transient
	}
	if errors.Is(e.Err, context.Canceled) || errors.Is(e.Err, context.DeadlineExceeded) || errors.Is(e.Err, ErrInvalidInput) ||
		errors.Is(e.Err, errCrossHostRedirect) {
		return false
	}
	if isThrottleCode(e.Code) || strings.EqualFold(e.Code, "ServiceUnavailable") {
		return true
	}
	if e.business {
		return false
	}
	if strings.EqualFold(e.Code, "InternalError") || e.HTTPStatus >= 500 {
		return true
	}
	if e.HTTPStatus >= 400 {
		return false
	}
	if _, mb := errors.AsType[*malformedBodyError](e.Err); mb || errors.Is(e.Err, errEmptyBody) {
		return true
	}
	return isTransient(e.Err)
}

// isTransient reports whether err is a transport failure worth another attempt.
func isTransient(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	_, ue := errors.AsType[*url.Error](err)
	_, ne := errors.AsType[net.Error](err)
	return ue || ne || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// attemptTimeoutError is a per-attempt timeout (RequestTimeout), unlike the caller's
// own deadline, and is retryable.
type attemptTimeoutError struct {
	timeout time.Duration
	err     error
}

func (e *attemptTimeoutError) Error() string {
	return "request attempt timed out after " + e.timeout.String()
}

func (e *attemptTimeoutError) Unwrap() error { return e.err }

// IsDirectionRejected reports whether DTS refused the direction asked for:
// InvalidParameter naming SynchronizationDirection in DynamicMessage (what the
// maintained family answers for Reverse on a one-way job, docs/development/dts-api.md §4(b)),
// or ErrDirectionNotFound (a detail without a task of that direction).
func IsDirectionRejected(err error) bool {
	if errors.Is(err, ErrDirectionNotFound) {
		return true
	}
	ae, ok := errors.AsType[*APIError](err)
	return ok && strings.HasPrefix(strings.ToLower(ae.Code), "invalidparameter") &&
		strings.EqualFold(strings.TrimSpace(ae.dynamicMessage), "SynchronizationDirection")
}
