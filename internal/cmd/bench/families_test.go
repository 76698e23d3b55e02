package main

import (
	"maps"
	"strings"
	"testing"
)

func TestSpliceSectionReplacesOnlyItsSection(t *testing.T) {
	doc := "# Benchmarks\n\n## Machine\n\nold machine\n\n" + familiesHeading + "\n\nold figures\n\n### sub\n\nold sub\n\n" +
		earlierTargetsHeading + "\n\nkept\n"
	got := string(spliceSection([]byte(doc), []byte(familiesHeading+"\n\nnew figures\n\n")))
	want := "# Benchmarks\n\n## Machine\n\nold machine\n\n" + familiesHeading + "\n\nnew figures\n\n" + earlierTargetsHeading + "\n\nkept\n"
	if got != want {
		t.Errorf("spliceSection:\ngot  %q\nwant %q", got, want)
	}
}

func TestSpliceSectionAtTheEnd(t *testing.T) {
	doc := "# Benchmarks\n\n" + familiesHeading + "\n\nold figures\n"
	got := string(spliceSection([]byte(doc), []byte(familiesHeading+"\n\nnew\n")))
	if want := "# Benchmarks\n\n" + familiesHeading + "\n\nnew\n"; got != want {
		t.Errorf("spliceSection:\ngot  %q\nwant %q", got, want)
	}
}

func TestSpliceSectionInsertsBeforeTheGivenHeading(t *testing.T) {
	doc := "# Benchmarks\n\n## Machine\n\nm\n\n" + earlierTargetsHeading + "\n\nkept\n"
	got := string(spliceSection([]byte(doc), []byte(familiesHeading+"\n\nnew\n\n")))
	want := "# Benchmarks\n\n## Machine\n\nm\n\n" + familiesHeading + "\n\nnew\n\n" + earlierTargetsHeading + "\n\nkept\n"
	if got != want {
		t.Errorf("spliceSection:\ngot  %q\nwant %q", got, want)
	}
}

func TestSpliceSectionAppendsWithoutEitherHeading(t *testing.T) {
	got := string(spliceSection([]byte("# Benchmarks\n\ntext\n"), []byte(familiesHeading+"\n\nnew\n")))
	if want := "# Benchmarks\n\ntext\n\n" + familiesHeading + "\n\nnew\n"; got != want {
		t.Errorf("spliceSection:\ngot  %q\nwant %q", got, want)
	}
}

// A "## " line inside another heading's text (e.g. "### ...") must not end
// the section early, and a heading that only starts with ours must not match.
func TestSpliceSectionMatchesTheWholeHeadingLine(t *testing.T) {
	doc := familiesHeading + " (old)\n\nother\n\n" + familiesHeading + "\n\nold\n"
	got := string(spliceSection([]byte(doc), []byte(familiesHeading+"\n\nnew\n")))
	if want := familiesHeading + " (old)\n\nother\n\n" + familiesHeading + "\n\nnew\n"; got != want {
		t.Errorf("spliceSection:\ngot  %q\nwant %q", got, want)
	}
}

func TestFamilyRunAggregates(t *testing.T) {
	r := familyRun{api: "dts_job", n: 100, refresh: []map[string]int{
		{"DescribeDtsJobs": 5, "DescribeDtsJobDetail": 3},   // 0.08
		{"DescribeDtsJobs": 5},                              // 0.05
		{"DescribeDtsJobs": 10, "DescribeDtsJobDetail": 10}, // 0.20
	}, planCodes: []int{0, 0, 0}}
	med, lo, hi := r.refreshPerJob()
	if med != 0.08 || lo != 0.05 || hi != 0.20 {
		t.Errorf("refreshPerJob = %v, %v, %v; want 0.08, 0.05, 0.20", med, lo, hi)
	}
	if got, want := r.medianRefresh(), r.refresh[0]; !maps.Equal(got, want) {
		t.Errorf("medianRefresh = %v, want %v", got, want)
	}
	if applies, met := r.familyJudged(); !applies || !met {
		t.Errorf("familyJudged = %v, %v; want the goal to apply and be met at 0.08", applies, met)
	}
}

func TestFamilyJudged(t *testing.T) {
	calls := func(total int) []map[string]int {
		return []map[string]int{{"DescribeSynchronizationJobStatusList": total}}
	}
	for _, tc := range []struct {
		name          string
		run           familyRun
		applies, want bool
	}{
		{"at the limit", familyRun{n: 100, refresh: calls(15), planCodes: []int{0}}, true, true},
		{"over the limit", familyRun{n: 500, refresh: calls(76), planCodes: []int{0}}, true, false},
		{"below N=100 no target", familyRun{n: 10, refresh: calls(1), planCodes: []int{0}}, false, false},
		{"a plan with changes", familyRun{n: 100, refresh: calls(5), planCodes: []int{2}}, true, false},
		{"a failed apply", familyRun{n: 100, refresh: calls(5), planCodes: []int{0}, failures: 1}, true, false},
		{"no plan", familyRun{n: 100}, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			applies, met := tc.run.familyJudged()
			if applies != tc.applies || met != tc.want {
				t.Errorf("familyJudged = %v, %v; want %v, %v", applies, met, tc.applies, tc.want)
			}
		})
	}
}

// The section's verdicts and the target list come from the same runs.
func TestRenderFamiliesAndTarget(t *testing.T) {
	r := &report{opt: &options{familyRuns: 1, commandLine: "go run ./internal/cmd/bench -experiments=families"}, maxJobs: 500,
		families: &familiesResult{runs: []familyRun{
			{api: "synchronization_job", n: 10, refresh: []map[string]int{{"DescribeSynchronizationJobStatusList": 3}}, planCodes: []int{0}},
			{api: "synchronization_job", n: 100, refresh: []map[string]int{{"DescribeSynchronizationJobStatusList": 20}}, planCodes: []int{0}},
			{api: "dts_job", n: 100, refresh: []map[string]int{{"DescribeDtsJobs": 5}}, planCodes: []int{0}},
		}}}
	got := string(r.text(func(p printer) { r.renderFamilies(p) }))
	if !strings.HasPrefix(got, familiesHeading+"\n") {
		t.Errorf("section does not start with its heading:\n%s", got)
	}
	for _, row := range []string{
		"| 10 | `synchronization_job` | 1 | 0.300 (0.300–0.300) |",
		"| 100 | `synchronization_job` | 1 | 0.200 (0.200–0.200) |",
		"| 100 | `dts_job` | 1 | 0.050 (0.050–0.050) |",
	} {
		if !strings.Contains(got, row) {
			t.Errorf("section lacks row %q:\n%s", row, got)
		}
	}
	lines := strings.Split(got, "\n")
	verdictOf := func(prefix string) string {
		for _, l := range lines {
			if strings.HasPrefix(l, prefix) {
				cells := strings.Split(strings.Trim(l, "|"), "|")
				return strings.TrimSpace(cells[len(cells)-1])
			}
		}
		return ""
	}
	if v := verdictOf("| 10 | `synchronization_job`"); !strings.Contains(v, "no target") {
		t.Errorf("N=10 verdict %q, want no target", v)
	}
	if v := verdictOf("| 100 | `synchronization_job`"); v != "**missed**" {
		t.Errorf("N=100 legacy verdict %q, want missed at 0.20", v)
	}
	if v := verdictOf("| 100 | `dts_job`"); v != "**met**" {
		t.Errorf("N=100 dts_job verdict %q, want met at 0.05", v)
	}
	for _, tg := range r.targets() {
		if tg.name != "Batched refresh by family" {
			continue
		}
		if !tg.known || tg.met {
			t.Errorf("family target known=%v met=%v, want known and missed", tg.known, tg.met)
		}
		return
	}
	t.Error("no family target")
}
