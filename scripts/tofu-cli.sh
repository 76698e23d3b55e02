#!/usr/bin/env bash
# Prints the path of an OpenTofu CLI.
#
#   scripts/tofu-cli.sh          the `tofu` on PATH, otherwise 1.6.3 from the tool cache
#   scripts/tofu-cli.sh 1.12     a pinned version (1.6, 1.11, 1.12) from the tool cache
#   scripts/tofu-cli.sh 1.10.10  an exact version from the tool cache
#
# A version missing from the cache ($DTS_TOOL_CACHE/tofu-VERSION/) is built
# from the Go module proxy, once (release downloads are unreachable on our
# machines). `make tofu-1.12` runs this.
set -euo pipefail
scripts="$(cd "$(dirname "$0")" && pwd)"
. "$scripts/env.sh"
. "$scripts/cli-cache.sh"

# The pinned versions; CI runs 1.6 and 1.12 (README, "CI and toolchain").
pinned() {
  case "$1" in
    1.6) echo 1.6.3 ;;
    1.11) echo 1.11.6 ;; # newest 1.11 served that passes the checksum database (1.11.7 does not)
    1.12) echo 1.12.6 ;; # newest 1.12 served (1.12.3 fails the checksum database); runs identity
    *.*.*) echo "$1" ;;
    *) echo "no pinned OpenTofu $1: use 1.6, 1.11, 1.12 or an exact version" >&2; return 1 ;;
  esac
}

# Without this OpenTofu reports itself as VERSION-dev.
ldflags="-s -w -X github.com/opentofu/opentofu/version.dev=no"

build() { # VERSION OUT_BINARY
  local w
  w="$(mktemp -d "${TMPDIR:-/tmp}/tofubuild.XXXXXX")"
  if [ "$(minor_of "$1")" -lt 9 ]; then
    GOBIN="$w" GOFLAGS=-mod=mod GOWORK=off go install -trimpath -ldflags "$ldflags" "github.com/opentofu/opentofu/cmd/tofu@v$1"
    mv "$w/tofu" "$2"
  else
    # From 1.9 on OpenTofu's go.mod has a replace directive (its hcl fork),
    # which `go install` refuses: build from a throwaway module that requires
    # OpenTofu and copies that replace. The build uses the Go that OpenTofu's
    # go.mod names, as its releases do: under our Go 1.27, x/net v0.54.0
    # (OpenTofu 1.12.6's) drops http2.TrailerPrefix, which its grpc needs.
    (
      cd "$w"
      export GOFLAGS=-mod=mod GOWORK=off
      modfile="$(go mod download -json "github.com/opentofu/opentofu@v$1" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
      gover="$(awk '$1=="go"{print $2; exit}' "$modfile")"
      case "$gover" in *.*.*) toolchain="go$gover" ;; *) toolchain="go$gover.0" ;; esac # go 1.22 names no release
      export GOTOOLCHAIN="$toolchain"
      printf 'module tofubuild\n\ngo %s\n\nrequire github.com/opentofu/opentofu v%s\n\n' "$gover" "$1" >go.mod
      grep -E '^replace [^ ]+( v[^ ]+)? => [^.]' "$modfile" >>go.mod || true
      go get "github.com/opentofu/opentofu@v$1"
      go build -trimpath -ldflags "$ldflags" -o "$2" github.com/opentofu/opentofu/cmd/tofu
    )
  fi
  rm -rf "$w"
}

if [ $# -gt 0 ]; then
  version="$(pinned "$1")" # an unknown pin stops here, not in a build of "tofu-"
  cached_cli tofu "$version" build
elif bin="$(command -v tofu 2>/dev/null)"; then
  echo "$bin"
else
  cached_cli tofu "$(pinned 1.6)" build
fi
