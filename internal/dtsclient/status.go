package dtsclient

import "strings"

// Synchronization directions of a two-way job.
const (
	DirectionForward = "Forward"
	DirectionReverse = "Reverse"
)

// Job statuses of the legacy synchronization enum (REFERENCE §6), in canonical casing.
const (
	StatusNotStarted       = "NotStarted"
	StatusPrechecking      = "Prechecking"
	StatusPrecheckFailed   = "PrecheckFailed"
	StatusInitializing     = "Initializing"
	StatusInitializeFailed = "InitializeFailed"
	StatusSynchronizing    = "Synchronizing"
	StatusFailed           = "Failed"
	StatusSuspending       = "Suspending"
	StatusModifying        = "Modifying"
	StatusFinished         = "Finished"
	StatusRetrying         = "Retrying"
	StatusUpgrade          = "Upgrade"
	StatusDowngrade        = "Downgrade"
	StatusLocked           = "Locked"
	StatusNotConfigured    = "NotConfigured"
	StatusPreCheckPass     = "PreCheckPass"
)

// canonicalStatus maps lower-cased spellings to canonical ones. Sub-status values
// (DataSynchronizationStatus.Status) and migration statuses are included so that
// every status the client returns has one spelling.
var canonicalStatus = func() map[string]string {
	known := []string{
		StatusNotStarted, StatusPrechecking, StatusPrecheckFailed, StatusInitializing,
		StatusInitializeFailed, StatusSynchronizing, StatusFailed, StatusSuspending,
		StatusModifying, StatusFinished, StatusRetrying, StatusUpgrade, StatusDowngrade,
		StatusLocked, StatusNotConfigured, StatusPreCheckPass,
		// Sub-status and migration spellings.
		"Migrating", "MigrationFailed", "Checking", "Catched",
	}
	m := make(map[string]string, len(known))
	for _, s := range known {
		m[strings.ToLower(s)] = s
	}
	return m
}()

// NormalizeStatus maps any casing of a known status to its canonical spelling
// ("synchronizing" becomes "Synchronizing"); unknown values are returned trimmed.
func NormalizeStatus(s string) string {
	s = strings.TrimSpace(s)
	if c, ok := canonicalStatus[strings.ToLower(s)]; ok {
		return c
	}
	return s
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
