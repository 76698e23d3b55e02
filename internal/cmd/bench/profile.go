package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/dts-provider/terraform-provider-dts/internal/provider"
)

// The profile experiment (issue 20): where the provider spends a plan with
// refresh of N existing resources. The provider runs inside this process in
// debug (reattach) mode, so that a CPU, a blocking and a mutex profile of
// one plan cover it; the fake DTS runs here too and is reported apart. Each
// RPC the provider serves is timed by a wrapper around its protocol server,
// which changes nothing it does.

const (
	providerAddress = "registry.terraform.io/dts-provider/dts"
	// profileBlockRate records every blocking event of 10 µs or more and a
	// share of the shorter ones (runtime.SetBlockProfileRate).
	profileBlockRate = 10_000
	// profileMutexFraction records one contended unlock in this many.
	profileMutexFraction = 5
	// profileSideLabel marks the provider's goroutines in the CPU profile;
	// goroutines started by them inherit it.
	profileSideLabel = "side"
)

// rpcSpan is one RPC the provider served.
type rpcSpan struct {
	method     string
	start, end time.Time
}

// rpcRecorder collects the spans of one provider server.
type rpcRecorder struct {
	mu    sync.Mutex
	spans []rpcSpan
}

func (r *rpcRecorder) record(method string, start time.Time) {
	end := time.Now()
	r.mu.Lock()
	r.spans = append(r.spans, rpcSpan{method: method, start: start, end: end})
	r.mu.Unlock()
}

func (r *rpcRecorder) all() []rpcSpan {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.spans)
}

// fullServer is what the framework's protocol 6 server implements and
// tf6server looks for.
type fullServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
}

// timedServer times the RPCs of a plan; every other RPC goes straight
// through.
type timedServer struct {
	fullServer
	rec *rpcRecorder
}

func (s *timedServer) GetProviderSchema(ctx context.Context, req *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	defer s.rec.record("GetProviderSchema", time.Now())
	return s.fullServer.GetProviderSchema(ctx, req)
}

func (s *timedServer) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	defer s.rec.record("ConfigureProvider", time.Now())
	return s.fullServer.ConfigureProvider(ctx, req)
}

func (s *timedServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	defer s.rec.record("ValidateResourceConfig", time.Now())
	return s.fullServer.ValidateResourceConfig(ctx, req)
}

func (s *timedServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	defer s.rec.record("UpgradeResourceState", time.Now())
	return s.fullServer.UpgradeResourceState(ctx, req)
}

func (s *timedServer) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	defer s.rec.record("UpgradeResourceIdentity", time.Now())
	return s.fullServer.UpgradeResourceIdentity(ctx, req)
}

func (s *timedServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	defer s.rec.record("ReadResource", time.Now())
	return s.fullServer.ReadResource(ctx, req)
}

func (s *timedServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	defer s.rec.record("PlanResourceChange", time.Now())
	return s.fullServer.PlanResourceChange(ctx, req)
}

// inProcess is a provider server in this process that Terraform reattaches
// to; each plan gets a new one, so no listing, pacer or batch outlives it.
type inProcess struct {
	reattach string // the TF_REATTACH_PROVIDERS value
	rec      *rpcRecorder
	cancel   context.CancelFunc
	closed   chan struct{}
	served   chan error
}

func startInProcess(ctx context.Context) (*inProcess, error) {
	srv, ok := providerserver.NewProtocol6(provider.New("bench")())().(fullServer)
	if !ok {
		return nil, errors.New("the framework's protocol server no longer serves list resources and actions; update timedServer")
	}
	p := &inProcess{rec: &rpcRecorder{}, closed: make(chan struct{}), served: make(chan error, 1)}
	timed := &timedServer{fullServer: srv, rec: p.rec}
	sctx, cancel := context.WithCancel(ctx)
	p.cancel = cancel
	configs := make(chan *plugin.ReattachConfig, 1)
	go pprof.Do(sctx, pprof.Labels(profileSideLabel, "provider"), func(context.Context) {
		p.served <- tf6server.Serve(providerAddress, func() tfprotov6.ProviderServer { return timed },
			tf6server.WithDebug(sctx, configs, p.closed), tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			// Log to the os.Stderr of the moment, which the plan's logTap replaces.
			tf6server.WithoutLogStderrOverride())
	})
	var rc *plugin.ReattachConfig
	select {
	case rc = <-configs:
	case err := <-p.served:
		cancel()
		return nil, fmt.Errorf("provider server: %w", err)
	case <-time.After(30 * time.Second):
		cancel()
		return nil, errors.New("provider server: no reattach configuration within 30s")
	}
	type addr struct{ Network, String string }
	type config struct {
		Protocol        string
		ProtocolVersion int
		Pid             int
		Test            bool
		Addr            addr
	}
	v, err := json.Marshal(map[string]config{providerAddress: {Protocol: string(rc.Protocol), ProtocolVersion: rc.ProtocolVersion,
		Pid: rc.Pid, Test: rc.Test, Addr: addr{Network: rc.Addr.Network(), String: rc.Addr.String()}}})
	if err != nil {
		cancel()
		return nil, err
	}
	p.reattach = string(v)
	return p, nil
}

func (p *inProcess) stop() {
	p.cancel()
	select {
	case <-p.closed:
	case <-time.After(10 * time.Second):
	}
}

// profilePlan is one timed plan against an in-process provider.
type profilePlan struct {
	refresh  bool
	load     float64
	wall     time.Duration
	code     int
	benchCPU time.Duration // this process (provider and fake) during the plan
	tfCPU    time.Duration // terraform's own CPU
	spans    []rpcSpan
	calls    map[string]int
	log      *logTap
}

// profileResult is the whole experiment.
type profileResult struct {
	n, runs   int
	api       string
	plans     []profilePlan // with refresh, unprofiled
	noRefresh []profilePlan // -refresh=false, unprofiled
	profiled  profilePlan   // with refresh, under the profilers
	// The same plans with the provider as shipped, a process of its own
	// (plans and floors experiments): the reference for the in-process figures.
	shipped, shippedNoRefresh []tfResult
	cpu, block, mutex         traceSet
	files                     []string
	loadStart, loadEnd        string
	wall                      time.Duration
}

// inProcessPlan runs one plan against a new in-process provider; with
// profiles set, the profilers run around it and write there.
func (b *bench) inProcessPlan(ctx context.Context, dir string, refresh bool, profiles *profileFiles) (profilePlan, error) {
	p := profilePlan{refresh: refresh}
	srv, err := startInProcess(ctx)
	if err != nil {
		return p, err
	}
	defer srv.stop()
	args := append(slices.Clone(planArgs), autoAPI)
	if !refresh {
		args = append(args, "-refresh=false")
	}
	p.load, _ = load1()
	b.fake.ResetCalls()
	if profiles != nil {
		if err := profiles.start(); err != nil {
			return p, err
		}
	}
	tap, err := tapStderr()
	if err != nil {
		return p, err
	}
	cpu0 := processCPU()
	r, err := b.tfEnv(ctx, []string{"TF_REATTACH_PROVIDERS=" + srv.reattach}, dir, b.dtsRC, args...)
	p.benchCPU = processCPU() - cpu0
	tap.stop()
	p.log = tap
	if profiles != nil {
		if perr := profiles.stop(); perr != nil && err == nil {
			err = perr
		}
	}
	if err != nil {
		return p, err
	}
	p.wall, p.code, p.tfCPU = r.wall, r.code, r.cpu
	p.spans = srv.rec.all()
	p.calls = tally(b.fake.Calls()).byAction
	if p.code != 0 {
		b.progress(fmt.Sprintf("in-process plan exited %d (want 0, no changes):\n%s", p.code, tail(r.output, 30)))
	}
	return p, nil
}

// processCPU is the user and system CPU time of this process so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// profileFiles are the profiles of the profiled plan.
type profileFiles struct {
	cpu, block, mutex string
	cpuFile           *os.File
	oldMutex          int
}

func (f *profileFiles) start() error {
	var err error
	if f.cpuFile, err = os.Create(f.cpu); err != nil {
		return err
	}
	runtime.SetBlockProfileRate(profileBlockRate)
	f.oldMutex = runtime.SetMutexProfileFraction(profileMutexFraction)
	return pprof.StartCPUProfile(f.cpuFile)
}

func (f *profileFiles) stop() error {
	pprof.StopCPUProfile()
	runtime.SetBlockProfileRate(0)
	runtime.SetMutexProfileFraction(f.oldMutex)
	err := f.cpuFile.Close()
	for _, p := range []struct{ name, path string }{{"block", f.block}, {"mutex", f.mutex}} {
		out, cerr := os.Create(p.path)
		if cerr != nil {
			return cerr
		}
		werr := pprof.Lookup(p.name).WriteTo(out, 0)
		err = errors.Join(err, werr, out.Close())
	}
	return err
}

// profileDir is where the profiles go: -profile-dir, under the repository
// root unless absolute.
func (b *bench) profileDir() string {
	if filepath.IsAbs(b.opt.profileDir) {
		return b.opt.profileDir
	}
	return filepath.Join(b.root, b.opt.profileDir)
}

func (b *bench) runProfile(ctx context.Context, rep *report) error {
	start := time.Now()
	res := &profileResult{n: b.opt.profileN, runs: b.opt.profileRuns, api: "auto", loadStart: loadAvg()}
	rep.profile = res
	// The provider process turns the SDK's own logs off when nobody asked
	// for Terraform logs (main.go, quietSDKLogs); the in-process one must
	// do the same, or it would log every RPC to this process's stderr.
	restore := quietLogsHere()
	defer restore()

	n := res.n
	dir, err := b.workdir(fmt.Sprintf("profile-%d", n), n, false)
	if err != nil {
		return err
	}
	removeState(dir)
	if err := b.resetJobs(n, 0); err != nil {
		return err
	}
	b.progress(fmt.Sprintf("profile: apply %d pauses (provider out of process)", n))
	a, err := b.tf(ctx, dir, b.dtsRC, append(slices.Clone(applyArgs), autoAPI)...)
	if err != nil {
		return err
	}
	if a.code != 0 {
		return fmt.Errorf("apply exited %d:\n%s", a.code, tail(a.output, 20))
	}
	// One plan first, unmeasured: it warms the page cache and Terraform's
	// schema cache as the measured ones will find them.
	if _, err := b.inProcessPlan(ctx, dir, true, nil); err != nil {
		return err
	}
	for i := range res.runs {
		b.progress(fmt.Sprintf("profile: in-process plans N=%d run %d/%d", n, i+1, res.runs))
		p, err := b.inProcessPlan(ctx, dir, true, nil)
		if err != nil {
			return err
		}
		res.plans = append(res.plans, p)
		q, err := b.inProcessPlan(ctx, dir, false, nil)
		if err != nil {
			return err
		}
		res.noRefresh = append(res.noRefresh, q)
		sp, err := b.tf(ctx, dir, b.dtsRC, append(slices.Clone(planArgs), autoAPI)...)
		if err != nil {
			return err
		}
		sq, err := b.tf(ctx, dir, b.dtsRC, append(slices.Clone(planArgs), autoAPI, "-refresh=false")...)
		if err != nil {
			return err
		}
		res.shipped, res.shippedNoRefresh = append(res.shipped, sp), append(res.shippedNoRefresh, sq)
		b.progress(fmt.Sprintf("  in process: plan %.2fs (load %.2f), -refresh=false %.2fs; as shipped: plan %.2fs, -refresh=false %.2fs",
			p.wall.Seconds(), p.load, q.wall.Seconds(), sp.wall.Seconds(), sq.wall.Seconds()))
	}

	out := b.profileDir()
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	files := &profileFiles{cpu: filepath.Join(out, fmt.Sprintf("plan-%d.cpu.pprof", n)),
		block: filepath.Join(out, fmt.Sprintf("plan-%d.block.pprof", n)), mutex: filepath.Join(out, fmt.Sprintf("plan-%d.mutex.pprof", n))}
	b.progress("profile: the profiled plan")
	if res.profiled, err = b.inProcessPlan(ctx, dir, true, files); err != nil {
		return err
	}
	res.files = []string{files.cpu, files.block, files.mutex}
	b.progress(fmt.Sprintf("  profiled plan %.2fs; profiles in %s", res.profiled.wall.Seconds(), out))
	if res.cpu, err = readTraces(ctx, files.cpu, ""); err != nil {
		return err
	}
	if res.block, err = readTraces(ctx, files.block, "delay"); err != nil {
		return err
	}
	if res.mutex, err = readTraces(ctx, files.mutex, "delay"); err != nil {
		return err
	}
	res.loadEnd = loadAvg()
	res.wall = time.Since(start)
	return nil
}

// quietLogsHere sets what quietSDKLogs sets in the provider process, unless
// a Terraform log setting is present, and returns the undo.
func quietLogsHere() func() {
	names := []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PATH", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"}
	for _, n := range names {
		if os.Getenv(n) != "" {
			return func() {}
		}
	}
	sdk := names[3:]
	for _, n := range sdk {
		_ = os.Setenv(n, "off")
	}
	return func() {
		for _, n := range sdk {
			_ = os.Unsetenv(n)
		}
	}
}

// logTap takes the provider's log lines during a plan. The provider writes
// them to its stderr whatever TF_LOG says (Terraform filters them), so the
// in-process provider writes them here instead of to this program's stderr,
// and the tap keeps what the report needs: the batched status reads and
// the API calls with their pacer waits.
type logTap struct {
	r, w  *os.File
	old   *os.File
	done  chan struct{}
	lines int
	bytes int64
	// batches are the job counts of the batched status reads, in order.
	batches []int
	calls   []loggedCall
}

// loggedCall is one "DTS request succeeded" line (internal/provider).
type loggedCall struct {
	at             time.Time
	action         string
	jobs           int
	duration, wait time.Duration
}

// tapStderr points os.Stderr at a pipe until stop.
func tapStderr() (*logTap, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	t := &logTap{r: r, w: w, old: os.Stderr, done: make(chan struct{})}
	os.Stderr = w
	go t.drain()
	return t, nil
}

func (t *logTap) drain() {
	defer close(t.done)
	sc := bufio.NewScanner(t.r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		t.lines++
		t.bytes += int64(len(sc.Bytes()) + 1)
		if !bytes.Contains(sc.Bytes(), []byte(`"batched status read"`)) && !bytes.Contains(sc.Bytes(), []byte(`"DTS request succeeded"`)) {
			continue
		}
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) != nil {
			continue
		}
		num := func(k string) float64 { v, _ := m[k].(float64); return v }
		switch m["@message"] {
		case "batched status read":
			t.batches = append(t.batches, int(num("jobs")))
		case "DTS request succeeded":
			at, _ := time.Parse(time.RFC3339Nano, fmt.Sprint(m["@timestamp"]))
			jobs := 0
			if ids, _ := m["job_id"].(string); ids != "" {
				jobs = strings.Count(ids, ",") + 1
			}
			t.calls = append(t.calls, loggedCall{at: at, action: fmt.Sprint(m["action"]), jobs: jobs,
				duration: time.Duration(num("duration_ms") * float64(time.Millisecond)),
				wait:     time.Duration(num("pacer_wait_ms") * float64(time.Millisecond))})
		}
	}
}

// stop restores os.Stderr and waits for the tap to read everything.
func (t *logTap) stop() {
	os.Stderr = t.old
	_ = t.w.Close()
	<-t.done
	_ = t.r.Close()
}
