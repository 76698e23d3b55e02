package main

import "github.com/dts-provider/terraform-provider-dts/internal/fakedts"

// callTally is what the fake's call log says about one command's calls; every
// experiment counts calls through tally.
type callTally struct {
	byAction  map[string]int // every call, throttled or not
	accepted  int            // calls that ran
	throttled int            // throttling answers
}

func tally(calls []fakedts.Call) callTally {
	t := callTally{byAction: map[string]int{}}
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
