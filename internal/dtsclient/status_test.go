package dtsclient

import "testing"

func TestNormalizeStatus(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
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
