#!/usr/bin/env bash
# Prints the path of a Terraform CLI that is 1.5 or newer. Uses the one on PATH
# when it qualifies; otherwise builds v1.5.7 from the Go module proxy into a
# cache folder (release downloads are unreachable on our machines).
set -euo pipefail
. "$(dirname "$0")/env.sh"

want_version=1.5.7
cache_dir="${DTS_TOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-dts}/terraform-${want_version}"

# A missing CLI configuration file makes every terraform command warn.
if [ -n "${TF_CLI_CONFIG_FILE:-}" ] && [ ! -f "${TF_CLI_CONFIG_FILE}" ]; then
  unset TF_CLI_CONFIG_FILE
fi
export CHECKPOINT_DISABLE=1

qualifies() {
  local bin=$1 v
  v=$("$bin" version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([0-9.]*\)".*/\1/p' | head -1)
  [ -n "$v" ] || return 1
  local major minor
  major=${v%%.*}; minor=${v#*.}; minor=${minor%%.*}
  [ "$major" -gt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -ge 5 ]; }
}

if [ -n "${TF_ACC_TERRAFORM_PATH:-}" ] && [ -x "${TF_ACC_TERRAFORM_PATH}" ] && qualifies "${TF_ACC_TERRAFORM_PATH}"; then
  echo "${TF_ACC_TERRAFORM_PATH}"; exit 0
fi
if bin=$(command -v terraform 2>/dev/null) && qualifies "$bin"; then
  echo "$bin"; exit 0
fi
if [ -x "$cache_dir/terraform" ] && qualifies "$cache_dir/terraform"; then
  echo "$cache_dir/terraform"; exit 0
fi

echo "terraform >= 1.5 not found; building v${want_version} into $cache_dir (about 2 minutes)" >&2
mkdir -p "$cache_dir"
GOBIN="$cache_dir" GOFLAGS=-mod=mod go install "github.com/hashicorp/terraform@v${want_version}" >&2
echo "$cache_dir/terraform"
