package fakedts

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

type actionFunc func(s *Server, req *apiRequest, requestID string) (any, *apiError)

// actions are the DTS actions the fake serves.
var actions = map[string]actionFunc{
	"SuspendSynchronizationJob":            legacyChange((*job).suspend),
	"StartSynchronizationJob":              legacyChange((*job).start),
	"DescribeSynchronizationJobStatus":     (*Server).actDescribeStatus,
	"DescribeSynchronizationJobStatusList": (*Server).actDescribeStatusList,
	"DescribeSynchronizationJobs":          (*Server).actDescribeJobs,
	"SuspendDtsJob":                        dtsJobChange((*job).suspend),
	"StartDtsJob":                          dtsJobChange((*job).start),
	"DescribeDtsJobDetail":                 (*Server).actDescribeDtsJobDetail,
	"DescribeDtsJobs":                      (*Server).actDescribeDtsJobs,
}

// route finds the action; the gateway does this before authentication.
func route(req *apiRequest) (actionFunc, *apiError) {
	if req.action == "" {
		return nil, errMissingParameter("Action")
	}
	if req.version == "" {
		return nil, errMissingParameter("Version")
	}
	if req.version != APIVersion {
		return nil, gatewayError(http.StatusBadRequest, CodeInvalidVersion, messageInvalidVersion)
	}
	fn, ok := actions[req.action]
	if !ok {
		return nil, gatewayError(http.StatusNotFound, CodeInvalidAPINotFound, messageAPINotFound)
	}
	return fn, nil
}

// serveAPI runs one call through routing, authentication, injected faults
// and the action, and logs it.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	requestID := newRequestID()
	call := Call{Time: s.Now(), RequestID: requestID, Method: r.Method, Stage: StageRoute}
	req, aerr := parseAPIRequest(w, r)
	call.Action = req.action
	if req.params != nil {
		call.JobID = cmp.Or(req.param("SynchronizationJobId"), req.param("DtsInstanceId"), req.param("DtsInstanceID"))
		call.DtsJobID = req.param("DtsJobId")
		call.Direction = req.param("SynchronizationDirection")
		call.RegionID = cmp.Or(req.param("RegionId"), req.param("Region"))
	}
	var handler actionFunc
	if aerr == nil {
		handler, aerr = route(req)
	}
	if aerr == nil {
		call.Stage = StageAuth
		var res authResult
		res, aerr = s.authenticate(req)
		call.Signature, call.AccessKeyID, call.Authenticated = res.signature, res.accessKeyID, res.ok
	}
	if aerr == nil {
		if aerr = s.authorize(call.AccessKeyID, req.action, call.RegionID); aerr != nil {
			call.Stage = StageRAM
		}
	}
	var body any
	truncate := false
	if aerr == nil {
		fd := s.decideFault(req.action, call.AccessKeyID, call.RegionID)
		if fd.latency > 0 {
			select {
			case <-time.After(fd.latency):
			case <-r.Context().Done():
			}
		}
		call.Fault = fd.kind
		switch fd.kind {
		case FaultThrottling:
			aerr = gatewayError(http.StatusBadRequest, CodeThrottlingUser, messageThrottlingUser)
			if fd.retryInMs > 0 {
				w.Header().Set("x-ratelimit-user-api", "Limit:"+strconv.FormatFloat(fd.limit, 'f', -1, 64)+
					",Remain:0,TimeLeft:"+strconv.FormatInt(fd.retryInMs, 10))
			}
		case FaultServiceUnavailable:
			aerr = gatewayError(http.StatusServiceUnavailable, CodeServiceUnavailable, messageServiceUnavailable)
		case FaultInternalError:
			aerr = gatewayError(http.StatusInternalServerError, CodeInternalError, messageInternalError)
		case FaultDropConnection:
			call.Stage = StageFault
			s.recordCall(call)
			s.logf("fakedts: %s %s -> connection dropped (injected)", r.Method, req.action)
			dropConnection(w)
			return
		case FaultTruncateBody:
			truncate = true
		}
		if aerr != nil {
			call.Stage = StageFault
		} else {
			call.Stage = StageAction
			body, aerr = handler(s, req, requestID)
		}
	}
	status, payload := s.render(r, req.action, requestID, body, aerr)
	if truncate {
		payload = payload[:len(payload)/2]
	}
	// Log before answering, so a client that has its answer finds the call.
	call.HTTPStatus = status
	if aerr != nil {
		call.Code = aerr.code
	}
	s.recordCall(call)

	h := w.Header()
	h.Set("Content-Type", "application/json;charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(payload)))
	h.Set("x-acs-request-id", requestID)
	// The server's time is the fake clock's, so that a client comparing it
	// with a checkpoint sees the delay the fake reports.
	h.Set("Date", s.Now().UTC().Format(http.TimeFormat))
	w.WriteHeader(status)
	_, _ = w.Write(payload)
	if s.opts.Logger != nil {
		outcome := "OK"
		if aerr != nil {
			outcome = aerr.code
		}
		if call.Fault != "" {
			outcome += " (injected " + string(call.Fault) + ")"
		}
		s.logf("fakedts: %s %s job=%s dir=%s sig=%s -> %d %s", r.Method, req.action, call.JobID, call.Direction,
			call.Signature, status, outcome)
	}
}

func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

type gatewayBody struct {
	RequestID string `json:"RequestId"`
	HostID    string `json:"HostId"`
	Code      string `json:"Code"`
	Message   string `json:"Message"`
	Recommend string `json:"Recommend"`
	// AccessDeniedDetail comes with a RAM denial only.
	AccessDeniedDetail *accessDeniedDetail `json:"AccessDeniedDetail,omitempty"`
}

type businessBody struct {
	RequestID  string `json:"RequestId"`
	Success    string `json:"Success"`
	ErrCode    string `json:"ErrCode"`
	ErrMessage string `json:"ErrMessage"`
	gatewayFields
}

// gatewayFields are added to a business error only when
// Behavior.BusinessErrorStatus is not 200, so that 4xx-reading clients find
// a Code.
type gatewayFields struct {
	HostID    string `json:"HostId,omitempty"`
	Code      string `json:"Code,omitempty"`
	Message   string `json:"Message,omitempty"`
	Recommend string `json:"Recommend,omitempty"`
}

// dtsJobBusinessBody is a business error in the DtsJob shape; its
// HttpStatusCode is 403 when the HTTP status is 200.
func dtsJobBusinessBody(action, requestID string, status int, aerr *apiError, gw gatewayFields) dtsJobErrorBody {
	if status == http.StatusOK {
		status = http.StatusForbidden
	}
	b := dtsJobErrorBody{RequestID: requestID, HTTPStatusCode: status, ErrCode: aerr.code,
		ErrMessage: aerr.message, DynamicMessage: aerr.dynamic, gatewayFields: gw}
	if action != "DescribeDtsJobDetail" {
		code := ""
		if aerr.dynamic != "" {
			code = strconv.Itoa(http.StatusForbidden)
		}
		b.DynamicCode = &code
	}
	return b
}

// render turns a result into the HTTP status and JSON body.
func (s *Server) render(r *http.Request, action, requestID string, body any, aerr *apiError) (int, []byte) {
	status := http.StatusOK
	switch {
	case aerr != nil && aerr.business:
		var gw gatewayFields
		if st := s.CurrentBehavior().BusinessErrorStatus; st != http.StatusOK {
			status = st
			gw = gatewayFields{HostID: hostID(r), Code: aerr.code, Message: aerr.message, Recommend: recommendURL(aerr.code)}
		}
		body = businessBody{RequestID: requestID, Success: "false", ErrCode: aerr.code, ErrMessage: aerr.message, gatewayFields: gw}
		if dtsJobActions[action] {
			body = dtsJobBusinessBody(action, requestID, status, aerr, gw)
		}
	case aerr != nil:
		status = aerr.status
		body = gatewayBody{RequestID: requestID, HostID: hostID(r), Code: aerr.code, Message: aerr.message,
			Recommend: recommendURL(aerr.code), AccessDeniedDetail: aerr.denied}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(body); err != nil {
		return http.StatusInternalServerError, []byte(fmt.Sprintf(
			`{"RequestId":%q,"Code":"InternalError","Message":"fakedts could not encode its answer"}`, requestID))
	}
	return status, bytes.TrimRight(buf.Bytes(), "\n")
}

func hostID(r *http.Request) string {
	return cmp.Or(r.Host, "dts.aliyuncs.com")
}
