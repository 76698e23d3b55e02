package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
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
// one plan cover it; the fake DTS runs here too and is reported apart.

const (
	providerAddress = "registry.terraform.io/dts-provider/dts"
	// profileBlockRate records every blocking event of 10 µs or more.
	profileBlockRate     = 10_000
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

// fullServer is what the framework's protocol 6 server implements and
// tf6server looks for.
type fullServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
}

// timedServer times the per-resource RPCs of a plan and changes nothing else.
type timedServer struct {
	fullServer
	mu    sync.Mutex
	spans []rpcSpan
}

func (s *timedServer) record(method string, start time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.spans = append(s.spans, rpcSpan{method: method, start: start, end: time.Now()})
}

func (s *timedServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	defer s.record("ValidateResourceConfig", time.Now())
	return s.fullServer.ValidateResourceConfig(ctx, req)
}

func (s *timedServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	defer s.record("UpgradeResourceState", time.Now())
	return s.fullServer.UpgradeResourceState(ctx, req)
}

func (s *timedServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	defer s.record("ReadResource", time.Now())
	return s.fullServer.ReadResource(ctx, req)
}

func (s *timedServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	defer s.record("PlanResourceChange", time.Now())
	return s.fullServer.PlanResourceChange(ctx, req)
}

// serveInProcess starts a provider server in this process that Terraform
// reattaches to, and returns the TF_REATTACH_PROVIDERS value and the stop.
func serveInProcess(ctx context.Context, srv *timedServer) (string, func(), error) {
	ctx, cancel := context.WithCancel(ctx)
	configs, closed, served := make(chan *plugin.ReattachConfig, 1), make(chan struct{}), make(chan error, 1)
	go pprof.Do(ctx, pprof.Labels(profileSideLabel, "provider"), func(context.Context) {
		served <- tf6server.Serve(providerAddress, func() tfprotov6.ProviderServer { return srv },
			tf6server.WithDebug(ctx, configs, closed), tf6server.WithGoPluginLogger(hclog.NewNullLogger()), tf6server.WithoutLogStderrOverride())
	})
	stop := func() {
		cancel()
		select {
		case <-closed:
		case <-time.After(10 * time.Second):
		}
	}
	var rc *plugin.ReattachConfig
	select {
	case rc = <-configs:
	case err := <-served:
		cancel()
		return "", nil, fmt.Errorf("provider server: %w", err)
	case <-time.After(30 * time.Second):
		cancel()
		return "", nil, errors.New("provider server: no reattach configuration within 30s")
	}
	type addr struct{ Network, String string }
	v, err := json.Marshal(map[string]any{providerAddress: map[string]any{"Protocol": string(rc.Protocol), "ProtocolVersion": rc.ProtocolVersion,
		"Pid": rc.Pid, "Test": rc.Test, "Addr": addr{rc.Addr.Network(), rc.Addr.String()}}})
	if err != nil {
		stop()
		return "", nil, err
	}
	return string(v), stop, nil
}

// profilePlan is one timed plan against an in-process provider.
type profilePlan struct {
	load     float64
	wall     time.Duration
	benchCPU time.Duration // this process (provider and fake) during the plan
	tfCPU    time.Duration // terraform's own CPU
	spans    []rpcSpan
	calls    map[string]int
}

type profileResult struct {
	span
	n                         int
	plans, noRefresh          []profilePlan // unprofiled, with refresh and -refresh=false
	profiled                  profilePlan   // with refresh, under the profilers
	shipped, shippedNoRefresh []tfResult    // the provider as shipped, a process of its own
	cpu, block, mutex         traceSet
	files                     []string
}

// inProcessPlan runs one plan against a new in-process provider, so that
// no listing, pacer or batch outlives it; with profile set, the profilers
// run around it.
func (b *bench) inProcessPlan(ctx context.Context, dir string, args []string, profile func() (stop func() error, err error)) (profilePlan, error) {
	srv, ok := providerserver.NewProtocol6(provider.New("bench")())().(fullServer)
	if !ok {
		return profilePlan{}, errors.New("the framework's protocol server no longer serves list resources and actions; update timedServer")
	}
	// The provider logs to stderr whatever TF_LOG says; Terraform drops
	// those lines, so here they are dropped too.
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return profilePlan{}, err
	}
	stderr := os.Stderr
	os.Stderr = devNull
	defer func() { os.Stderr = stderr; devNull.Close() }()
	timed := &timedServer{fullServer: srv}
	reattach, stopServer, err := serveInProcess(ctx, timed)
	if err != nil {
		return profilePlan{}, err
	}
	defer stopServer()
	stopProfile := func() error { return nil }
	if profile != nil {
		if stopProfile, err = profile(); err != nil {
			return profilePlan{}, err
		}
	}
	cpu0 := processCPU()
	r, c, err := b.tfCallsEnv(ctx, []string{"TF_REATTACH_PROVIDERS=" + reattach}, dir, plan(append(args, autoAPI)...)...)
	p := profilePlan{benchCPU: processCPU() - cpu0, load: r.load, wall: r.wall, tfCPU: r.cpu, calls: c.byAction}
	err = errors.Join(err, stopProfile())
	os.Stderr = stderr
	timed.mu.Lock()
	p.spans = timed.spans
	timed.mu.Unlock()
	if r.code != 0 {
		b.progress("in-process plan exited %d (want 0, no changes):\n%s", r.code, tail(r.output, 30))
	}
	return p, err
}

// processCPU is the user and system CPU time of this process so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// profiler starts the CPU, blocking and mutex profilers; its stop writes
// the three profiles to files.
func profiler(files []string) func() (func() error, error) {
	return func() (func() error, error) {
		cpu, err := os.Create(files[0])
		if err != nil {
			return nil, err
		}
		runtime.SetBlockProfileRate(profileBlockRate)
		oldMutex := runtime.SetMutexProfileFraction(profileMutexFraction)
		if err := pprof.StartCPUProfile(cpu); err != nil {
			return nil, errors.Join(err, cpu.Close())
		}
		return func() error {
			pprof.StopCPUProfile()
			runtime.SetBlockProfileRate(0)
			runtime.SetMutexProfileFraction(oldMutex)
			err := cpu.Close()
			for i, name := range []string{"block", "mutex"} {
				out, cerr := os.Create(files[i+1])
				if cerr != nil {
					return errors.Join(err, cerr)
				}
				err = errors.Join(err, pprof.Lookup(name).WriteTo(out, 0), out.Close())
			}
			return err
		}, nil
	}
}

func (b *bench) runProfile(ctx context.Context, rep *report) error {
	n := b.opt.profileN
	res := &profileResult{span: begin(), n: n}
	rep.profile = res
	// The provider process turns the SDK's own logs off when no Terraform
	// log setting is present (main.go); the in-process one must do the same.
	for _, v := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"} {
		if _, set := os.LookupEnv(v); !set && os.Getenv("TF_LOG") == "" {
			os.Setenv(v, "off")
			defer os.Unsetenv(v)
		}
	}
	dir, err := b.workdir(fmt.Sprintf("profile-%d", n), n, tfConfig{})
	if err != nil {
		return err
	}
	b.progress("profile: apply %d pauses (provider out of process)", n)
	if a, _, failures, err := b.applyPauses(ctx, dir, n, 0, 0, autoAPI); err != nil || failures > 0 {
		return errors.Join(err, fmt.Errorf("apply exited %d:\n%s", a.code, tail(a.output, 20)))
	}
	// One plan first, unmeasured: it warms the caches as the measured ones find them.
	if _, err := b.inProcessPlan(ctx, dir, nil, nil); err != nil {
		return err
	}
	for i := range b.opt.profileRuns {
		b.progress("profile: in-process plans N=%d run %d/%d", n, i+1, b.opt.profileRuns)
		p, err := b.inProcessPlan(ctx, dir, nil, nil)
		if err != nil {
			return err
		}
		q, err := b.inProcessPlan(ctx, dir, []string{"-refresh=false"}, nil)
		if err != nil {
			return err
		}
		sp, err := b.tf(ctx, dir, b.dtsRC, plan(autoAPI)...)
		if err != nil {
			return err
		}
		sq, err := b.tf(ctx, dir, b.dtsRC, plan(autoAPI, "-refresh=false")...)
		if err != nil {
			return err
		}
		res.plans, res.noRefresh = append(res.plans, p), append(res.noRefresh, q)
		res.shipped, res.shippedNoRefresh = append(res.shipped, sp), append(res.shippedNoRefresh, sq)
		b.progress("  in process: plan %.2fs, -refresh=false %.2fs; as shipped: plan %.2fs, -refresh=false %.2fs",
			p.wall.Seconds(), q.wall.Seconds(), sp.wall.Seconds(), sq.wall.Seconds())
	}
	out := b.opt.profileDir
	if !filepath.IsAbs(out) {
		out = filepath.Join(b.root, out)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, kind := range []string{"cpu", "block", "mutex"} {
		res.files = append(res.files, filepath.Join(out, fmt.Sprintf("plan-%d.%s.pprof", n, kind)))
	}
	b.progress("profile: the profiled plan")
	if res.profiled, err = b.inProcessPlan(ctx, dir, nil, profiler(res.files)); err != nil {
		return err
	}
	for i, set := range []*traceSet{&res.cpu, &res.block, &res.mutex} {
		if *set, err = readTraces(ctx, res.files[i], i > 0); err != nil {
			return err
		}
	}
	res.end()
	return nil
}
