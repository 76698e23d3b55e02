package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

const profileHeading = "## Where a plan of existing resources spends its time (profile)"

// waveGap separates two waves of reads: the reads of one batch end within a
// few milliseconds of each other (one call answers them), and the next
// wave's reads cannot end sooner than the batcher's debounce after they start.
const waveGap = 5 * time.Millisecond

// rpcStats are the figures of one RPC method in one plan.
type rpcStats struct {
	method              string
	count               int
	sum, median, p90    time.Duration
	waves, maxWave      int
	inFlight            float64 // mean RPCs of this method in flight over first..last
	firstStart, lastEnd time.Time
}

func methodStats(spans []rpcSpan, method string) rpcStats {
	s := rpcStats{method: method}
	var durs []float64
	var ends []time.Time
	for _, x := range spans {
		if x.method != method {
			continue
		}
		s.count++
		d := x.end.Sub(x.start)
		s.sum += d
		durs = append(durs, d.Seconds())
		ends = append(ends, x.end)
		if s.firstStart.IsZero() || x.start.Before(s.firstStart) {
			s.firstStart = x.start
		}
		if x.end.After(s.lastEnd) {
			s.lastEnd = x.end
		}
	}
	if s.count == 0 {
		return s
	}
	s.median = secsDur(median(durs))
	s.p90 = secsDur(quantile(durs, 0.9))
	if span := s.lastEnd.Sub(s.firstStart); span > 0 {
		s.inFlight = s.sum.Seconds() / span.Seconds()
	}
	s.waves, s.maxWave = waves(ends)
	return s
}

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

func quantile(v []float64, q float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

func secsDur(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond)) }

func sec2(d time.Duration) string { return f2(d.Seconds()) }

// planMethods are the RPCs of a plan, in the order Terraform first sends them.
var planMethods = []string{"GetProviderSchema", "ConfigureProvider", "ValidateResourceConfig", "UpgradeResourceState",
	"UpgradeResourceIdentity", "ReadResource", "PlanResourceChange"}

// profileFindings are the figures the plain-words finding quotes.
type profileFindings struct {
	plan, noRefresh, refresh time.Duration // medians of the unprofiled plans; refresh is their difference
	read                     rpcStats      // ReadResource of the profiled plan
	readWait, readBatchWait  time.Duration // blocked under ReadResource: all, and in the batcher's get
	readCPU, providerCPU     time.Duration // CPU samples under ReadResource, and of the whole provider side
	fakeCPU, otherCPU        time.Duration
	debounceShare            float64
}

func (r *report) profileFindings() profileFindings {
	x := r.profile
	f := profileFindings{}
	f.plan = secsDur(medianOf(x.plans, func(p profilePlan) float64 { return p.wall.Seconds() }))
	f.noRefresh = secsDur(medianOf(x.noRefresh, func(p profilePlan) float64 { return p.wall.Seconds() }))
	f.refresh = f.plan - f.noRefresh
	f.read = methodStats(x.profiled.spans, "ReadResource")
	for _, t := range x.block.traces {
		if t.rpc() != "ReadResource" {
			continue
		}
		f.readWait += t.value
		if t.has("internal/provider.(*batcher[") {
			f.readBatchWait += t.value
		}
	}
	for _, t := range x.cpu.traces {
		switch t.side() {
		case "provider":
			f.providerCPU += t.value
			if t.rpc() == "ReadResource" {
				f.readCPU += t.value
			}
		case "fake DTS":
			f.fakeCPU += t.value
		default:
			f.otherCPU += t.value
		}
	}
	if f.read.sum > 0 {
		f.debounceShare = f.readBatchWait.Seconds() / f.read.sum.Seconds()
	}
	return f
}

func (r *report) renderProfile(p func(string, ...any)) {
	x := r.profile
	if x == nil || len(x.plans) == 0 {
		return
	}
	m := r.machine
	f := r.profileFindings()
	p("%s\n\n", profileHeading)
	p("Measured %s (commit %s) with `%s`; load average (1/5/15 min) %s before the experiment and %s after it, on %d cores; ",
		m.date, m.commit, r.opt.commandLine, x.loadStart, x.loadEnd, m.cores)
	p("the 1-minute load before the profiled plan was %s. The experiment took %s.\n\n", f2(x.profiled.load), x.wall.Round(time.Second))
	p("N = %d `dts_synchronization_job_state` resources, applied once (paused jobs, `api = %q`, batched reads), then planned ", x.n, x.api)
	p("with the provider running **inside the benchmark process** in debug mode (`tf6server.WithDebug`; Terraform attaches through ")
	p("`TF_REATTACH_PROVIDERS`), a new provider server for each plan so that no listing, pacer rate or batch outlives one plan. ")
	p("A wrapper around the provider's protocol server times every RPC and changes nothing else. The SDK's own logs are off, as ")
	p("`main.go` turns them off in the provider process. The fake DTS runs in the same process and is reported apart. ")
	p("%d plans with refresh and %d with `-refresh=false` (medians below), then one plan with refresh under the CPU profiler, ", len(x.plans), len(x.noRefresh))
	p("the blocking profiler (every event of %s or more) and the mutex profiler (1 in %d): ", time.Duration(profileBlockRate), profileMutexFraction)
	var names []string
	for _, fl := range x.files {
		names = append(names, "`"+filepath.Base(fl)+"`")
	}
	p("%s in `%s` (`go tool pprof -http=: FILE`).\n\n", strings.Join(names, ", "), r.opt.profileDir)

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
	shipped := func(name string, rs []tfResult) {
		var each []string
		for _, q := range rs {
			each = append(each, sec2(q.wall))
		}
		p("| %s | %s s | %s | %s s | | |\n", name, f2(medianOf(rs, func(q tfResult) float64 { return q.wall.Seconds() })),
			strings.Join(each, ", "), f2(medianOf(rs, func(q tfResult) float64 { return q.cpu.Seconds() })))
	}
	shipped("as shipped (own process), with refresh", x.shipped)
	shipped("as shipped, `-refresh=false`", x.shippedNoRefresh)
	p("\n")
	p("In process the provider's log lines (it writes them whatever `TF_LOG` says, and Terraform reads and drops them) go to a ")
	p("pipe this program drains, so Terraform does not parse them; that and the process start are the difference between the ")
	p("two kinds of rows. The profiled plan's provider wrote %d log lines (%s KiB).\n\n", x.profiled.log.lines, f2(float64(x.profiled.log.bytes)/1024))

	f.renderBatches(p, x.profiled)

	p("RPCs of the profiled plan (time inside the provider, from the wrapper; *waves* are groups of calls ending within %s of each other, ", waveGap)
	p("*in flight* the mean number running over the method's span):\n\n")
	p("| RPC | Calls | Total | Median | p90 | Span | In flight | Waves (largest) |\n|---|---|---|---|---|---|---|---|\n")
	for _, meth := range planMethods {
		s := methodStats(x.profiled.spans, meth)
		if s.count == 0 {
			continue
		}
		p("| %s | %d | %s s | %s ms | %s ms | %s s | %s | %d (%d) |\n", meth, s.count, sec2(s.sum), ms(s.median), ms(s.p90),
			sec2(s.lastEnd.Sub(s.firstStart)), f2(s.inFlight), s.waves, s.maxWave)
	}
	p("\n")

	// CPU.
	p("**CPU** of the profiled plan: %s s sampled in this process: provider %s s, fake DTS %s s, runtime and benchmark %s s ",
		sec2(x.cpu.total()), sec2(f.providerCPU), sec2(f.fakeCPU), sec2(f.otherCPU))
	p("(GC workers and the scheduler serve both). The provider's by RPC, and by the layer of the innermost frame outside the ")
	p("runtime and the standard library's low-level packages:\n\n")
	provider := x.cpu.filter(func(t trace) bool { return t.side() == "provider" })
	byRPC, byLayer := keyTally{}, keyTally{}
	for _, t := range provider {
		rpc := t.rpc()
		if rpc == "" {
			rpc = "outside an RPC handler (gRPC transport, HTTP client, timers, batch calls)"
		}
		byRPC.add(rpc, t.value)
		byLayer.add(t.attribute(), t.value)
	}
	p("| Provider CPU by RPC | s | Share |\n|---|---|---|\n")
	for _, row := range byRPC.top(0) {
		p("| %s | %s | %s%% |\n", row.key, sec2(row.value), pct(row.value, f.providerCPU))
	}
	p("\n| Provider CPU by layer | s | Share |\n|---|---|---|\n")
	for _, row := range byLayer.top(0) {
		p("| %s | %s | %s%% |\n", row.key, sec2(row.value), pct(row.value, f.providerCPU))
	}
	flat, cum := flatCum(provider)
	p("\nTop provider-side functions (flat: the innermost frame; cum: anywhere on the stack):\n\n")
	p("| Flat | s | | Cum | s |\n|---|---|---|---|---|\n")
	tf, tc := flat.top(15), topCum(cum, 15)
	for i := range max(len(tf), len(tc)) {
		var a, b string
		var av, bv string
		if i < len(tf) {
			a, av = "`"+shortFunc(tf[i].key)+"`", sec2(tf[i].value)
		}
		if i < len(tc) {
			b, bv = "`"+shortFunc(tc[i].key)+"`", sec2(tc[i].value)
		}
		p("| %s | %s | | %s | %s |\n", a, av, b, bv)
	}
	fakeFlat, _ := flatCum(x.cpu.filter(func(t trace) bool { return t.side() == "fake DTS" }))
	var fk []string
	for _, row := range fakeFlat.top(5) {
		fk = append(fk, fmt.Sprintf("`%s` %s s", shortFunc(row.key), sec2(row.value)))
	}
	p("\nThe fake's top functions (flat): %s.\n\n", strings.Join(fk, ", "))

	// Blocking.
	p("**Blocking** in the profiled plan: %s s of goroutine time blocked in total (summed over goroutines, so it exceeds the wall). ", sec2(x.block.total()))
	p("Under `ReadResource` %s s, of which %s s in the status batcher's `get` (%s%% of the reads' %s s inside the provider). ",
		sec2(f.readWait), sec2(f.readBatchWait), pct(f.readBatchWait, f.read.sum), sec2(f.read.sum))
	p("Sites on a request's path (a stack through the provider's code or an RPC handler; the innermost function outside the ")
	p("runtime, `sync` and `context`, its caller, and what it waited on):\n\n")
	p("| Site | Called from | Waits in | Blocked |\n|---|---|---|---|\n")
	sites := keyTally{}
	var idle, fake time.Duration
	for _, t := range x.block.traces {
		switch {
		case t.side() == "fake DTS":
			fake += t.value
			continue
		case !t.onRequestPath():
			idle += t.value
			continue
		}
		site, caller, prim := t.blockSite()
		sites.add(strings.Join([]string{site, caller, prim}, "\x00"), t.value)
	}
	for _, row := range sites.top(12) {
		k := strings.Split(row.key, "\x00")
		p("| `%s` | `%s` | `%s` | %s s |\n", shortFunc(k[0]), shortFunc(k[1]), shortFunc(k[2]), sec2(row.value))
	}
	p("\nThe rest, %s s, is goroutines that wait for the whole plan by design (gRPC and go-plugin stream loops, keepalive, ", sec2(idle))
	p("the HTTP client's connection loops, `os/exec`), and %s s the fake's.\n\n", sec2(fake))
	msites := keyTally{}
	for _, t := range x.mutex.traces {
		site, _, _ := t.blockSite()
		msites.add(t.side()+"\x00"+site, t.value)
	}
	var mk []string
	for _, row := range msites.top(4) {
		k := strings.Split(row.key, "\x00")
		mk = append(mk, fmt.Sprintf("`%s` (%s) %s ms", shortFunc(k[1]), k[0], ms(row.value)))
	}
	p("**Mutex** contention (1 in %d sampled, scaled): %s ms in total; top: %s.\n\n", profileMutexFraction, ms(x.mutex.total()), strings.Join(mk, ", "))

	r.renderProfileFinding(p, f)
}

// topCum is cum without the frames every sample shares (goroutine roots).
func topCum(cum keyTally, n int) []tallyRow {
	var out []tallyRow
	for _, row := range cum.top(0) {
		if row.key == "runtime.goexit" || strings.HasPrefix(row.key, "runtime/pprof.Do") {
			continue
		}
		out = append(out, row)
		if len(out) == n {
			break
		}
	}
	return out
}

func pct(part, whole time.Duration) string {
	if whole <= 0 {
		return "0"
	}
	return fmt.Sprintf("%.0f", 100*part.Seconds()/whole.Seconds())
}

// renderProfileFinding says in words where the refresh's time goes, from
// the figures: the first wave of reads waits for the region listing, and
// every later wave for the batcher's timer.
func (r *report) renderProfileFinding(p func(string, ...any), f profileFindings) {
	x := r.profile
	b := batchesOf(x.profiled)
	par := time.Duration(parallelism)
	cpuPerRead := f.readCPU / time.Duration(max(1, f.read.count))
	p("**Finding.** In process the plan takes %s s and `-refresh=false` %s s (medians), so the refresh costs %s s; as shipped %s s. ",
		sec2(f.plan), sec2(f.noRefresh), sec2(f.refresh),
		f2(medianOf(x.shipped, func(q tfResult) float64 { return q.wall.Seconds() })-medianOf(x.shippedNoRefresh, func(q tfResult) float64 { return q.wall.Seconds() })))
	p("Terraform holds one of its %d slots for each resource from `UpgradeResourceState` to `PlanResourceChange`, so a read adds ", parallelism)
	p("its time ÷ %d to the wall: in the profiled plan the %d reads spent %s s inside the provider, %s s of wall. ",
		parallelism, f.read.count, sec2(f.read.sum), sec2(f.read.sum/par))
	p("They used %s s of CPU (%s ms a read, %s%% of the provider's CPU); the rest is waiting: %s s blocked in the status batcher's `get`.\n\n",
		sec2(f.readCPU), ms(cpuPerRead), pct(f.readCPU, f.providerCPU), sec2(f.readBatchWait))
	if !b.listingEnd.IsZero() {
		first := b.listingEnd.Sub(b.refreshStart)
		p("- **The first wave waits for the region listing: about %s s.** Its batch opens a listing of the whole region ", sec2(first))
		p("(DescribeDtsJobs × %d, one page after another), which ends %s s after the first read started; %s s of it is the pacer ",
			b.calls["DescribeDtsJobs"], sec2(first), sec2(b.pacerWait["DescribeDtsJobs"]))
		p("spacing the pages at its start rate (10 calls/s, no burst, `internal/dtsclient/pacer.go`) and %s s the calls. ", sec2(b.callTime["DescribeDtsJobs"]))
		p("Every slot holds a read of that wave meanwhile, so the plan stands still for it.\n")
		wait := b.after.sum - time.Duration(b.after.count)*cpuPerRead
		p("- **Every later wave waits for the batch timer: about %s s.** The %d reads that started after the listing were ", sec2(wait/par), b.after.count)
		if others := len(x.profiled.log.calls) - b.calls["DescribeDtsJobs"]; others > 0 {
			p("answered from it or, once it was older than its %s, by %d more calls, and each took %s ms ", listMaxAgeForReport, others, ms(b.after.median))
		} else {
			p("answered from it without a call, yet each took %s ms ", ms(b.after.median))
		}
		p("(median; %s s in all, of which about %s s CPU): ", sec2(b.after.sum), sec2(time.Duration(b.after.count)*cpuPerRead))
		p("`batcher.get` holds a read until %s has passed with no other read arriving (`defaultBatchDebounce`), and the reads of a ", defaultDebounceForReport)
		p("wave arrive spread over several milliseconds as Terraform frees its slots, so the earliest waits longest. ")
		p("%d batches (median %s reads) × roughly the debounce plus the spread ≈ %s s of wall.\n", b.batches, f2(b.medianBatch), sec2(wait/par))
		rest := f.refresh - first - wait/par
		p("- **The rest, %s s**, is the reads' CPU (%s s ÷ %d) and Terraform's own share of the refresh (decoding %d read responses, ",
			sec2(rest), sec2(f.readCPU), parallelism, f.read.count)
		p("comparing states), with the run-to-run noise.\n\n")
	}
	layers := keyTally{}
	for _, t := range x.cpu.traces {
		if t.side() == "provider" {
			layers.add(t.attribute(), t.value)
		}
	}
	at := func(l string) string {
		if r := layers[l]; r != nil {
			return sec2(r.value)
		}
		return "0.00"
	}
	p("Over the whole profiled plan the provider's CPU in JSON decoding (`encoding/json`) was %s s, in logging %s s, in gRPC and HTTP/2 %s s, ",
		at("encoding/json"), at("logging (terraform-plugin-log, hclog)"), at("gRPC, HTTP/2"))
	p("in protobuf %s s, against %s s in terraform-plugin-framework and %s s in terraform-plugin-go; the fake DTS used %s s.\n\n",
		at("protobuf"), at("terraform-plugin-framework"), at("terraform-plugin-go (tfprotov6, msgpack and JSON state)"), sec2(f.fakeCPU))
}

// defaultDebounceForReport is the status batcher's debounce
// (internal/provider/status_batcher.go, defaultBatchDebounce), quoted.
const defaultDebounceForReport = "15 ms"

// listMaxAgeForReport is how long a region listing answers status reads
// (internal/provider/job_api.go, defaultListMaxAge), quoted.
const listMaxAgeForReport = "5 s"

// batchFigures are what the provider's log lines and the RPC spans of one
// plan say about its batched reads.
type batchFigures struct {
	batches, batchJobs, fullBatches, singleBatches int
	medianBatch                                    float64
	calls                                          map[string]int
	pacerWait, callTime                            map[string]time.Duration
	listingStart, listingEnd                       time.Time // the DescribeDtsJobs pages, from the first one's wait to the last answer
	refreshStart, refreshEnd                       time.Time // the first ReadResource's start, the last one's end
	after                                          rpcStats  // the reads that started once the listing was in
}

func batchesOf(pl profilePlan) batchFigures {
	b := batchFigures{calls: map[string]int{}, pacerWait: map[string]time.Duration{}, callTime: map[string]time.Duration{}}
	if pl.log == nil {
		return b
	}
	var sizes []float64
	for _, n := range pl.log.batches {
		b.batches++
		b.batchJobs += n
		sizes = append(sizes, float64(n))
		if n >= parallelism {
			b.fullBatches++
		}
		if n == 1 {
			b.singleBatches++
		}
	}
	b.medianBatch = median(sizes)
	for _, c := range pl.log.calls {
		b.calls[c.action]++
		b.pacerWait[c.action] += c.wait
		b.callTime[c.action] += c.duration
		if c.action == "DescribeDtsJobs" {
			if begin := c.at.Add(-c.duration - c.wait); b.listingStart.IsZero() || begin.Before(b.listingStart) {
				b.listingStart = begin
			}
			if c.at.After(b.listingEnd) {
				b.listingEnd = c.at
			}
		}
	}
	read := methodStats(pl.spans, "ReadResource")
	b.refreshStart, b.refreshEnd = read.firstStart, read.lastEnd
	var after []rpcSpan
	for _, s := range pl.spans {
		if s.method == "ReadResource" && !b.listingEnd.IsZero() && s.start.After(b.listingEnd) {
			after = append(after, s)
		}
	}
	b.after = methodStats(after, "ReadResource")
	return b
}

func (f profileFindings) renderBatches(p func(string, ...any), pl profilePlan) {
	b := batchesOf(pl)
	p("**Batches** of the profiled plan (from the provider's own debug lines, `batched status read` and `DTS request succeeded`): ")
	p("%d batched status reads answered %d reads (median batch %s jobs; %d of %d or more, %d of one). ", b.batches, b.batchJobs,
		f2(b.medianBatch), b.fullBatches, parallelism, b.singleBatches)
	var parts []string
	for _, a := range sortedKeys(b.calls) {
		parts = append(parts, fmt.Sprintf("%s × %d (%s s waiting for the pacer, %s s in the call)", a, b.calls[a], sec2(b.pacerWait[a]), sec2(b.callTime[a])))
	}
	if len(parts) == 0 {
		parts = []string{"none"}
	}
	p("API calls: %s. ", strings.Join(parts, "; "))
	if !b.listingEnd.IsZero() {
		p("The region listing (DescribeDtsJobs pages) ran from %s s to %s s after the first read started; ",
			sec2(b.listingStart.Sub(b.refreshStart)), sec2(b.listingEnd.Sub(b.refreshStart)))
		p("the %d reads that started after it ended took %s ms each (median; p90 %s ms), %s s in all, ending in %d waves.",
			b.after.count, ms(b.after.median), ms(b.after.p90), sec2(b.after.sum), b.after.waves)
	}
	p(" The reads ran from %s s to %s s after the plan's first RPC.\n\n", sec2(b.refreshStart.Sub(firstStart(pl.spans))), sec2(b.refreshEnd.Sub(firstStart(pl.spans))))
}

func firstStart(spans []rpcSpan) time.Time {
	var t time.Time
	for _, s := range spans {
		if t.IsZero() || s.start.Before(t) {
			t = s.start
		}
	}
	return t
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
