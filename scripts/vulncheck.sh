#!/usr/bin/env bash
# make vulncheck: govulncheck on ./... against a local copy of the Go
# vulnerability database, failing on any finding the code can reach.
#
# govulncheck's default database (vuln.go.dev) is unreachable here, so the
# database is built from the golang.org/x/vulndb module (its data/osv folder)
# with that module's cmd/indexdb, at the pinned version below. Database and
# govulncheck are cached in $DTS_TOOL_CACHE, keyed by version (govulncheck
# also by the Go that built it: it must be the Go that builds the provider,
# or it reports the standard library of another Go).
#
# Refresh (README, "Vulnerability database"): set VULNDB_VERSION to what
#   GOTOOLCHAIN=go1.27.3 go list -m golang.org/x/vulndb@latest
# prints, and its date (the pseudo-version's timestamp) in the README.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

VULNDB_VERSION=v0.0.0-20261105234957-e22db6528018 # golang.org/x/vulndb at 2026-11-05 23:49:57 UTC
GOVULNCHECK_VERSION=v1.9.0                        # golang.org/x/vuln, newest served

export GOFLAGS=-mod=mod GOWORK=off # the tools resolve their own modules
db="$DTS_TOOL_CACHE/vulndb-$VULNDB_VERSION"
govulncheck_dir="$DTS_TOOL_CACHE/govulncheck-$GOVULNCHECK_VERSION-$GOTOOLCHAIN"
mkdir -p "$DTS_TOOL_CACHE"

(
  flock 9
  if [ ! -f "$db/index/modules.json" ]; then
    echo "building the vulnerability database from golang.org/x/vulndb@$VULNDB_VERSION into $db" >&2
    src="$(go mod download -json "golang.org/x/vulndb@$VULNDB_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
    [ -d "$src/data/osv" ] || { echo "golang.org/x/vulndb@$VULNDB_VERSION has no data/osv" >&2; exit 1; }
    tmp="$(mktemp -d "$DTS_TOOL_CACHE/.vulndb.XXXXXX")"
    GOBIN="$tmp/bin" go install "golang.org/x/vulndb/cmd/indexdb@$VULNDB_VERSION"
    "$tmp/bin/indexdb" -vulns "$src/data/osv" -out "$tmp/db"
    rm -rf "$db" && mv "$tmp/db" "$db" && rm -rf "$tmp"
  fi
  if [ ! -x "$govulncheck_dir/govulncheck" ]; then
    echo "installing govulncheck $GOVULNCHECK_VERSION with $GOTOOLCHAIN into $govulncheck_dir" >&2
    GOBIN="$govulncheck_dir" go install "golang.org/x/vuln/cmd/govulncheck@$GOVULNCHECK_VERSION"
  fi
) 9>"$DTS_TOOL_CACHE/.vulncheck.lock"

echo "govulncheck $GOVULNCHECK_VERSION, $(go env GOVERSION), database golang.org/x/vulndb@$VULNDB_VERSION"
# Exits non-zero when the code reaches a known vulnerability; findings in
# modules or packages the code does not call are listed but do not fail.
GOFLAGS=-mod=readonly "$govulncheck_dir/govulncheck" -db "file://$db" ./...
