package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dts-provider/terraform-provider-dts/internal/dtsclient"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
	"github.com/dts-provider/terraform-provider-dts/internal/fakedts/fakedtstest"
	"github.com/dts-provider/terraform-provider-dts/internal/ststest"
)

// Secrets planted in credential sources; no error may contain them.
const (
	plantedSecret = "planted-SECRET-must-not-leak-5d1e"
	plantedToken  = "planted-STS-TOKEN-must-not-leak-93c0"
)

// malformedCLIConfig is an aliyun CLI configuration with a trailing comma,
// the mistake credentials-go answers by quoting the whole file.
var malformedCLIConfig = `{
  "current": "default",
  "profiles": [
    {"name": "default", "mode": "StsToken", "access_key_id": "STS.plantedid",
     "access_key_secret": "` + plantedSecret + `", "sts_token": "` + plantedToken + `",},
  ]
}`

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// credentialFailure builds the credential of s and returns the error of its
// first use, failing the test if the error quotes a planted secret.
func credentialFailure(t *testing.T, s *settings) *dtsclient.CredentialError {
	t.Helper()
	cred, _, err := buildCredential(s)
	if err == nil {
		_, err = cred.GetCredential()
	}
	if err == nil {
		t.Fatal("the credential source did not fail")
	}
	for _, secret := range []string{plantedSecret, plantedToken, "Signature="} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("the error quotes %q:\n%s", secret, err)
		}
	}
	var ce *dtsclient.CredentialError
	if !errors.As(err, &ce) {
		t.Fatalf("error %T is not a CredentialError: %v", err, err)
	}
	return ce
}

func wantIn(t *testing.T, err error, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("the error does not say %q:\n%s", p, err)
		}
	}
}

// TestCredentialFailuresSayWhatFailedNotWhatWasRead drives each credential
// source into failure with secrets planted where it reads, and checks that
// the error names the source, the file or service and the kind of failure,
// and quotes none of what the source read.
func TestCredentialFailuresSayWhatFailedNotWhatWasRead(t *testing.T) {
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true") // no metadata service here

	t.Run("profile file that is not JSON", func(t *testing.T) {
		path := writeFile(t, t.TempDir(), "config.json", malformedCLIConfig)
		err := credentialFailure(t, &settings{Profile: "default", SharedCredentialsFile: path})
		wantIn(t, err, `aliyun CLI profile "default"`, path, "is not valid JSON", "syntax error at line 5")
	})
	t.Run("profile file that does not exist", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "missing.json")
		wantIn(t, credentialFailure(t, &settings{SharedCredentialsFile: path}), path, "cannot be read (it does not exist)")
	})
	t.Run("profile that the file lacks", func(t *testing.T) {
		path := writeFile(t, t.TempDir(), "config.json", strings.Replace(malformedCLIConfig, `",},`, `"}`, 1))
		wantIn(t, credentialFailure(t, &settings{Profile: "nope", SharedCredentialsFile: path}), `has no profile named "nope"`)
	})
	t.Run("assume_role refused by STS with an echo of the request", func(t *testing.T) {
		// A gateway answer that echoes the caller's token and secret in
		// JSON, XML and header spellings.
		sts := ststest.NewServer(t, ststest.Options{RefuseStatus: 400, RefuseBody: `{"RequestId":"ststest-refused","Code":"SignatureDoesNotMatch",` +
			`"Message":"string to sign: x-acs-security-token:` + plantedToken + ` <AccessKeySecret>` + plantedSecret + `</AccessKeySecret> security_token=` + plantedToken + `"}`})
		err := credentialFailure(t, &settings{AccessKey: "STS.base", SecretKey: plantedSecret, SecurityToken: plantedToken, STSEndpoint: sts.Endpoint(),
			AssumeRole: &assumeRoleSettings{RoleARN: "acs:ram::1:role/dts-operator", SessionName: "t"}})
		wantIn(t, err, `assuming role "acs:ram::1:role/dts-operator"`, "STS refused AssumeRole: SignatureDoesNotMatch (RequestId: ststest-refused)",
			"access key secret does not belong")
	})
	t.Run("assume_role with STS unreachable", func(t *testing.T) {
		err := credentialFailure(t, &settings{AccessKey: "STS.base", SecretKey: plantedSecret, SecurityToken: plantedToken, STSEndpoint: "127.0.0.1:1",
			AssumeRole: &assumeRoleSettings{RoleARN: "acs:ram::1:role/dts-operator", SessionName: "t"}})
		wantIn(t, err, "could not reach 127.0.0.1:1")
		if !err.Transient {
			t.Error("an unreachable STS is not marked transient")
		}
	})
	t.Run("ecs_role_name where no metadata service may be asked", func(t *testing.T) {
		cred, source, err := buildCredential(&settings{ECSRoleName: "dts-runner"})
		if source != sourceECSRole || cred != nil || err == nil {
			t.Fatalf("buildCredential = %v, %q, %v; want the ECS role source to fail", cred, source, err)
		}
		wantIn(t, err, `ECS RAM role "dts-runner"`, "IMDS credentials is disabled")
	})
	t.Run("default chain with a broken ~/.aliyun/config.json", func(t *testing.T) {
		home := t.TempDir()
		path := writeFile(t, home, ".aliyun/config.json", malformedCLIConfig)
		t.Setenv("HOME", home)
		s := &settings{}
		wantIn(t, credentialFailure(t, s), "default credential chain", "No Alibaba Cloud credentials could be found", path, "is not valid JSON")
		// credentials-go asks only the chain's last source after a failure;
		// every request must still get the whole answer.
		cred, _, err := buildCredential(s)
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			_, err = cred.GetCredential()
			wantIn(t, err, "No Alibaba Cloud credentials could be found", path, "is not valid JSON")
		}
	})
}

// fakeWithSessions is a fake DTS that accepts the given STS sessions and
// serves one running job.
func fakeWithSessions(t *testing.T, creds ...fakedts.Credential) (*fakedts.Server, string) {
	t.Helper()
	const jobID = "dtscredrace01"
	job := fakedts.Job{ID: jobID, Name: "orders", Region: "cn-hangzhou", PayType: fakedts.PayTypePostPaid,
		Forward: fakedts.DirectionState{Status: "Synchronizing", Checkpoint: time.Now().Add(-time.Minute).Unix()}}
	return fakedtstest.NewServer(t, fakedts.Options{Jobs: []fakedts.Job{job}, Seed: 1, Credentials: creds}), jobID
}

// readConcurrently sends workers×rounds reads of the job through one
// provider instance, as parallel resources, batches and listings do, and
// fails on any error: a request signed with an AccessKeyId of one session
// and the secret or token of another is rejected by the fake.
func readConcurrently(t *testing.T, s *settings, f *fakedts.Server, jobID string) {
	t.Helper()
	s.Endpoint, s.Protocol, s.MaxRetries, s.SignatureAlgorithm, s.API = strings.TrimPrefix(f.URL(), "http://"), "http", 0, signatureV3, apiDtsJob
	d, err := newProviderData(context.Background(), s, "test")
	if err != nil {
		t.Fatal(err)
	}
	c, err := d.client("cn-hangzhou")
	if err != nil {
		t.Fatal(err)
	}
	const workers, rounds = 10, 5
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds)
	for range workers {
		wg.Go(func() {
			for range rounds {
				if _, err := c.DescribeDtsJobDetail(context.Background(), dtsclient.JobRef{RegionID: "cn-hangzhou", JobID: jobID}); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent read failed: %v", err)
	}
}

// TestSharedCredentialUnderConcurrentRequests sends concurrent requests over
// each credential source; run with -race, it also proves that no provider
// cache is updated by two goroutines at once.
func TestSharedCredentialUnderConcurrentRequests(t *testing.T) {
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
	key := fakedts.DefaultCredential()
	sts := fakedts.Credential{AccessKeyID: "STS.concurrent01", AccessKeySecret: plantedSecret, SecurityToken: plantedToken}

	t.Run("access key", func(t *testing.T) {
		f, job := fakeWithSessions(t, key)
		readConcurrently(t, &settings{AccessKey: key.AccessKeyID, SecretKey: key.AccessKeySecret}, f, job)
	})
	t.Run("STS credentials", func(t *testing.T) {
		f, job := fakeWithSessions(t, sts)
		readConcurrently(t, &settings{AccessKey: sts.AccessKeyID, SecretKey: sts.AccessKeySecret, SecurityToken: sts.SecurityToken}, f, job)
	})
	t.Run("profile file", func(t *testing.T) {
		f, job := fakeWithSessions(t, sts)
		path := writeFile(t, t.TempDir(), "config.json", fmt.Sprintf(`{"current":"default","profiles":[{"name":"default","mode":"StsToken",`+
			`"access_key_id":%q,"access_key_secret":%q,"sts_token":%q}]}`, sts.AccessKeyID, sts.AccessKeySecret, sts.SecurityToken))
		readConcurrently(t, &settings{Profile: "default", SharedCredentialsFile: path}, f, job)
	})
	t.Run("default chain from the environment", func(t *testing.T) {
		f, job := fakeWithSessions(t, sts)
		t.Setenv("HOME", t.TempDir())
		t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", sts.AccessKeyID)
		t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", sts.AccessKeySecret)
		t.Setenv("ALIBABA_CLOUD_SECURITY_TOKEN", sts.SecurityToken)
		readConcurrently(t, &settings{}, f, job)
	})
	t.Run("assume_role: one AssumeRole for every request", func(t *testing.T) {
		session := ststest.Session{AccessKeyID: "STS.role0001", AccessKeySecret: "role-secret-0001", SecurityToken: "role-token-0001"}
		stub := ststest.NewServer(t, ststest.Options{Sessions: []ststest.Session{session}, Delay: 100 * time.Millisecond})
		f, job := fakeWithSessions(t, fakedts.Credential(session))
		readConcurrently(t, &settings{AccessKey: key.AccessKeyID, SecretKey: key.AccessKeySecret, STSEndpoint: stub.Endpoint(),
			AssumeRole: &assumeRoleSettings{RoleARN: "acs:ram::1:role/dts-operator", SessionName: "t"}}, f, job)
		if n, m := stub.Calls(), stub.MaxInFlight(); n != 1 || m != 1 {
			t.Errorf("AssumeRole was called %d times, up to %d at once; want once for all 50 requests", n, m)
		}
	})
	t.Run("assume_role: renewals never mix two sessions", func(t *testing.T) {
		// Sessions that expire within credentials-go's 3-minute margin are
		// renewed on every use: each request must still be signed with one
		// session's ID, secret and token.
		var sessions []ststest.Session
		var accepted []fakedts.Credential
		for i := range 60 {
			s := ststest.Session{AccessKeyID: fmt.Sprintf("STS.renew%04d", i), AccessKeySecret: fmt.Sprintf("renew-secret-%04d", i), SecurityToken: fmt.Sprintf("renew-token-%04d", i)}
			sessions, accepted = append(sessions, s), append(accepted, fakedts.Credential(s))
		}
		stub := ststest.NewServer(t, ststest.Options{Sessions: sessions, Lifetime: time.Minute})
		f, job := fakeWithSessions(t, accepted...)
		readConcurrently(t, &settings{AccessKey: key.AccessKeyID, SecretKey: key.AccessKeySecret, STSEndpoint: stub.Endpoint(),
			AssumeRole: &assumeRoleSettings{RoleARN: "acs:ram::1:role/dts-operator", SessionName: "t"}}, f, job)
		if m := stub.MaxInFlight(); m != 1 {
			t.Errorf("up to %d AssumeRole calls ran at once; want one renewal at a time", m)
		}
	})
}
