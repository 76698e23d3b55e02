package main

import (
	"bufio"
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Reading profiles: `go tool pprof -traces` prints every sample's value and
// stack, which is all this report needs, without a profile-format library.

// trace is one sample of a profile: a value (CPU time or blocked time), the
// goroutine's labels and its stack, innermost frame first.
type trace struct {
	value  time.Duration
	labels map[string]string
	frames []string
}

// traceSet is one profile's samples.
type traceSet struct {
	traces []trace
}

func (s traceSet) total() time.Duration {
	var t time.Duration
	for _, x := range s.traces {
		t += x.value
	}
	return t
}

// readTraces reads a profile with go tool pprof; index picks the sample
// value (delay for blocking and mutex profiles).
func readTraces(ctx context.Context, path, index string) (traceSet, error) {
	args := []string{"tool", "pprof", "-traces"}
	if index != "" {
		args = append(args, "-sample_index="+index)
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
		cur = nil
	}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "-----------+") {
			flush()
			cur = &trace{labels: map[string]string{}}
			continue
		}
		if cur == nil || strings.TrimSpace(line) == "" {
			continue // the header
		}
		head := line[:min(len(line), 11)]
		body := strings.TrimSpace(line)
		if strings.TrimSpace(head) == "" {
			cur.frames = append(cur.frames, frameName(body))
			continue
		}
		first, rest, _ := strings.Cut(body, " ")
		if strings.HasSuffix(first, ":") {
			cur.labels[strings.TrimSuffix(first, ":")] = strings.TrimSpace(rest)
			continue
		}
		v, err := parseScaled(first)
		if err != nil {
			return s, fmt.Errorf("pprof -traces line %q: %w", line, err)
		}
		cur.value += v
		cur.frames = append(cur.frames, frameName(strings.TrimSpace(rest)))
	}
	flush()
	return s, sc.Err()
}

func frameName(s string) string { return strings.TrimSuffix(s, " (inline)") }

// parseScaled reads a pprof time value such as 10ms, 1.50s, 195.26us or 2.5mins.
func parseScaled(v string) (time.Duration, error) {
	i := strings.IndexFunc(v, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	if i <= 0 {
		return 0, fmt.Errorf("no number in %q", v)
	}
	f, err := strconv.ParseFloat(v[:i], 64)
	if err != nil {
		return 0, err
	}
	units := map[string]time.Duration{"ns": time.Nanosecond, "us": time.Microsecond, "µs": time.Microsecond,
		"ms": time.Millisecond, "s": time.Second, "sec": time.Second, "min": time.Minute, "mins": time.Minute,
		"hr": time.Hour, "hrs": time.Hour}
	u, ok := units[v[i:]]
	if !ok {
		return 0, fmt.Errorf("unknown unit in %q", v)
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

// shortFunc drops the module prefix of the repository's and well-known
// modules' functions, for tables.
func shortFunc(fn string) string {
	for _, p := range []string{"github.com/dts-provider/terraform-provider-dts/", "github.com/hashicorp/", "google.golang.org/", "golang.org/x/"} {
		fn = strings.TrimPrefix(fn, p)
	}
	return goShape.ReplaceAllString(fn, "[...]")
}

// goShape is a generic function's type argument as the runtime names it.
var goShape = regexp.MustCompile(`\[go\.shape\.[^\]]*\]`)

const modulePath = "github.com/dts-provider/terraform-provider-dts"

// layer is the part of the program a package belongs to, for attribution.
func layer(pkg string) string {
	switch {
	case pkg == modulePath+"/internal/provider":
		return "internal/provider"
	case pkg == modulePath+"/internal/dtsclient":
		return "internal/dtsclient"
	case strings.HasPrefix(pkg, modulePath+"/internal/fakedts"):
		return "internal/fakedts"
	case pkg == "main":
		return "bench"
	case strings.HasPrefix(pkg, "github.com/hashicorp/terraform-plugin-framework"):
		return "terraform-plugin-framework"
	case strings.HasPrefix(pkg, "github.com/hashicorp/terraform-plugin-log"), strings.HasPrefix(pkg, "github.com/hashicorp/go-hclog"):
		return "logging (terraform-plugin-log, hclog)"
	case strings.HasPrefix(pkg, "github.com/hashicorp/terraform-plugin-go"):
		return "terraform-plugin-go (tfprotov6, msgpack and JSON state)"
	case strings.HasPrefix(pkg, "github.com/vmihailenco/msgpack"), strings.HasPrefix(pkg, "github.com/zclconf/go-cty"):
		return "terraform-plugin-go (tfprotov6, msgpack and JSON state)"
	case strings.HasPrefix(pkg, "google.golang.org/grpc"), strings.HasPrefix(pkg, "golang.org/x/net/http2"),
		strings.HasPrefix(pkg, "github.com/hashicorp/go-plugin"), strings.HasPrefix(pkg, "github.com/hashicorp/yamux"):
		return "gRPC, HTTP/2"
	case strings.HasPrefix(pkg, "google.golang.org/protobuf"):
		return "protobuf"
	case strings.HasPrefix(pkg, "github.com/alibabacloud-go"), strings.HasPrefix(pkg, "github.com/aliyun"):
		return "Alibaba Cloud SDK"
	case pkg == "encoding/json":
		return "encoding/json"
	case strings.HasPrefix(pkg, "net/http"), pkg == "net/textproto", pkg == "net/url", pkg == "net", pkg == "bufio":
		return "net, net/http"
	case strings.HasPrefix(pkg, "crypto"), strings.HasPrefix(pkg, "vendor/golang.org/x/crypto"):
		return "crypto"
	case pkg == "runtime" || strings.HasPrefix(pkg, "internal/") || strings.HasPrefix(pkg, "runtime/") ||
		pkg == "sync" || strings.HasPrefix(pkg, "sync/") || pkg == "syscall" || strings.HasPrefix(pkg, "vendor/"):
		return "runtime"
	}
	return "Go library (" + pkg + ")"
}

// lowLevel layers are where most samples end whoever called them; flat
// attribution skips them for the first frame above them (see attribute).
func lowLevel(l string) bool {
	return l == "runtime" || strings.HasPrefix(l, "Go library (")
}

// side tells the fake's samples from the provider's: the fake serves HTTP
// in net/http's server goroutines; the provider's goroutines carry the
// label startInProcess set (and inherit it).
func (t trace) side() string {
	for _, f := range t.frames {
		if strings.HasPrefix(f, modulePath+"/internal/fakedts.") || f == "net/http.(*conn).serve" {
			return "fake DTS"
		}
	}
	if t.labels[profileSideLabel] == "provider" {
		return "provider"
	}
	for _, f := range t.frames {
		switch layer(funcPackage(f)) {
		case "internal/provider", "internal/dtsclient", "terraform-plugin-framework", "gRPC, HTTP/2",
			"terraform-plugin-go (tfprotov6, msgpack and JSON state)":
			return "provider"
		}
	}
	return "runtime and bench (GC workers, scheduler, this program)"
}

// attribute is the layer a sample's time is charged to: its innermost frame
// outside the runtime and the standard library's low-level packages, or
// "runtime" when every frame is there (GC, scheduler).
func (t trace) attribute() string {
	for _, f := range t.frames {
		if l := layer(funcPackage(f)); !lowLevel(l) {
			return l
		}
	}
	return "runtime"
}

// rpc is the provider RPC a sample ran under (timedServer's frame), "" when
// none.
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
		switch layer(funcPackage(f)) {
		case "internal/provider", "internal/dtsclient":
			return true
		}
		return strings.HasPrefix(f, "main.(*timedServer).")
	})
}

// has reports whether a frame of the sample contains s.
func (t trace) has(s string) bool {
	return slices.ContainsFunc(t.frames, func(f string) bool { return strings.Contains(f, s) })
}

// blockSite names where a blocking sample waited: the innermost frame outside
// the runtime and sync (the code that waited), the one that called it, and
// the primitive it waited on.
func (t trace) blockSite() (site, caller, primitive string) {
	if len(t.frames) == 0 {
		return "", "", ""
	}
	primitive = t.frames[0]
	for i, f := range t.frames {
		p := funcPackage(f)
		if p == "runtime" || p == "sync" || strings.HasPrefix(p, "internal/") || p == "context" {
			continue
		}
		site = f
		if i+1 < len(t.frames) {
			caller = t.frames[i+1]
		}
		return site, caller, primitive
	}
	return primitive, "", primitive
}

// tally is a sum of values and samples by key.
type tallyRow struct {
	key   string
	value time.Duration
	count int
}

type keyTally map[string]*tallyRow

func (k keyTally) add(key string, v time.Duration) {
	r := k[key]
	if r == nil {
		r = &tallyRow{key: key}
		k[key] = r
	}
	r.value += v
	r.count++
}

// top returns the rows by value, highest first, at most n (all when n <= 0).
func (k keyTally) top(n int) []tallyRow {
	rows := make([]tallyRow, 0, len(k))
	for _, r := range k {
		rows = append(rows, *r)
	}
	slices.SortFunc(rows, func(a, b tallyRow) int {
		if a.value != b.value {
			return int(b.value - a.value)
		}
		return strings.Compare(a.key, b.key)
	})
	if n > 0 && len(rows) > n {
		rows = rows[:n]
	}
	return rows
}

// flatCum tallies the samples' innermost frames (flat) and every function
// on their stacks, once per sample (cum).
func flatCum(traces []trace) (flat, cum keyTally) {
	flat, cum = keyTally{}, keyTally{}
	for _, t := range traces {
		flat.add(t.frames[0], t.value)
		seen := map[string]bool{}
		for _, f := range t.frames {
			if !seen[f] {
				seen[f] = true
				cum.add(f, t.value)
			}
		}
	}
	return flat, cum
}

func (s traceSet) filter(keep func(trace) bool) []trace {
	var out []trace
	for _, t := range s.traces {
		if keep(t) {
			out = append(out, t)
		}
	}
	return out
}
