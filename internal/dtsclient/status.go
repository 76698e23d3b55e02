package dtsclient

import (
	"slices"
	"strings"
)

// Synchronization directions of a two-way job.
const (
	DirectionForward = "Forward"
	DirectionReverse = "Reverse"
)

// Status is a job or direction status as DTS reports it, in canonical casing.
// The decoders return every status normalised (NormalizeStatus), so callers
// compare with the constants below and never normalise again.
type Status string

// Job statuses (docs/development/dts-api.md §6, §11). The legacy synchronization enum has the
// first ten; the others come from the maintained API and may reach legacy
// callers too.
const (
	StatusNotStarted       Status = "NotStarted"
	StatusPrechecking      Status = "Prechecking"
	StatusPrecheckFailed   Status = "PrecheckFailed"
	StatusInitializing     Status = "Initializing"
	StatusInitializeFailed Status = "InitializeFailed"
	StatusSynchronizing    Status = "Synchronizing"
	StatusFailed           Status = "Failed"
	StatusSuspending       Status = "Suspending" // Paused: a steady state, not "being paused".
	StatusModifying        Status = "Modifying"
	StatusFinished         Status = "Finished"

	StatusNotConfigured Status = "NotConfigured"
	StatusPreCheckPass  Status = "PreCheckPass"
	StatusRetrying      Status = "Retrying"
	StatusUpgrade       Status = "Upgrade"
	StatusDowngrade     Status = "Downgrade"
	StatusLocked        Status = "Locked" // E.g. arrears: neither running nor paused, and DTS does not leave it by itself.
)

// The two states a user can declare for a direction. DTS calls a paused job
// "Suspending"; "Suspended" says what the user wants without suggesting that
// something is still in progress.
const (
	DeclaredSynchronizing = "Synchronizing"
	DeclaredSuspended     = "Suspended"
)

// canonicalStatus maps the lower case of every known status to its
// spelling; the last line holds the sub-status (DataSynchronizationStatus.Status),
// migration and change-tracking spellings, so that every status the client
// returns has one spelling.
var canonicalStatus = func() map[string]Status {
	m := map[string]Status{}
	for _, s := range []Status{
		StatusNotStarted, StatusPrechecking, StatusPrecheckFailed, StatusInitializing,
		StatusInitializeFailed, StatusSynchronizing, StatusFailed, StatusSuspending,
		StatusModifying, StatusFinished, StatusNotConfigured, StatusPreCheckPass,
		StatusRetrying, StatusUpgrade, StatusDowngrade, StatusLocked,
		"Migrating", "MigrationFailed", "Checking", "Catched", "Starting", "Normal", "Abnormal",
	} {
		m[strings.ToLower(string(s))] = s
	}
	return m
}()

// NormalizeStatus maps any casing of a known status to its canonical spelling
// ("synchronizing" becomes StatusSynchronizing); unknown values are returned trimmed.
func NormalizeStatus(s string) Status {
	s = strings.TrimSpace(s)
	if c, ok := canonicalStatus[strings.ToLower(s)]; ok {
		return c
	}
	return Status(s)
}

func (s Status) String() string { return string(s) }

// IsRunning reports statuses in which the direction replicates: running, or
// running while DTS changes its objects or class.
func (s Status) IsRunning() bool {
	return slices.Contains([]Status{StatusSynchronizing, StatusModifying, StatusUpgrade, StatusDowngrade}, s)
}

// IsPaused reports the paused status.
func (s Status) IsPaused() bool { return s == StatusSuspending }

// IsSteady reports whether the status is one of the two a user can declare.
func (s Status) IsSteady() bool { return s.IsRunning() || s.IsPaused() }

// IsTransitional reports statuses that DTS leaves by itself, so waiting is the
// right response.
func (s Status) IsTransitional() bool {
	return slices.Contains([]Status{StatusPrechecking, StatusPreCheckPass, StatusInitializing,
		StatusModifying, StatusRetrying, StatusUpgrade, StatusDowngrade}, s)
}

// IsFailed reports statuses from which the job will not recover by itself.
func (s Status) IsFailed() bool {
	return slices.Contains([]Status{StatusFailed, StatusPrecheckFailed, StatusInitializeFailed, StatusFinished}, s)
}

// DeclaredState is the declared state this status satisfies: DeclaredSynchronizing
// when running, DeclaredSuspended when paused, and otherwise the status itself,
// so that a plan shows the difference from the configuration.
func (s Status) DeclaredState() string {
	switch {
	case s.IsRunning():
		return DeclaredSynchronizing
	case s.IsPaused():
		return DeclaredSuspended
	}
	return string(s)
}

// CanonicalDirection is d spelled as the provider spells it: Forward,
// Reverse, "" for "", else d trimmed. It is the one place that folds the
// case of a direction DTS reports.
func CanonicalDirection(d string) string {
	n, _ := normalizeDirection(d)
	return n
}

// normalizeDirection returns the canonical spelling of a direction, "" for "",
// and ok=false for anything else.
func normalizeDirection(d string) (string, bool) {
	d = strings.TrimSpace(d)
	switch {
	case d == "":
		return "", true
	case strings.EqualFold(d, DirectionForward):
		return DirectionForward, true
	case strings.EqualFold(d, DirectionReverse):
		return DirectionReverse, true
	}
	return d, false
}
