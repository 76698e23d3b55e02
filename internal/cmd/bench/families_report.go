package main

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// familiesHeading opens the families experiment's section of BENCHMARKS.md;
// -update-section replaces only that section.
const familiesHeading = "## Refresh calls per job, by API family"

// renderFamilies writes the families experiment's section, headed by
// familiesHeading, self-contained so it can replace its copy in an older report.
func (r *report) renderFamilies(p func(string, ...any)) {
	f := r.families
	if f == nil || len(f.runs) == 0 {
		return
	}
	m := r.machine
	dirty := ""
	if m.dirty {
		dirty = ", with uncommitted changes in tracked files"
	}
	p("%s\n\n", familiesHeading)
	p("Measured %s (commit %s%s) with `%s`; load average (1/5/15 min) %s before the experiment and %s after it, on %d cores. ",
		m.date, m.commit, dirty, r.opt.commandLine, f.loadStart, f.loadEnd, m.cores)
	p("The experiment took %s at that load (the only timing here; the call counts do not depend on load).\n\n", f.wall.Round(time.Second))
	p("For each N and each value of the provider's `api`, one `terraform apply` of N pauses from an empty state with that ")
	p("`api`, then %d × `terraform plan -detailed-exitcode` with the same `api` (the refresh of the N unchanged jobs, ", r.opt.familyRuns)
	p("`batch_status_reads` on, `-parallelism=%d`). *Refresh calls/job* is every call the fake logged during a plan ", parallelism)
	p("(any action, throttled or not) divided by N: median over the plans, lowest–highest in brackets. ")
	p("`synchronization_job` batches reads through `DescribeSynchronizationJobStatusList` (up to 50 IDs a call); ")
	p("`dts_job` and `auto` answer reads from a `DescribeDtsJobs` listing of the region (100 jobs a page). The region ")
	p("holds %d jobs, so a full listing costs %d pages whatever N is; a wave of reads that one ", r.maxJobs, (r.maxJobs+99)/100)
	p("`DescribeSynchronizationJobStatusList` call answers for less is read that way in `auto` (by design: `job_api.go`, ")
	p("`directionsDtsJob`), which is why `auto` mixes the two calls. ")
	p("Target (issue 16): ≤ %.2f refresh calls per job at N ≥ %d in every family, on the median, with every plan ", familyRefreshLimit, familyTargetFromN)
	p("showing no change and no failed apply.\n\n")
	p("| N | `api` | Plans | Refresh calls/job | Refresh calls by action (median plan) | Plans with changes | Apply calls/job | Apply failures | Verdict |\n")
	p("|---|---|---|---|---|---|---|---|---|\n")
	for _, x := range f.runs {
		med, lo, hi := x.refreshPerJob()
		v := fmt.Sprintf("(no target at N < %d)", familyTargetFromN)
		if applies, met := x.familyJudged(); applies {
			v = yesNo(met)
		}
		p("| %d | `%s` | %d | %s (%s–%s) | %s | %d | %s | %d | %s |\n", x.n, x.api, len(x.refresh), f3(med), f3(lo), f3(hi),
			callsByAction(x.medianRefresh()), x.changedPlans(), f3(float64(sumCalls(x.applyCalls))/float64(x.n)), x.failures, v)
	}
	p("\n")
}

// callsByAction lists a plan's calls as "DescribeDtsJobs × 5, …", in
// action order.
func callsByAction(calls map[string]int) string {
	actions := slices.Sorted(maps.Keys(calls))
	parts := make([]string, 0, len(actions))
	for _, a := range actions {
		parts = append(parts, fmt.Sprintf("%s × %d", a, calls[a]))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// spliceSection replaces the section of doc headed by section's first line
// (up to the next "## " heading) by section. Without such a section it
// inserts section before the issue 11 targets, or at the end when those are
// missing too.
func spliceSection(doc, section []byte) []byte {
	text := string(doc)
	heading, _, _ := strings.Cut(string(section), "\n")
	at := func(h string) int {
		if strings.HasPrefix(text, h+"\n") {
			return 0
		}
		if i := strings.Index(text, "\n"+h+"\n"); i >= 0 {
			return i + 1
		}
		return -1
	}
	start, end := at(heading), 0
	switch {
	case start >= 0:
		end = len(text)
		if i := strings.Index(text[start+len(heading):], "\n## "); i >= 0 {
			end = start + len(heading) + i + 1
		}
	case at(earlierTargetsHeading) >= 0:
		start = at(earlierTargetsHeading)
		end = start
	default:
		if text != "" && !strings.HasSuffix(text, "\n\n") {
			text = strings.TrimRight(text, "\n") + "\n\n"
		}
		start, end = len(text), len(text)
	}
	var out bytes.Buffer
	out.WriteString(text[:start])
	out.Write(section)
	out.WriteString(text[end:])
	return out.Bytes()
}
