package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/credentials-go/credentials"
)

// startRun runs the command in-process and returns its announcement and a
// function that stops it and returns run's error.
func startRun(t *testing.T, args ...string) (announcement, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, args, pw, io.Discard)
		pw.CloseWithError(io.EOF)
		done <- err
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("no announcement: %v (run: %v)", err, <-done)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	var a announcement
	if err := json.Unmarshal([]byte(line), &a); err != nil {
		t.Fatalf("announcement %q: %v", line, err)
	}
	var once sync.Once
	var runErr error
	stop := func() error {
		once.Do(func() {
			cancel()
			runErr = <-done
		})
		return runErr
	}
	t.Cleanup(func() { _ = stop() })
	return a, stop
}

func signedCall(t *testing.T, a announcement, v1 bool, action string, query map[string]string) map[string]any {
	t.Helper()
	cfg := &credentials.Config{Type: dara.String("access_key"), AccessKeyId: dara.String(a.AccessKeyID),
		AccessKeySecret: dara.String(a.AccessKeySecret)}
	if a.SecurityToken != "" {
		cfg.Type, cfg.SecurityToken = dara.String("sts"), dara.String(a.SecurityToken)
	}
	cred, err := credentials.NewCredential(cfg)
	if err != nil {
		t.Fatal(err)
	}
	conf := &openapi.Config{Credential: cred, Endpoint: dara.String(strings.TrimPrefix(a.URL, "http://")),
		Protocol: dara.String("HTTP")}
	if v1 {
		conf.SignatureAlgorithm = dara.String("v2")
	}
	c, err := openapi.NewClient(conf)
	if err != nil {
		t.Fatal(err)
	}
	q := map[string]*string{}
	for k, v := range query {
		q[k] = dara.String(v)
	}
	res, err := c.CallApi(&openapi.Params{Action: dara.String(action), Version: dara.String("2020-01-01"),
		Protocol: dara.String("HTTP"), Pathname: dara.String("/"), Method: dara.String("POST"), AuthType: dara.String("AK"),
		Style: dara.String("RPC"), ReqBodyType: dara.String("formData"), BodyType: dara.String("json")},
		&openapi.OpenApiRequest{Query: q}, &dara.RuntimeOptions{})
	if err != nil {
		t.Fatalf("%s: %v", action, err)
	}
	return res["body"].(map[string]any)
}

func TestRunServesSignedCalls(t *testing.T) {
	t.Parallel()
	a, stop := startRun(t, "-transition", "0s")
	if !strings.HasPrefix(a.URL, "http://127.0.0.1:") || a.AccessKeyID != "LTAIfakedts000000001" || a.AccessKeySecret == "" {
		t.Fatalf("announcement %+v", a)
	}
	params := map[string]string{"SynchronizationJobId": "dtsl3m1213ye7l0001", "RegionId": "cn-hangzhou"}
	if b := signedCall(t, a, false, "SuspendSynchronizationJob", params); b["Success"] != "true" {
		t.Fatalf("suspend %v", b)
	}
	if b := signedCall(t, a, true, "DescribeSynchronizationJobStatus", params); b["Status"] != "Suspending" {
		t.Fatalf("describe %v", b)
	}
	if err := stop(); err != nil {
		t.Fatalf("run: %v", err)
	}
	if _, err := http.Get(a.URL + "/_admin/jobs"); err == nil {
		t.Fatal("still serving after stop")
	}
}

func TestRunWithSeedFileAndCredentials(t *testing.T) {
	t.Parallel()
	a, stop := startRun(t, "-seed-file", filepath.Join("..", "..", "fakedts", "testdata", "seed.example.json"),
		"-access-key-id", "LTAIcustom", "-access-key-secret", "custom-secret", "-security-token", "sts-token")
	if a.AccessKeyID != "LTAIcustom" || a.AccessKeySecret != "custom-secret" || a.SecurityToken != "sts-token" {
		t.Fatalf("announcement %+v", a)
	}
	b := signedCall(t, a, false, "DescribeSynchronizationJobStatus",
		map[string]string{"SynchronizationJobId": "dtsdemo000000002", "SynchronizationDirection": "Reverse"})
	if b["Status"] != "Suspending" {
		t.Fatalf("%v", b)
	}
	b = signedCall(t, a, true, "DescribeSynchronizationJobs", nil)
	// darabonba decodes JSON numbers as json.Number, hence Sprint.
	if fmt.Sprint(b["TotalRecordCount"]) != "4" {
		t.Fatalf("seeded jobs: %v", b["TotalRecordCount"])
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

func TestRunRefusesBadInvocations(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"-listen", "0.0.0.0:0"},
		{"-listen", ":0"},
		{"-listen", "192.0.2.1:0"},
		{"-listen", "nonsense"},
		{"-seed-file", filepath.Join(t.TempDir(), "missing.json")},
		{"-transition", "-1s"},
		{"-access-key-id", ""},
		{"-no-such-flag"},
		{"extra"},
		{"-profile", "nope"},
		{"-long-pause", "forever"},
		{"-business-error-status", "42"},
		{"-quotas", "some"},
		{"-deny-actions", "ecs:DescribeInstances"},
		{"-denial-code", "AccessDenied"},
		{"-delay-unit", "minutes"},
	} {
		err := run(context.Background(), args, io.Discard, io.Discard)
		if err == nil {
			t.Errorf("%v accepted", args)
		}
	}
	err := run(context.Background(), []string{"-listen", "0.0.0.0:0"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "-allow-non-loopback") {
		t.Fatalf("error should name the override flag: %v", err)
	}
}

// A profile sets every switch; a switch flag overrides one of them.
func TestRunProfileAndSwitchFlags(t *testing.T) {
	t.Parallel()
	a, _ := startRun(t, "-profile", "strict", "-not-found-code", "Forbidden.InstanceNotFound", "-pending-status", "target",
		"-quotas", "documented")
	resp, err := http.Get(a.URL + "/_admin/behavior")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&b); err != nil {
		t.Fatal(err)
	}
	if b["reject_repeated_change"] != true || b["business_error_status"] != 403.0 || b["page_sizes"] != "listed" ||
		b["not_found_code"] != "Forbidden.InstanceNotFound" || b["pending_status"] != "target" {
		t.Fatalf("behavior %v", b)
	}
	resp, err = http.Get(a.URL + "/_admin/faults")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var f map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&f); err != nil {
		t.Fatal(err)
	}
	if q := f["quotas"].([]any); len(q) != 2 {
		t.Fatalf("-quotas documented: %v", f)
	}
	err = run(context.Background(), []string{"-profile", "nope"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "known profiles: default, strict") {
		t.Fatalf("unknown profile error should list the known ones: %v", err)
	}
}

// -allow-actions and -deny-actions make the key's calls answer NoPermission
// as RAM would, through a real signing client.
func TestRunPermissionFlags(t *testing.T) {
	t.Parallel()
	a, _ := startRun(t, "-allow-actions", "dts:Describe*", "-deny-actions", "dts:DescribeDtsJobs")
	body := signedCall(t, a, false, "DescribeSynchronizationJobStatus", map[string]string{"SynchronizationJobId": "dtsl3m1213ye7l0001"})
	if body["Status"] != "Synchronizing" {
		t.Fatalf("allowed action: %v", body)
	}
	for _, action := range []string{"SuspendDtsJob", "DescribeDtsJobs"} {
		err := callErr(t, a, action, map[string]string{"DtsJobId": "l3m1213ye7l0001"})
		if err == nil || !strings.Contains(err.Error(), "NoPermission") || !strings.Contains(err.Error(), "dts:"+action) {
			t.Fatalf("%s: want NoPermission naming dts:%s, got %v", action, action, err)
		}
	}
}

// callErr is signedCall's error, for calls expected to fail.
func callErr(t *testing.T, a announcement, action string, query map[string]string) error {
	t.Helper()
	cred, err := credentials.NewCredential(&credentials.Config{Type: dara.String("access_key"),
		AccessKeyId: dara.String(a.AccessKeyID), AccessKeySecret: dara.String(a.AccessKeySecret)})
	if err != nil {
		t.Fatal(err)
	}
	c, err := openapi.NewClient(&openapi.Config{Credential: cred, Endpoint: dara.String(strings.TrimPrefix(a.URL, "http://")),
		Protocol: dara.String("HTTP")})
	if err != nil {
		t.Fatal(err)
	}
	q := map[string]*string{}
	for k, v := range query {
		q[k] = dara.String(v)
	}
	_, err = c.CallApi(&openapi.Params{Action: dara.String(action), Version: dara.String("2020-01-01"),
		Protocol: dara.String("HTTP"), Pathname: dara.String("/"), Method: dara.String("POST"), AuthType: dara.String("AK"),
		Style: dara.String("RPC"), ReqBodyType: dara.String("formData"), BodyType: dara.String("json")},
		&openapi.OpenApiRequest{Query: q}, &dara.RuntimeOptions{})
	return err
}

func TestRunAllowNonLoopback(t *testing.T) {
	t.Parallel()
	// Bind everywhere but talk over loopback only.
	a, stop := startRun(t, "-listen", "0.0.0.0:0", "-allow-non-loopback")
	port := a.URL[strings.LastIndex(a.URL, ":")+1:]
	a.URL = "http://127.0.0.1:" + port
	if b := signedCall(t, a, false, "DescribeSynchronizationJobs", nil); fmt.Sprint(b["TotalRecordCount"]) != "5" {
		t.Fatalf("%v", b)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

// TestBinary builds the command and runs it as a process, stopped by SIGTERM.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	t.Parallel()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not in PATH")
	}
	bin := filepath.Join(t.TempDir(), "fakedts")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-transition", "0s")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("no announcement: %v; stderr: %s", err, stderr.String())
	}
	var a announcement
	if err := json.Unmarshal([]byte(line), &a); err != nil {
		t.Fatal(err)
	}
	b := signedCall(t, a, true, "StartSynchronizationJob", map[string]string{"SynchronizationJobId": "dtskfq1149w2540004"})
	if b["Success"] != "true" {
		t.Fatalf("%v", b)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case err := <-waited:
		if err != nil {
			t.Fatalf("exit: %v; stderr: %s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("did not stop on SIGTERM")
	}
	if !strings.Contains(stderr.String(), "StartSynchronizationJob") {
		t.Errorf("request not logged to stderr: %s", stderr.String())
	}
}
