package main

import (
	"bytes"
	"fmt"
	"strings"
	"time"
)

// report is everything BENCHMARKS.md shows.
type report struct {
	opt     *options
	machine machineInfo
	maxJobs int
	elapsed time.Duration
	old     []byte // the report being replaced: sections not measured now are kept from it

	calls       []callsRun
	quota       []quotaRun
	late        *latenessResult
	floors      []floorRun
	rss         []rssRun
	families    *familiesResult
	workspaces  *workspacesResult
	catchUp     *catchUpResult
	stateChange *stateChangeResult
	memo        *memoResult
	profile     *profileResult
	scale       []scaleResult
	latency     []latencyResult
	throttle    *throttleResult
	goBench     string
	goBenchCmd  string
}

type printer = func(format string, args ...any)

// section is a self-contained part of the report that one experiment
// writes: -update-section replaces it alone, and a full report keeps the
// old copy of a section whose experiment did not run.
type section struct {
	experiment, heading string
	render              func(r *report, p printer)
}

var sections = []section{
	{"families", familiesHeading, (*report).renderFamilies},
	{"workspaces", workspacesHeading, (*report).renderWorkspaces},
	{"catchup", catchUpHeading, (*report).renderCatchUp},
	{"statechange", stateChangeHeading, (*report).renderStateChange},
	{"memo", memoHeading, (*report).renderMemo},
	{"profile", profileHeading, (*report).renderProfile},
}

// sectionNames are the experiments that write a section.
func sectionNames() []string {
	var out []string
	for _, s := range sections {
		out = append(out, s.experiment)
	}
	return out
}

// earlierTargetsHeading opens the issue 11 targets; a new section goes
// before it.
const earlierTargetsHeading = "## Earlier targets (issue 11)"

// text renders one part of the report on its own.
func (r *report) text(render func(p printer)) []byte {
	var w bytes.Buffer
	render(func(format string, args ...any) { fmt.Fprintf(&w, format, args...) })
	return w.Bytes()
}

// span is an experiment's duration and the machine's load around it.
type span struct {
	loadStart, loadEnd string
	start              time.Time
	wall               time.Duration
}

func begin() span { return span{loadStart: loadAvg(), start: time.Now()} }

func (s *span) end() { s.wall, s.loadEnd = time.Since(s.start), loadAvg() }

// measured is a section's first paragraph: when, on what, with which
// command, at what load; note follows the core count.
func (r *report) measured(p printer, s span, note string) {
	m := r.machine
	dirty := ""
	if m.dirty {
		dirty = ", with uncommitted changes in tracked files"
	}
	p("Measured %s (commit %s%s) with `%s`; load average (1/5/15 min) %s before the experiment and %s after it, on %d cores%s. ",
		m.date, m.commit, dirty, r.opt.commandLine, s.loadStart, s.loadEnd, m.cores, note)
	p("The experiment took %s.\n\n", s.wall.Round(time.Second))
}

// busyLoad is the 1-minute load above which a row says the machine was
// busy (the machine has 2 cores).
const busyLoad = 2.0

func loadCell(l float64) string {
	if l > busyLoad {
		return f2(l) + " (busy)"
	}
	return f2(l)
}

// target is one goal from issue 11, with its verdict.
type target struct {
	name, goal, measured string
	met, known           bool
}

func yesNo(ok bool) string {
	if ok {
		return "**met**"
	}
	return "**missed**"
}

func (r *report) render() []byte {
	return r.text(func(p printer) {
		p("# Benchmarks\n\n")
		p("Measured figures written by `make bench` (`%s`); rerun it rather than editing this file. ", r.opt.commandLine)
		p("The benchmark reports and never fails on speed. Terraform runs the provider built from this tree, through a ")
		p("`dev_overrides` CLI configuration, against the fake DTS endpoint (`internal/fakedts`) running inside the ")
		p("benchmark process on a loopback port.\n\n")
		r.renderMachine(p)
		r.renderPacing(p)
		for _, s := range sections {
			if out := r.text(func(p printer) { s.render(r, p) }); len(out) > 0 {
				p("%s", out)
			} else if old := sectionOf(r.old, s.heading); old != "" {
				p("%s\n\n", strings.TrimRight(old, "\n"))
			}
		}
		p("%s\n\n| Target | Goal | Measured | Result |\n|---|---|---|---|\n", earlierTargetsHeading)
		for _, t := range r.targets() {
			if t.known {
				p("| %s | %s | %s | %s |\n", t.name, t.goal, t.measured, yesNo(t.met))
			}
		}
		p("\n\n")
		r.renderMethod(p)
		r.renderScale(p)
		r.renderLatency(p)
		r.renderThrottle(p)
		if r.goBench != "" {
			p("## Go benchmarks of the DTS client\n\n")
			p("`%s` (one run, Go's default benchtime; the second benchmark signs and sends one ", r.goBenchCmd)
			p("`DescribeSynchronizationJobStatus` to an in-process HTTP server):\n\n")
			p("```\n%s```\n", strings.TrimRight(r.goBench, "\n")+"\n")
		}
	})
}

// targets are issue 11's goals, from the experiments that judge them.
func (r *report) targets() []target {
	return append(append(r.scaleTargets(), r.familiesTarget()), append(r.latencyTargets(), r.throttleTarget())...)
}

func (r *report) renderPacing(p printer) {
	p("## Pacing, shared polls, poll schedule\n\n")
	r.renderQuota(p)
	r.renderCalls(p)
	r.renderLateness(p)
	r.renderFloors(p)
	r.renderRSS(p)
}

func (r *report) renderMachine(p printer) {
	m := r.machine
	p("## Machine\n\n| | |\n|---|---|\n")
	p("| Date | %s |\n| CPU | %s |\n| Cores | %d |\n| Memory | %.1f GiB |\n| OS | %s |\n| Go | %s |\n| Terraform | %s |\n",
		m.date, m.cpu, m.cores, m.memGiB, m.kernel, m.goVersion, m.tfVersion)
	dirty := ""
	if m.dirty {
		dirty = " (with uncommitted changes in tracked files)"
	}
	p("| Provider source | commit %s%s |\n", m.commit, dirty)
	p("| Load average (1/5/15 min) | %s at the start, %s at the end |\n", m.loadStart, m.loadEnd)
	if len(m.loads) > 0 {
		p("| 1-minute load during the runs | median %s, lowest %s, highest %s (sampled before each Terraform command) |\n",
			f2(median(m.loads)), f2(minOf(m.loads)), f2(maxOf(m.loads)))
	}
	p("| Benchmark duration | %s |\n\n", r.elapsed.Round(time.Second))
	p("The machine may be shared with other work (builds, test suites); the load averages above say how busy it was. ")
	p("A 1-minute load well above the core count means other processes took much of the CPU, which stretches wall ")
	p("times (the floor's as well as the provider's) and makes single figures noisy: compare ratios from the same run, ")
	p("not absolute seconds across reports. The call counts, read counts and poll-driven latencies do not depend on load.\n\n")
}

// sectionBounds finds the section of text headed by the line heading, up
// to the next "## " heading; start is -1 without one.
func sectionBounds(text, heading string) (start, end int) {
	switch {
	case strings.HasPrefix(text, heading+"\n"):
		start = 0
	case strings.Contains(text, "\n"+heading+"\n"):
		start = strings.Index(text, "\n"+heading+"\n") + 1
	default:
		return -1, -1
	}
	end = len(text)
	if i := strings.Index(text[start+len(heading):], "\n## "); i >= 0 {
		end = start + len(heading) + i + 1
	}
	return start, end
}

// sectionOf is doc's section headed by heading, "" without one.
func sectionOf(doc []byte, heading string) string {
	start, end := sectionBounds(string(doc), heading)
	if start < 0 {
		return ""
	}
	return string(doc[start:end])
}

// spliceSection replaces the section of doc headed by section's first line
// by section. Without such a section it inserts section before the issue 11
// targets, or at the end when those are missing too.
func spliceSection(doc, section []byte) []byte {
	text := string(doc)
	heading, _, _ := strings.Cut(string(section), "\n")
	start, end := sectionBounds(text, heading)
	if start < 0 {
		start, _ = sectionBounds(text, earlierTargetsHeading)
		end = start
	}
	if start < 0 {
		if text != "" && !strings.HasSuffix(text, "\n\n") {
			text = strings.TrimRight(text, "\n") + "\n\n"
		}
		start, end = len(text), len(text)
	}
	return []byte(text[:start] + string(section) + text[end:])
}

func (r *report) renderMethod(p printer) {
	p("## Method\n\n")
	var sizes []string
	for _, s := range r.scale {
		sizes = append(sizes, fmt.Sprintf("N=%d: %d", s.n, len(s.runs)))
	}
	p("- **Runs.** Every figure is the median over runs (%s runs", strings.Join(sizes, ", "))
	for _, l := range r.latency {
		p("; transition %s at N=%d: %d", l.transition, l.n, len(l.runs))
	}
	if r.throttle != nil {
		p("; throttling at N=%d: %d", r.throttle.n, len(r.throttle.runs))
	}
	p("). Terraform runs with `-parallelism=%d` (its default) and `TF_IN_AUTOMATION=1`, `CHECKPOINT_DISABLE=1`.\n", parallelism)
	p("- **apply** is `terraform apply -auto-approve` from an empty state with every job running: its plan reads each ")
	p("job once (the resource's `ModifyPlan` checks the job on create), then apply pauses N jobs and waits for each. ")
	p("For this table the fake's transition time is %s, so the wall time is the provider's and Terraform's own.\n", r.opt.transitionMain)
	p("- **plan** is `terraform plan -detailed-exitcode` right after that apply: it refreshes N existing resources and ")
	p("finds no change (exit code 0 is checked). **plan -refresh=false** is the same plan without the refresh, i.e. ")
	p("Terraform, the plugin protocol and the provider with no API call.\n")
	p("- **Floor**: the same N resources as `terraform_data` (`count = N`, the same two input values), planned and ")
	p("applied the same way in the same run with an empty CLI configuration. `terraform_data` lives inside Terraform, ")
	p("so the floor has no plugin process at all.\n")
	p("- **API calls** come from the fake's call log (`Server.Calls`, the Go form of `GET /_admin/calls`), counted per ")
	p("action and divided by N. Throttled answers (if any) are counted apart.\n")
	p("- **Peak memory**: the `dev_overrides` folder holds this benchmark's own binary under the name ")
	p("`terraform-provider-dts`; it starts the real provider as its child with the same arguments and standard streams, ")
	p("waits for it and records the child's `ru_maxrss` from `wait4`. Terraform starts the provider more than once per ")
	p("command (validation, plan, apply); the figure is the largest of them. Terraform's own memory is not included.\n")
	p("- **Latency after a transition completes**: from the call log, per job, *t_s* is the time the fake received the ")
	p("accepted `SuspendSynchronizationJob` call and the job reaches `Suspending` at *t_s + T* (T = the fake's transition ")
	p("time). *Read latency* is the time of the first `DescribeSynchronizationJobStatus` call for that job at or after ")
	p("*t_s + T* minus *t_s + T*. *Apply latency* (N=1 only) is the moment `terraform apply` exited minus *t_s + T*. ")
	p("*Reads per transition* counts that job's status reads after the Suspend call up to and including the one that ")
	p("saw it paused; the plan-time read and the read before Suspend are reported apart (\"reads in all\").\n")
	p("- **Throttling**: the fake's fault `throttle_rate = %.0f` calls/s (token bucket of %.0f, refilled by the clock; ", throttleRate, throttleRate)
	p("a call without a token gets `Throttling.User` and does not run). *Accepted calls* are the calls that ran; ")
	p("*calls/40* is accepted calls ÷ 40, the fastest the quota allows. Failures are resources that ended in an error ")
	p("or a job that is not paused afterwards.\n\n")
}
