package fakedts

import (
	"errors"
	"net/http"
	"testing"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/credentials-go/credentials"
)

// These tests drive the fake with the real darabonba-openapi client, the
// runtime of the DTS Go SDK, in both of its signing modes.

func newSDKClient(t *testing.T, s *Server, cred Credential, v1 bool) *openapi.Client {
	t.Helper()
	cfg := &credentials.Config{
		Type:            dara.String("access_key"),
		AccessKeyId:     dara.String(cred.AccessKeyID),
		AccessKeySecret: dara.String(cred.AccessKeySecret),
	}
	if cred.SecurityToken != "" {
		cfg.Type = dara.String("sts")
		cfg.SecurityToken = dara.String(cred.SecurityToken)
	}
	c, err := credentials.NewCredential(cfg)
	if err != nil {
		t.Fatal(err)
	}
	conf := &openapi.Config{Credential: c, Endpoint: dara.String(s.Endpoint()), Protocol: dara.String("HTTP")}
	if v1 {
		conf.SignatureAlgorithm = dara.String("v2")
	}
	client, err := openapi.NewClient(conf)
	if err != nil {
		t.Fatal(err)
	}
	// Keep the typed errors (ClientError, ThrottlingError) instead of the
	// generic tea.SDKError wrapper.
	client.DisableSDKError = dara.Bool(true)
	return client
}

// sdkCall calls action with params in the query, or in a form body.
func sdkCall(c *openapi.Client, action string, params map[string]string, inBody bool) (map[string]any, error) {
	p := &openapi.Params{
		Action: dara.String(action), Version: dara.String(APIVersion), Protocol: dara.String("HTTP"),
		Pathname: dara.String("/"), Method: dara.String("POST"), AuthType: dara.String("AK"),
		Style: dara.String("RPC"), ReqBodyType: dara.String("formData"), BodyType: dara.String("json"),
	}
	req := &openapi.OpenApiRequest{}
	if inBody {
		body := map[string]any{}
		for k, v := range params {
			body[k] = v
		}
		req.Body = body
	} else {
		q := map[string]*string{}
		for k, v := range params {
			q[k] = dara.String(v)
		}
		req.Query = q
	}
	res, err := c.CallApi(p, req, &dara.RuntimeOptions{})
	if err != nil {
		return nil, err
	}
	body, _ := res["body"].(map[string]any)
	return body, nil
}

func TestRealClientBothSigningModes(t *testing.T) {
	t.Parallel()
	sts := Credential{AccessKeyID: "STS.fakedts0001", AccessKeySecret: "sts-secret", SecurityToken: "CAIS-token-0001"}
	s := newTestServer(t, Options{Credentials: []Credential{DefaultCredential(), sts}, Jobs: DefaultJobs()})
	for _, tc := range []struct {
		name   string
		cred   Credential
		v1     bool
		inBody bool
	}{
		{"v3 access key query", DefaultCredential(), false, false},
		{"v3 access key form body", DefaultCredential(), false, true},
		{"v3 sts", sts, false, false},
		{"v1 access key query", DefaultCredential(), true, false},
		{"v1 access key form body", DefaultCredential(), true, true},
		{"v1 sts", sts, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newSDKClient(t, s, tc.cred, tc.v1)
			// Inventory is two-way; each case pauses and resumes its Reverse
			// direction, so the cases share the job without conflict when
			// run one after the other.
			params := map[string]string{"SynchronizationJobId": DefaultInventoryJobID, "RegionId": "cn-hangzhou",
				"SynchronizationDirection": "Reverse"}
			body, err := sdkCall(c, "SuspendSynchronizationJob", params, tc.inBody)
			if err != nil {
				t.Fatalf("suspend: %v", err)
			}
			if body["Success"] != "true" {
				t.Fatalf("suspend body %v", body)
			}
			body, err = sdkCall(c, "DescribeSynchronizationJobStatus", params, tc.inBody)
			if err != nil {
				t.Fatalf("describe: %v", err)
			}
			if body["Status"] != StatusSuspending || body["SynchronizationDirection"] != "Reverse" {
				t.Fatalf("describe body %v", body)
			}
			if body, err = sdkCall(c, "StartSynchronizationJob", params, tc.inBody); err != nil || body["Success"] != "true" {
				t.Fatalf("start: %v %v", body, err)
			}
		})
	}
	calls := s.Calls()
	sigs := map[string]int{}
	for _, c := range calls {
		if !c.Authenticated || c.HTTPStatus != http.StatusOK {
			t.Errorf("call %+v not accepted", c)
		}
		sigs[c.Signature]++
	}
	if sigs["v1"] != 9 || sigs["v3"] != 9 {
		t.Errorf("signature modes %v", sigs)
	}
}

func TestRealClientRejections(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs()})
	params := map[string]string{"SynchronizationJobId": DefaultOrdersJobID}
	for _, v1 := range []bool{false, true} {
		wrongSecret := DefaultCredential()
		wrongSecret.AccessKeySecret = "not-the-secret"
		_, err := sdkCall(newSDKClient(t, s, wrongSecret, v1), "DescribeSynchronizationJobStatus", params, false)
		wantSDKError(t, err, http.StatusBadRequest, CodeSignatureDoesNotMatch)

		unknown := Credential{AccessKeyID: "LTAIunknown", AccessKeySecret: "x"}
		_, err = sdkCall(newSDKClient(t, s, unknown, v1), "DescribeSynchronizationJobStatus", params, false)
		wantSDKError(t, err, http.StatusNotFound, CodeInvalidAccessKeyNotFound)

		withToken := DefaultCredential()
		withToken.SecurityToken = "unexpected"
		_, err = sdkCall(newSDKClient(t, s, withToken, v1), "DescribeSynchronizationJobStatus", params, false)
		wantSDKError(t, err, http.StatusBadRequest, CodeSecurityTokenMismatch)

		_, err = sdkCall(newSDKClient(t, s, DefaultCredential(), v1), "NoSuchAction", params, false)
		wantSDKError(t, err, http.StatusNotFound, CodeInvalidAPINotFound)

		_, err = sdkCall(newSDKClient(t, s, DefaultCredential(), v1), "SuspendSynchronizationJob", nil, false)
		wantSDKError(t, err, http.StatusBadRequest, CodeMissingParameter)

		// The trap: a business error is HTTP 200, so the client raises nothing.
		body, err := sdkCall(newSDKClient(t, s, DefaultCredential(), v1), "SuspendSynchronizationJob",
			map[string]string{"SynchronizationJobId": "dtsnosuchjob00000"}, false)
		if err != nil || body["Success"] != "false" || body["ErrCode"] != CodeInstanceNotFound {
			t.Fatalf("unknown job: %v %v", body, err)
		}
	}
}

func TestRealClientThrottlingError(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs()})
	if err := s.QueueFault("DescribeSynchronizationJobStatus", FaultThrottling, 1); err != nil {
		t.Fatal(err)
	}
	_, err := sdkCall(newSDKClient(t, s, DefaultCredential(), false), "DescribeSynchronizationJobStatus",
		map[string]string{"SynchronizationJobId": DefaultOrdersJobID}, false)
	var te *openapi.ThrottlingError
	if !errors.As(err, &te) || dara.StringValue(te.Code) != CodeThrottlingUser {
		t.Fatalf("want a ThrottlingError, got %T %v", err, err)
	}
}

func wantSDKError(t *testing.T, err error, status int, code string) {
	t.Helper()
	var ce *openapi.ClientError
	if !errors.As(err, &ce) {
		t.Fatalf("want a ClientError %s, got %T %v", code, err, err)
	}
	if dara.IntValue(ce.StatusCode) != status || dara.StringValue(ce.Code) != code {
		t.Fatalf("got %d %s, want %d %s (%v)", dara.IntValue(ce.StatusCode), dara.StringValue(ce.Code), status, code, err)
	}
}

// TestHandBuiltTeaRPCRequest sends what tea-rpc (Terraform's RpcPost) puts on
// the wire: common parameters in the query, action parameters in a form
// body, all covered by the V1 signature.
func TestHandBuiltTeaRPCRequest(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Options{Jobs: DefaultJobs()})
	req := buildV1(t, s, v1Req{action: "SuspendSynchronizationJob",
		params: map[string]string{"SynchronizationJobId": DefaultOrdersJobID, "RegionId": "cn-hangzhou"}})
	req.Header.Set("x-acs-version", APIVersion)
	req.Header.Set("User-Agent", "AlibabaCloud (linux; amd64) Go/go1.26 tea/1.1 TeaRPC/1.2")
	if req.URL.Query().Get("SynchronizationJobId") != "" {
		t.Fatal("action parameter leaked into the query")
	}
	status, body := send(t, req)
	wantOK(t, status, body)
	c := s.Calls()[0]
	if c.Signature != "v1" || !c.Authenticated || c.JobID != DefaultOrdersJobID || c.RegionID != "cn-hangzhou" {
		t.Fatalf("logged %+v", c)
	}
	wantStatus(t, s, DefaultOrdersJobID, "", StatusSuspending)
}
