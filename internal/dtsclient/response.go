package dtsclient

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// rawResponse is an HTTP response as the transport saw it, before darabonba.
type rawResponse struct {
	status  int
	header  http.Header
	body    []byte
	readErr error // set when the body could not be read to the end
}

// interpret decodes raw into out and returns the failure it describes, if any:
// an HTTP error status, an unreadable body or a Success=false business result.
func interpret(raw *rawResponse, out enveloped) *APIError {
	headerRequestID := raw.header.Get("x-acs-request-id")
	body := bytes.TrimSpace(raw.body)
	ok2xx := raw.status >= 200 && raw.status < 300

	if raw.readErr != nil {
		return &APIError{
			HTTPStatus: raw.status,
			Message:    fmt.Sprintf("reading response body failed after %d bytes", len(raw.body)),
			RequestID:  headerRequestID,
			Err:        raw.readErr,
		}
	}
	if len(body) == 0 {
		msg := "empty response body"
		if !ok2xx {
			msg = http.StatusText(raw.status) + ": " + msg
		}
		return &APIError{HTTPStatus: raw.status, Message: msg, RequestID: headerRequestID, Err: errEmptyBody}
	}

	if !ok2xx {
		return httpError(raw, body, headerRequestID)
	}

	if err := json.Unmarshal(body, out); err != nil {
		return &APIError{
			HTTPStatus: raw.status,
			Message:    "response body is not valid JSON (" + describeBody(raw) + ")",
			RequestID:  headerRequestID,
			Err:        truncationAware(body, err),
		}
	}
	env := out.env()
	if t, err := http.ParseTime(raw.header.Get("Date")); err == nil {
		env.serverTime = t
	}
	if env.RequestID == "" {
		env.RequestID = flexString(headerRequestID)
	}
	if env.Success != nil && !bool(*env.Success) {
		code := string(env.ErrCode)
		if code == "" && !isNumeric(string(env.Code)) {
			// DescribeDtsJobDetail-style bodies carry a numeric Code (200) that is no error code.
			code = string(env.Code)
		}
		msg := businessMessage(env)
		if code == "" && msg == "" {
			msg = "Success=false without an error code"
		}
		return &APIError{HTTPStatus: raw.status, Code: code, Message: msg, RequestID: string(env.RequestID), business: true, dynamicMessage: string(env.DynamicMessage)}
	}
	return nil
}

// businessMessage returns ErrMessage with %s replaced by DynamicMessage, falling back to Message.
func businessMessage(env *envelope) string {
	msg := string(env.ErrMessage)
	dyn := string(env.DynamicMessage)
	switch {
	case msg != "" && dyn != "" && strings.Contains(msg, "%s"):
		msg = strings.ReplaceAll(msg, "%s", dyn)
	case msg == "" && env.Message != "":
		msg = string(env.Message)
	case msg == "":
		msg = dyn
	}
	return msg
}

// httpError builds the APIError of a non-2xx response from its JSON or XML body.
func httpError(raw *rawResponse, body []byte, headerRequestID string) *APIError {
	ae := &APIError{HTTPStatus: raw.status, RequestID: headerRequestID}
	var env envelope
	var decodeErr error
	if body[0] == '<' {
		// darabonba reads text/xml error bodies too; anything else starting with '<'
		// (an HTML error page) is reported as undecodable.
		var x struct {
			XMLName   xml.Name
			Code      string `xml:"Code"`
			Message   string `xml:"Message"`
			RequestID string `xml:"RequestId"`
		}
		decodeErr = xml.Unmarshal(body, &x)
		if decodeErr == nil && (x.XMLName.Local != "Error" || x.Code == "" && x.Message == "") {
			decodeErr = errors.New("body is not an XML <Error> document")
		}
		if decodeErr == nil {
			env.Code, env.Message, env.RequestID = flexString(x.Code), flexString(x.Message), flexString(x.RequestID)
		}
	} else {
		decodeErr = json.Unmarshal(body, &env)
	}
	if decodeErr != nil {
		ae.Message = http.StatusText(raw.status) + ": undecodable response body (" + describeBody(raw) + ")"
		ae.Err = decodeErr
		return ae
	}
	if env.RequestID != "" {
		ae.RequestID = string(env.RequestID)
	}
	ae.Code = string(env.Code)
	businessFailure := env.Success != nil && !bool(*env.Success)
	if env.ErrCode != "" && (businessFailure || ae.Code == "" || isNumeric(ae.Code)) {
		ae.Code = string(env.ErrCode)
	}
	ae.Message = string(env.Message)
	ae.dynamicMessage = string(env.DynamicMessage)
	if ae.Message == "" || businessFailure && env.ErrMessage != "" {
		ae.Message = businessMessage(&env)
	}
	if ae.Code == "" && ae.Message == "" {
		ae.Message = http.StatusText(raw.status)
	}
	return ae
}

func describeBody(raw *rawResponse) string {
	ct := "no Content-Type"
	if h := raw.header.Get("Content-Type"); h != "" {
		ct = "Content-Type " + h
	}
	return ct + ", " + strconv.Itoa(len(raw.body)) + " bytes"
}

func isNumeric(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

// errTooLarge is returned when a response body exceeds maxBodyBytes.
var errTooLarge = errors.New("response body too large")

// truncationAware marks a JSON body that ends too early as retryable; a body
// that is not JSON at all (a captive portal, say) is not.
func truncationAware(body []byte, err error) error {
	if se, ok := errors.AsType[*json.SyntaxError](err); ok && se.Offset >= int64(len(body)) {
		return &malformedBodyError{err: err}
	}
	return err
}
