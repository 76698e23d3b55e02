package fakedts

import (
	"fmt"
	"net/http"
)

// Error codes the fake answers with. ASSUMPTIONS.md records which are
// guesses and why.
const (
	CodeMissingParameter          = "MissingParameter"
	CodeInvalidParameter          = "InvalidParameter"
	CodeInvalidVersion            = "InvalidVersion"
	CodeInvalidAPINotFound        = "InvalidApi.NotFound"
	CodeUnsupportedHTTPMethod     = "UnsupportedHTTPMethod"
	CodeIncompleteSignature       = "IncompleteSignature"
	CodeInvalidSignatureMethod    = "InvalidSignatureMethod"
	CodeSignatureDoesNotMatch     = "SignatureDoesNotMatch"
	CodeSignatureNonceUsed        = "SignatureNonceUsed"
	CodeInvalidTimeStampFormat    = "InvalidTimeStamp.Format"
	CodeInvalidTimeStampExpired   = "InvalidTimeStamp.Expired"
	CodeInvalidAccessKeyNotFound  = "InvalidAccessKeyId.NotFound"
	CodeMissingSecurityToken      = "MissingSecurityToken"
	CodeSecurityTokenMismatch     = "InvalidSecurityToken.MismatchWithAccessKey"
	CodeThrottlingUser            = "Throttling.User"
	CodeServiceUnavailable        = "ServiceUnavailable"
	CodeInternalError             = "InternalError"
	CodeInstanceNotFound          = "Forbidden.InstanceNotFound"
	CodeInvalidJobID              = "InvalidJobId"
	CodeInvalidJobStatus          = "InvalidJobStatus"
	CodeJobSuspendedTooLong       = "OperationDenied.JobSuspendedTooLong"
	messageInstanceNotFound       = "The specified instance is not found."
	messageInvalidJobID           = "The specified job ID does not exist."
	messageThrottlingUser         = "Request was denied due to user flow control."
	messageServiceUnavailable     = "The request has failed due to a temporary failure of the server."
	messageInternalError          = "The request processing has failed due to some unknown error, exception or failure."
	messageSignatureDoesNotMatch  = "Specified signature is not matched with our calculation."
	messageIncompleteSignature    = "The request signature does not conform to Aliyun standards."
	messageAccessKeyNotFound      = "Specified access key is not found."
	messageSignatureNonceUsed     = "Specified signature nonce was used already."
	messageTimeStampFormat        = "Specified time stamp or date value is not well formatted."
	messageTimeStampExpired       = "Specified time stamp or date value is expired."
	messageSecurityTokenMismatch  = "Specified SecurityToken mismatch with the AccessKey."
	messageMissingSecurityToken   = "The input parameter \"SecurityToken\" that is mandatory for processing this request is not supplied."
	messageInvalidVersion         = "Specified parameter Version is not valid."
	messageAPINotFound            = "Specified api is not found, please check your url and method."
	messageUnsupportedHTTPMethod  = "The specified HTTP method is not supported; use GET or POST."
	messageInvalidSignatureMethod = "Specified signature method is not supported."
)

// apiError is any answer that is not a success. A gateway error travels as
// an HTTP 4xx/5xx with Code/Message; a business error as Success "false"
// with ErrCode/ErrMessage, the way the DTS backend reports it.
type apiError struct {
	status   int
	code     string
	message  string
	business bool
	// dynamic is the DtsJob family's DynamicMessage, substituted for %s in
	// message by clients.
	dynamic string
	// denied is the AccessDeniedDetail of a RAM-like denial.
	denied *accessDeniedDetail
}

func gatewayError(status int, code, message string) *apiError {
	return &apiError{status: status, code: code, message: message}
}

func businessError(code, message string) *apiError {
	return &apiError{status: http.StatusOK, code: code, message: message, business: true}
}

func errMissingParameter(name string) *apiError {
	return gatewayError(http.StatusBadRequest, CodeMissingParameter,
		fmt.Sprintf("The input parameter %q that is mandatory for processing this request is not supplied.", name))
}

func errInvalidParameter(name, detail string) *apiError {
	return gatewayError(http.StatusBadRequest, CodeInvalidParameter,
		fmt.Sprintf("The specified parameter %q is not valid. %s", name, detail))
}

// errNotFoundLocked answers an unknown job with the code Behavior picks.
func (s *Server) errNotFoundLocked() *apiError {
	if s.behavior.NotFoundCode == CodeInvalidJobID {
		return businessError(CodeInvalidJobID, messageInvalidJobID)
	}
	return businessError(CodeInstanceNotFound, messageInstanceNotFound)
}

func recommendURL(code string) string {
	return "https://error-center.aliyun.com/status/search?Keyword=" + code + "&source=PopGw"
}
