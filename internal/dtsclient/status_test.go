package dtsclient

import "testing"

func TestNormalizeStatus(t *testing.T) {
	t.Parallel()
	cases := map[string]Status{
		"synchronizing":    StatusSynchronizing,
		"Synchronizing":    StatusSynchronizing,
		" SUSPENDING ":     StatusSuspending,
		"precheckfailed":   StatusPrecheckFailed,
		"PRECHECKPASS":     StatusPreCheckPass,
		"notconfigured":    StatusNotConfigured,
		"initializefailed": StatusInitializeFailed,
		"locked":           StatusLocked,
		"downgrade":        StatusDowngrade,
		"catched":          "Catched",
		"migrating":        "Migrating",
		"":                 "",
		" SomethingNew ":   "SomethingNew",
	}
	for in, want := range cases {
		if got := NormalizeStatus(in); got != want {
			t.Errorf("NormalizeStatus(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormalizeDirection(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want string
		ok   bool
	}{
		{"", "", true},
		{"forward", DirectionForward, true},
		{" REVERSE ", DirectionReverse, true},
		{"both", "both", false},
	}
	for _, tc := range cases {
		got, ok := normalizeDirection(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("normalizeDirection(%q) = %q, %v, want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestStatusMeaning(t *testing.T) {
	t.Parallel()
	type meaning struct {
		declared                                      string
		running, paused, steady, transitional, failed bool
	}
	cases := map[Status]meaning{
		StatusSynchronizing:    {declared: DeclaredSynchronizing, running: true, steady: true},
		StatusModifying:        {declared: DeclaredSynchronizing, running: true, steady: true, transitional: true},
		StatusUpgrade:          {declared: DeclaredSynchronizing, running: true, steady: true, transitional: true},
		StatusDowngrade:        {declared: DeclaredSynchronizing, running: true, steady: true, transitional: true},
		StatusSuspending:       {declared: DeclaredSuspended, paused: true, steady: true},
		StatusPrechecking:      {declared: "Prechecking", transitional: true},
		StatusPreCheckPass:     {declared: "PreCheckPass", transitional: true},
		StatusInitializing:     {declared: "Initializing", transitional: true},
		StatusRetrying:         {declared: "Retrying", transitional: true},
		StatusFailed:           {declared: "Failed", failed: true},
		StatusPrecheckFailed:   {declared: "PrecheckFailed", failed: true},
		StatusInitializeFailed: {declared: "InitializeFailed", failed: true},
		StatusFinished:         {declared: "Finished", failed: true},
		StatusNotStarted:       {declared: "NotStarted"},
		StatusNotConfigured:    {declared: "NotConfigured"},
		// Locked (e.g. arrears) is neither running nor paused, and waiting does not end it.
		StatusLocked:   {declared: "Locked"},
		"SomethingNew": {declared: "SomethingNew"},
	}
	for s, want := range cases {
		got := meaning{s.DeclaredState(), s.IsRunning(), s.IsPaused(), s.IsSteady(), s.IsTransitional(), s.IsFailed()}
		if got != want {
			t.Errorf("%s means %+v, want %+v", s, got, want)
		}
	}
}
