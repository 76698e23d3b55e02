#!/usr/bin/env bash
# Prints the path of a Terraform CLI.
#
#   scripts/terraform-cli.sh           the default CLI: TF_ACC_TERRAFORM_PATH or the
#                                      `terraform` on PATH when it is 1.5 or newer,
#                                      otherwise the floor, 1.5.7, from the tool cache
#   scripts/terraform-cli.sh 1.16      a pinned version (1.5, 1.14, 1.16) from the tool cache
#   scripts/terraform-cli.sh 1.15.0    an exact version from the tool cache
#
# A version missing from the cache ($DTS_TOOL_CACHE/terraform-VERSION/) is
# built from the Go module proxy, once (release downloads are unreachable on
# our machines): before 1.9 with `go install` (~2 minutes), from 1.9 on with
# scripts/build-terraform.sh (3-12 minutes). `make terraform-1.16` runs this.
set -euo pipefail
scripts="$(cd "$(dirname "$0")" && pwd)"
. "$scripts/env.sh"
. "$scripts/cli-cache.sh"

# The versions CI runs; README's "CI and toolchain" section lists them.
pinned() {
  case "$1" in
    1.5) echo 1.5.7 ;;   # the floor the provider claims
    1.14) echo 1.14.9 ;; # actions, list resources, terraform query
    1.16) echo 1.16.4 ;; # the newest that builds from the module proxy here
    *.*.*) echo "$1" ;;
    *) echo "no pinned Terraform $1: use 1.5, 1.14, 1.16 or an exact version" >&2; return 1 ;;
  esac
}

build() { # VERSION OUT_BINARY
  if [ "$(minor_of "$1")" -lt 9 ]; then
    local gobin
    gobin="$(mktemp -d "${TMPDIR:-/tmp}/tfinstall.XXXXXX")"
    GOBIN="$gobin" GOFLAGS=-mod=mod GOWORK=off go install -trimpath "github.com/hashicorp/terraform@v$1"
    mv "$gobin/terraform" "$2" && rm -rf "$gobin"
  else
    "$scripts/build-terraform.sh" "$1" "$2"
  fi
}

if [ $# -gt 0 ]; then
  version="$(pinned "$1")" # an unknown pin stops here, not in a build of "terraform-"
  cached_cli terraform "$version" build
  exit
fi

qualifies() { # BIN: Terraform 1.5 or newer
  local v
  v="$(cli_version "$1")"
  [ -n "$v" ] && [ "${v%%.*}" -eq 1 ] && [ "$(minor_of "$v")" -ge 5 ]
}
if [ -n "${TF_ACC_TERRAFORM_PATH:-}" ] && [ -x "$TF_ACC_TERRAFORM_PATH" ] && qualifies "$TF_ACC_TERRAFORM_PATH"; then
  echo "$TF_ACC_TERRAFORM_PATH"
elif bin="$(command -v terraform 2>/dev/null)" && qualifies "$bin"; then
  echo "$bin"
else
  cached_cli terraform "$(pinned 1.5)" build
fi
