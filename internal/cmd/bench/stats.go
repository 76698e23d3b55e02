package main

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/dts-provider/terraform-provider-dts/internal/fakedts"
)

// callTally is what the fake's call log says about one command's calls.
type callTally struct {
	log       []fakedts.Call
	byAction  map[string]int // every call, throttled or not
	accepted  int            // calls that ran
	throttled int            // throttling answers
}

func tally(calls []fakedts.Call) callTally {
	t := callTally{log: calls, byAction: map[string]int{}}
	for _, c := range calls {
		t.byAction[c.Action]++
		switch {
		case c.Stage == fakedts.StageAction:
			t.accepted++
		case c.Fault == fakedts.FaultThrottling:
			t.throttled++
		}
	}
	return t
}

// sumCalls is the number of calls of a tally's byAction.
func sumCalls(byAction map[string]int) int {
	n := 0
	for _, v := range byAction {
		n += v
	}
	return n
}

// perJob is the calls of byAction divided by n.
func perJob(byAction map[string]int, n int) float64 { return float64(sumCalls(byAction)) / float64(n) }

// callsByAction lists calls as "DescribeDtsJobs × 5, …", in action order.
func callsByAction(calls map[string]int) string {
	parts := []string{}
	for _, a := range slices.Sorted(maps.Keys(calls)) {
		parts = append(parts, fmt.Sprintf("%s × %d", a, calls[a]))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// medianBy is the element with the median key (the lower of the two middle
// ones for an even count).
func medianBy[T any](xs []T, key func(T) float64) T {
	var zero T
	if len(xs) == 0 {
		return zero
	}
	s := slices.Clone(xs)
	slices.SortStableFunc(s, func(a, b T) int { return cmp.Compare(key(a), key(b)) })
	return s[(len(s)-1)/2]
}

func values[T any](runs []T, f func(T) float64) []float64 {
	v := make([]float64, 0, len(runs))
	for _, r := range runs {
		v = append(v, f(r))
	}
	return v
}

func minOf(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	return slices.Min(v)
}

func maxOf(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	return slices.Max(v)
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// quantile is the nearest-rank q-quantile.
func quantile(v []float64, q float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[max(int(math.Ceil(q*float64(len(s)))), 1)-1]
}

func medianOf[T any](runs []T, f func(T) float64) float64 { return median(values(runs, f)) }

func secs(d time.Duration) float64 { return d.Seconds() }

func fromSecs(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func f2(v float64) string { return fmtFloat("%.2f", v) }

func f3(v float64) string { return fmtFloat("%.3f", v) }

func fmtFloat(format string, v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "n/a"
	}
	return fmt.Sprintf(format, v)
}
