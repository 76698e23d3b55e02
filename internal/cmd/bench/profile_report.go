package main

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Reading profiles: `go tool pprof -traces` prints every sample's value and
// stack, which is all this report needs, without a profile-format library.

// trace is one sample: a value (CPU or blocked time), the goroutine's
// labels and its stack, innermost frame first.
type trace struct {
	value  time.Duration
	labels map[string]string
	frames []string
}

type traceSet struct{ traces []trace }

func (s traceSet) total() time.Duration {
	var t time.Duration
	for _, x := range s.traces {
		t += x.value
	}
	return t
}

// readTraces reads a profile with go tool pprof; delay picks the blocked
// time of a blocking or mutex profile.
func readTraces(ctx context.Context, path string, delay bool) (traceSet, error) {
	args := []string{"tool", "pprof", "-traces"}
	if delay {
		args = append(args, "-sample_index=delay")
	}
	out, err := exec.CommandContext(ctx, "go", append(args, path)...).Output()
	if err != nil {
		return traceSet{}, fmt.Errorf("go tool pprof -traces %s: %w", path, err)
	}
	return parseTraces(string(out))
}

// parseTraces reads the text of `go tool pprof -traces`: a header, then
// samples separated by dashed lines, each with optional "key:  value" label
// lines, a line with the value and the innermost frame, and a line per
// outer frame.
func parseTraces(text string) (traceSet, error) {
	var s traceSet
	var cur *trace
	flush := func() {
		if cur != nil && len(cur.frames) > 0 {
			s.traces = append(s.traces, *cur)
		}
	}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Text()
		body := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "-----------+"):
			flush()
			cur = &trace{labels: map[string]string{}}
			continue
		case cur == nil || body == "":
			continue // the header
		case strings.TrimSpace(line[:min(len(line), 11)]) == "":
			cur.frames = append(cur.frames, strings.TrimSuffix(body, " (inline)"))
			continue
		}
		first, rest, _ := strings.Cut(body, " ")
		if key, ok := strings.CutSuffix(first, ":"); ok {
			cur.labels[key] = strings.TrimSpace(rest)
			continue
		}
		v, err := parseScaled(first)
		if err != nil {
			return s, fmt.Errorf("pprof -traces line %q: %w", line, err)
		}
		cur.value += v
		cur.frames = append(cur.frames, strings.TrimSuffix(strings.TrimSpace(rest), " (inline)"))
	}
	flush()
	return s, sc.Err()
}

var pprofUnits = map[string]time.Duration{"ns": time.Nanosecond, "us": time.Microsecond, "µs": time.Microsecond,
	"ms": time.Millisecond, "s": time.Second, "sec": time.Second, "min": time.Minute, "mins": time.Minute, "hr": time.Hour, "hrs": time.Hour}

// parseScaled reads a pprof time value such as 10ms, 1.50s or 2.5mins.
func parseScaled(v string) (time.Duration, error) {
	i := strings.IndexFunc(v, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	if i <= 0 {
		return 0, fmt.Errorf("no number in %q", v)
	}
	f, err := strconv.ParseFloat(v[:i], 64)
	u, ok := pprofUnits[v[i:]]
	if err != nil || !ok {
		return 0, fmt.Errorf("not a time: %q", v)
	}
	return time.Duration(f * float64(u)), nil
}

// funcPackage is the import path of a frame's function.
func funcPackage(fn string) string {
	slash := strings.LastIndex(fn, "/")
	if dot := strings.Index(fn[slash+1:], "."); dot >= 0 {
		return fn[:slash+1+dot]
	}
	return fn
}

const modulePath = "github.com/dts-provider/terraform-provider-dts"

// goShape is a generic function's type argument as the runtime names it.
var goShape = regexp.MustCompile(`\[go\.shape\.[^\]]*\]`)

// shortFunc drops well-known module prefixes, for tables.
func shortFunc(fn string) string {
	for _, p := range []string{modulePath + "/", "github.com/hashicorp/", "google.golang.org/", "golang.org/x/"} {
		fn = strings.TrimPrefix(fn, p)
	}
	return goShape.ReplaceAllString(fn, "[...]")
}

// layers name the part of the program a package belongs to, by package
// path prefix, first match wins.
var layers = []struct{ name, prefixes string }{
	{"internal/provider", modulePath + "/internal/provider"},
	{"internal/dtsclient", modulePath + "/internal/dtsclient"},
	{"internal/fakedts", modulePath + "/internal/fakedts"},
	{"bench", "main"},
	{"terraform-plugin-framework", "github.com/hashicorp/terraform-plugin-framework"},
	{"logging (terraform-plugin-log, hclog)", "github.com/hashicorp/terraform-plugin-log github.com/hashicorp/go-hclog"},
	{"terraform-plugin-go (tfprotov6, msgpack and JSON state)", "github.com/hashicorp/terraform-plugin-go github.com/vmihailenco/msgpack github.com/zclconf/go-cty"},
	{"gRPC, HTTP/2", "google.golang.org/grpc golang.org/x/net/http2 github.com/hashicorp/go-plugin github.com/hashicorp/yamux"},
	{"protobuf", "google.golang.org/protobuf"},
	{"Alibaba Cloud SDK", "github.com/alibabacloud-go github.com/aliyun"},
	{"encoding/json", "encoding/json"},
	{"net, net/http", "net bufio"},
	{"crypto", "crypto vendor/golang.org/x/crypto"},
	{"runtime", "runtime internal/ sync syscall vendor/"},
}

func layer(pkg string) string {
	for _, l := range layers {
		for _, p := range strings.Fields(l.prefixes) {
			if pkg == p || strings.HasPrefix(pkg, strings.TrimSuffix(p, "/")+"/") {
				return l.name
			}
		}
	}
	return "Go library (" + pkg + ")"
}

// side tells the fake's samples (net/http server goroutines) from the
// provider's (the label serveInProcess set) and the rest.
func (t trace) side() string {
	if slices.ContainsFunc(t.frames, func(f string) bool {
		return strings.HasPrefix(f, modulePath+"/internal/fakedts.") || f == "net/http.(*conn).serve"
	}) {
		return "fake DTS"
	}
	if t.labels[profileSideLabel] == "provider" || slices.ContainsFunc(t.frames, func(f string) bool {
		return slices.Contains([]string{"internal/provider", "internal/dtsclient", "terraform-plugin-framework", "gRPC, HTTP/2",
			"terraform-plugin-go (tfprotov6, msgpack and JSON state)"}, layer(funcPackage(f)))
	}) {
		return "provider"
	}
	return "runtime and bench (GC workers, scheduler, this program)"
}

// attribute is the layer of the innermost frame outside the runtime and
// the standard library's low-level packages; "runtime" when every frame is there.
func (t trace) attribute() string {
	for _, f := range t.frames {
		if l := layer(funcPackage(f)); l != "runtime" && !strings.HasPrefix(l, "Go library (") {
			return l
		}
	}
	return "runtime"
}

// rpc is the provider RPC a sample ran under (timedServer's frame).
func (t trace) rpc() string {
	for _, f := range t.frames {
		if m, ok := strings.CutPrefix(f, "main.(*timedServer)."); ok {
			return m
		}
	}
	return ""
}

// onRequestPath reports a sample whose stack runs through the provider's
// own code or an RPC handler, as opposed to a loop that waits all along.
func (t trace) onRequestPath() bool {
	return slices.ContainsFunc(t.frames, func(f string) bool {
		l := layer(funcPackage(f))
		return l == "internal/provider" || l == "internal/dtsclient" || strings.HasPrefix(f, "main.(*timedServer).")
	})
}

// blockSite names where a sample waited: the innermost frame outside the
// runtime, sync and context, its caller, and the primitive it waited on.
func (t trace) blockSite() (site, caller, primitive string) {
	primitive = t.frames[0]
	for i, f := range t.frames {
		if p := funcPackage(f); p == "runtime" || p == "sync" || p == "context" || strings.HasPrefix(p, "internal/") {
			continue
		}
		if i+1 < len(t.frames) {
			caller = t.frames[i+1]
		}
		return f, caller, primitive
	}
	return primitive, "", primitive
}

// sums adds values up by key.
type sums map[string]time.Duration

// top is the keys by value, highest first, at most n (all when n <= 0),
// leaving out those skip names.
func (s sums) top(n int, skip func(string) bool) []string {
	var keys []string
	for k := range s {
		if skip == nil || !skip(k) {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b string) int {
		if s[a] != s[b] {
			return cmp.Compare(s[b], s[a])
		}
		return strings.Compare(a, b)
	})
	if n > 0 && len(keys) > n {
		keys = keys[:n]
	}
	return keys
}

// waveGap separates two waves of RPCs: the reads of one batch end within a
// few milliseconds of each other.
const waveGap = 5 * time.Millisecond

// waves counts the groups of end times separated by more than waveGap, and
// the largest group.
func waves(ends []time.Time) (n, largest int) {
	ends = slices.Clone(ends)
	slices.SortFunc(ends, func(a, b time.Time) int { return a.Compare(b) })
	size := 0
	for i, e := range ends {
		if i == 0 || e.Sub(ends[i-1]) > waveGap {
			n++
			size = 0
		}
		size++
		largest = max(largest, size)
	}
	return n, largest
}

func sec2(d time.Duration) string { return f2(d.Seconds()) }

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond)) }

func pct(part, whole time.Duration) string {
	if whole <= 0 {
		return "0"
	}
	return fmt.Sprintf("%.0f", 100*part.Seconds()/whole.Seconds())
}

const profileHeading = "## Where a plan of existing resources spends its time (profile)"

func (r *report) renderProfile(p printer) {
	x := r.profile
	if x == nil || len(x.plans) == 0 {
		return
	}
	p("%s\n\n", profileHeading)
	r.measured(p, x.span, fmt.Sprintf("; the 1-minute load before the profiled plan was %s", f2(x.profiled.load)))
	p("N = %d `dts_synchronization_job_state` resources, applied once (paused jobs, `api = \"auto\"`, batched reads), then planned ", x.n)
	p("with the provider running **inside the benchmark process** in debug mode (`tf6server.WithDebug`; Terraform attaches through ")
	p("`TF_REATTACH_PROVIDERS`), a new provider server for each plan so that no listing, pacer rate or batch outlives one plan. ")
	p("A wrapper around the provider's protocol server times the per-resource RPCs and changes nothing else. The SDK's own logs ")
	p("are off, as `main.go` turns them off in the provider process, and its other log lines are dropped. The fake DTS runs in ")
	p("the same process and is reported apart. %d plans with refresh and %d with `-refresh=false` (medians below), then one ", len(x.plans), len(x.noRefresh))
	p("plan with refresh under the CPU profiler, the blocking profiler (every event of %s or more) and the mutex profiler ", time.Duration(profileBlockRate))
	var names []string
	for _, f := range x.files {
		names = append(names, "`"+filepath.Base(f)+"`")
	}
	p("(1 in %d): %s in `%s` (`go tool pprof -http=: FILE`).\n\n", profileMutexFraction, strings.Join(names, ", "), r.opt.profileDir)

	p("| Plan | Wall (median) | Wall (each) | Terraform CPU (as shipped: with the provider's) | Provider + fake CPU (in process) | Calls to the fake |\n|---|---|---|---|---|---|\n")
	row := func(name string, ps []profilePlan) {
		var each []string
		for _, q := range ps {
			each = append(each, fmt.Sprintf("%s (load %s)", sec2(q.wall), f2(q.load)))
		}
		p("| %s | %s s | %s | %s s | %s s | %s |\n", name, f2(medianOf(ps, func(q profilePlan) float64 { return q.wall.Seconds() })),
			strings.Join(each, ", "), f2(medianOf(ps, func(q profilePlan) float64 { return q.tfCPU.Seconds() })),
			f2(medianOf(ps, func(q profilePlan) float64 { return q.benchCPU.Seconds() })), callsByAction(ps[len(ps)-1].calls))
	}
	row("in process, with refresh", x.plans)
	row("in process, `-refresh=false`", x.noRefresh)
	row("in process, with refresh, profiled", []profilePlan{x.profiled})
	for _, s := range []struct {
		name string
		rs   []tfResult
	}{{"as shipped (own process), with refresh", x.shipped}, {"as shipped, `-refresh=false`", x.shippedNoRefresh}} {
		var each []string
		for _, q := range s.rs {
			each = append(each, sec2(q.wall))
		}
		p("| %s | %s s | %s | %s s | | |\n", s.name, f2(medianOf(s.rs, func(q tfResult) float64 { return q.wall.Seconds() })),
			strings.Join(each, ", "), f2(medianOf(s.rs, func(q tfResult) float64 { return q.cpu.Seconds() })))
	}

	p("\nRPCs of the profiled plan (time inside the provider, from the wrapper; *waves* are groups of calls ending within %s of each other, ", waveGap)
	p("*in flight* the mean number running over the method's span):\n\n")
	p("| RPC | Calls | Total | Median | p90 | Span | In flight | Waves (largest) |\n|---|---|---|---|---|---|---|---|\n")
	for _, meth := range []string{"ValidateResourceConfig", "UpgradeResourceState", "ReadResource", "PlanResourceChange"} {
		var durs []float64
		var ends []time.Time
		var first, last time.Time
		var sum time.Duration
		for _, s := range x.profiled.spans {
			if s.method == meth {
				durs, ends, sum = append(durs, secs(s.end.Sub(s.start))), append(ends, s.end), sum+s.end.Sub(s.start)
				if first.IsZero() || s.start.Before(first) {
					first = s.start
				}
				if s.end.After(last) {
					last = s.end
				}
			}
		}
		if len(durs) == 0 {
			continue
		}
		n, largest := waves(ends)
		p("| %s | %d | %s s | %s ms | %s ms | %s s | %s | %d (%d) |\n", meth, len(durs), sec2(sum), ms(fromSecs(median(durs))),
			ms(fromSecs(quantile(durs, 0.9))), sec2(last.Sub(first)), f2(sum.Seconds()/last.Sub(first).Seconds()), n, largest)
	}
	r.renderProfileCPU(p)
	r.renderProfileBlocking(p)
}

func (r *report) renderProfileCPU(p printer) {
	x := r.profile
	bySide, byRPC, byLayer, flat, cum, fakeFlat := sums{}, sums{}, sums{}, sums{}, sums{}, sums{}
	for _, t := range x.cpu.traces {
		side := t.side()
		bySide[side] += t.value
		if side == "fake DTS" {
			fakeFlat[t.frames[0]] += t.value
		}
		if side != "provider" {
			continue
		}
		byRPC[cmp.Or(t.rpc(), "outside an RPC handler (gRPC transport, HTTP client, timers, batch calls)")] += t.value
		byLayer[t.attribute()] += t.value
		flat[t.frames[0]] += t.value
		for _, f := range slices.Compact(slices.Sorted(slices.Values(t.frames))) {
			cum[f] += t.value
		}
	}
	provider := bySide["provider"]
	p("\n**CPU** of the profiled plan: %s s sampled in this process: provider %s s, fake DTS %s s, runtime and benchmark %s s ",
		sec2(x.cpu.total()), sec2(provider), sec2(bySide["fake DTS"]), sec2(x.cpu.total()-provider-bySide["fake DTS"]))
	p("(GC workers and the scheduler serve both). The provider's by RPC, and by the layer of the innermost frame outside the ")
	p("runtime and the standard library's low-level packages:\n\n")
	for _, t := range []struct {
		heading string
		s       sums
	}{{"Provider CPU by RPC", byRPC}, {"Provider CPU by layer", byLayer}} {
		p("| %s | s | Share |\n|---|---|---|\n", t.heading)
		for _, k := range t.s.top(0, nil) {
			p("| %s | %s | %s%% |\n", k, sec2(t.s[k]), pct(t.s[k], provider))
		}
		p("\n")
	}
	p("Top provider-side functions (flat: the innermost frame; cum: anywhere on the stack):\n\n")
	p("| Flat | s | | Cum | s |\n|---|---|---|---|---|\n")
	tf := flat.top(15, nil)
	tc := cum.top(15, func(f string) bool { return f == "runtime.goexit" || strings.HasPrefix(f, "runtime/pprof.Do") })
	cell := func(keys []string, s sums, i int) (string, string) {
		if i >= len(keys) {
			return "", ""
		}
		return "`" + shortFunc(keys[i]) + "`", sec2(s[keys[i]])
	}
	for i := range max(len(tf), len(tc)) {
		a, av := cell(tf, flat, i)
		c, cv := cell(tc, cum, i)
		p("| %s | %s | | %s | %s |\n", a, av, c, cv)
	}
	var fk []string
	for _, k := range fakeFlat.top(5, nil) {
		fk = append(fk, fmt.Sprintf("`%s` %s s", shortFunc(k), sec2(fakeFlat[k])))
	}
	p("\nThe fake's top functions (flat): %s.\n\n", strings.Join(fk, ", "))
}

func (r *report) renderProfileBlocking(p printer) {
	x := r.profile
	sites := sums{}
	var idle, fake, read, batched time.Duration
	for _, t := range x.block.traces {
		if t.rpc() == "ReadResource" {
			read += t.value
			if slices.ContainsFunc(t.frames, func(f string) bool { return strings.Contains(f, "internal/provider.(*batcher[") }) {
				batched += t.value
			}
		}
		switch {
		case t.side() == "fake DTS":
			fake += t.value
		case !t.onRequestPath():
			idle += t.value
		default:
			site, caller, prim := t.blockSite()
			sites[site+"\x00"+caller+"\x00"+prim] += t.value
		}
	}
	p("**Blocking** in the profiled plan: %s s of goroutine time blocked in total (summed over goroutines, so it exceeds the wall). ", sec2(x.block.total()))
	p("Under `ReadResource` %s s, of which %s s in the status batcher's `get`. ", sec2(read), sec2(batched))
	p("Sites on a request's path (a stack through the provider's code or an RPC handler; the innermost function outside the ")
	p("runtime, `sync` and `context`, its caller, and what it waited on):\n\n")
	p("| Site | Called from | Waits in | Blocked |\n|---|---|---|---|\n")
	for _, k := range sites.top(12, nil) {
		f := strings.Split(k, "\x00")
		p("| `%s` | `%s` | `%s` | %s s |\n", shortFunc(f[0]), shortFunc(f[1]), shortFunc(f[2]), sec2(sites[k]))
	}
	p("\nThe rest, %s s, is goroutines that wait for the whole plan by design (gRPC and go-plugin stream loops, keepalive, ", sec2(idle))
	p("the HTTP client's connection loops, `os/exec`), and %s s the fake's.\n\n", sec2(fake))
	msites := sums{}
	for _, t := range x.mutex.traces {
		site, _, _ := t.blockSite()
		msites[t.side()+"\x00"+site] += t.value
	}
	var mk []string
	for _, k := range msites.top(4, nil) {
		f := strings.Split(k, "\x00")
		mk = append(mk, fmt.Sprintf("`%s` (%s) %s ms", shortFunc(f[1]), f[0], ms(msites[k])))
	}
	p("**Mutex** contention (1 in %d sampled, scaled): %s ms in total; top: %s.\n\n", profileMutexFraction, ms(x.mutex.total()), strings.Join(mk, ", "))
}
