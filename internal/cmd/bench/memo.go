package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// The memo experiment (issue 20): whether the provider's cross-call plan
// memo and its walk mark save calls. It runs the statechange experiment
// (batching on and off) with three builds of the provider: as is, and with
// each mechanism switched off by an edit of its source that go build
// -overlay applies, leaving the tree as it is.

// memoKeepAbove is the rule: keep a mechanism when removing it costs a
// command more than this share more calls or wall time.
const memoKeepAbove = 0.10

// sourceEdit makes body the first statement of the function whose
// declaration line starts with decl, in file.
type sourceEdit struct{ file, decl, body string }

type memoVariant struct {
	label, mechanism, how string
	edits                 []sourceEdit
}

var memoVariants = []memoVariant{
	{label: "(a) as is"},
	{label: "(b) memo off", mechanism: "Cross-call memo", how: "`sharedJobs.PlannedStatus` always returns `\"\"`, so Create reads the job before it acts",
		edits: []sourceEdit{{"internal/provider/shared_reads.go", `func (s *sharedJobs) PlannedStatus(`, `return ""`}}},
	{label: "(c) mark off", mechanism: "Walk mark", how: "`planWalk` always returns `(true, false)` and Read sets no mark, " +
		"so every acting plan of an existing resource reads the job, in the reviewed plan and in apply's re-plan alike",
		edits: []sourceEdit{{"internal/provider/models.go", "func planWalk(", "return true, false"}, {"internal/provider/models.go", "func walkMark(", "return nil"}}},
}

type memoResult struct {
	span
	builds []*stateChangeResult // one per memoVariants
}

// overlay writes the edited copies of a variant's files and returns the
// go build -overlay replacements.
func (b *bench) overlay(v memoVariant, dir string) (map[string]string, error) {
	edited := map[string]string{}
	for _, e := range v.edits {
		path := filepath.Join(b.root, e.file)
		src, ok := edited[path]
		if !ok {
			data, err := os.ReadFile(path)
			if err != nil {
				return nil, err
			}
			src = string(data)
		}
		decl := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(e.decl) + `.*\{$`)
		loc := decl.FindStringIndex(src)
		if loc == nil {
			return nil, fmt.Errorf("%s: no line %q…{ to switch off (%s)", e.file, e.decl, v.label)
		}
		edited[path] = src[:loc[1]] + "\n\t" + e.body + src[loc[1]:]
	}
	out := map[string]string{}
	for path, src := range edited {
		copyPath := filepath.Join(dir, filepath.Base(path))
		if err := os.WriteFile(copyPath, []byte(src), 0o644); err != nil {
			return nil, err
		}
		out[path] = copyPath
	}
	return out, nil
}

func (b *bench) runMemo(ctx context.Context, rep *report) error {
	res := &memoResult{span: begin()}
	asIs := os.Getenv(envRealProvider)
	defer os.Setenv(envRealProvider, asIs)
	for i, v := range memoVariants {
		bin := asIs
		if len(v.edits) > 0 {
			dir := filepath.Join(b.tmp, fmt.Sprintf("memo-%d", i))
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			ov, err := b.overlay(v, dir)
			if err != nil {
				return err
			}
			if bin, err = b.buildProvider(ctx, fmt.Sprintf("memo-%d", i), ov); err != nil {
				return err
			}
		}
		os.Setenv(envRealProvider, bin)
		b.progress("memo: %s", v.label)
		s, err := b.stateChanges(ctx, true)
		if err != nil {
			return err
		}
		res.builds = append(res.builds, s)
	}
	res.end()
	rep.memo = res
	return nil
}

const memoHeading = "## Plan memo and walk mark"

// change is v against base as a share, 0 without a base; rounded so that
// exactly 10% more is not more than 10%.
func change(v, base float64) float64 {
	if base == 0 {
		return 0
	}
	return math.Round((v/base-1)*1e6) / 1e6
}

func signedPct(c float64) string { return fmt.Sprintf("%+.0f%%", 100*c) }

func (r *report) renderMemo(p printer) {
	m := r.memo
	if m == nil || len(m.builds) != len(memoVariants) {
		return
	}
	p("%s\n\n", memoHeading)
	r.measured(p, m.span, "")
	p("Three builds of the provider, each measured with the statechange experiment above (`api = \"auto\"`, `-parallelism=%d`, ", parallelism)
	p("region of %d jobs, %d runs, `batch_status_reads` on and off): **(a) as is**", r.maxJobs, r.opt.stateChangeRuns)
	for _, v := range memoVariants[1:] {
		p("; **%s**: %s", v.label, v.how)
	}
	p(". The variants are built with `go build -overlay` from edited copies of those functions; the tree is not changed. ")
	p("*Calls/job* is the median over the runs (the change against (a) in brackets); *wall* is the median, with the median ")
	p("1-minute load before the command in brackets. *Refresh* (`terraform plan` with no change) acts on nothing, so neither ")
	p("mechanism runs in it; it is left out of the table and counted in the verdict.\n\n")
	p("| N | `batch_status_reads` | Command | (a) calls/job | (b) memo off | (c) mark off | (a) wall [load] | (b) wall [load] | (c) wall [load] |\n")
	p("|---|---|---|---|---|---|---|---|---|\n")
	base := m.builds[0]
	for j, at := range base.sizes {
		for i, step := range stateChangeSteps {
			if step == "refresh" {
				continue
			}
			calls, walls := []string{f3(at.stepCallsPerJob(i))}, []string{}
			for k, s := range m.builds {
				x := s.sizes[j]
				if k > 0 {
					calls = append(calls, fmt.Sprintf("%s (%s)", f3(x.stepCallsPerJob(i)), signedPct(change(x.stepCallsPerJob(i), at.stepCallsPerJob(i)))))
				}
				walls = append(walls, fmt.Sprintf("%s s [%s]", f2(x.stepWall(i)), f2(x.stepLoad(i))))
			}
			p("| %d | %t | %s | %s | %s |\n", at.n, at.batching, step, strings.Join(calls, " | "), strings.Join(walls, " | "))
		}
	}
	p("\nVerdict (keep a mechanism only if apply or refresh costs more than %.0f%% more calls or wall time without it):\n\n", 100*memoKeepAbove)
	for k, v := range memoVariants[1:] {
		p("- %s\n", memoVerdict(v.mechanism, base, m.builds[k+1]))
	}
	p("\n")
}

// memoVerdict applies the rule to every command of every size and
// batching, and lists the commands that cost more (and less) without the
// mechanism.
func memoVerdict(mechanism string, base, without *stateChangeResult) string {
	var more, less []string
	for j, at := range base.sizes {
		x := without.sizes[j]
		for i, step := range stateChangeSteps {
			where := fmt.Sprintf("%s at N = %d, batching %t", step, at.n, at.batching)
			for _, fig := range []struct {
				what    string
				with, o float64
			}{{"calls", at.stepCallsPerJob(i), x.stepCallsPerJob(i)}, {"wall", at.stepWall(i), x.stepWall(i)}} {
				switch c := change(fig.o, fig.with); {
				case c > memoKeepAbove:
					more = append(more, fmt.Sprintf("%s %s %s", where, fig.what, signedPct(c)))
				case c < -memoKeepAbove:
					less = append(less, fmt.Sprintf("%s %s %s", where, fig.what, signedPct(c)))
				}
			}
		}
	}
	verdict := "drop"
	switch {
	case len(more) > 0 && len(less) > 0:
		verdict = "mixed, keep by the rule"
	case len(more) > 0:
		verdict = "keep"
	}
	s := fmt.Sprintf("**%s: %s.**", mechanism, verdict)
	if len(more) > 0 {
		s += " Costs more without it: " + strings.Join(more, "; ") + "."
	}
	if len(less) > 0 {
		s += " Costs less without it: " + strings.Join(less, "; ") + "."
	}
	if len(more) == 0 && len(less) == 0 {
		s += fmt.Sprintf(" No command changed by more than %.0f%% without it.", 100*memoKeepAbove)
	}
	return s
}
