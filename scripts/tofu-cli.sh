#!/usr/bin/env bash
# Prints the path of an OpenTofu CLI: the `tofu` on PATH when there is one,
# otherwise v1.6.3 built from the Go module proxy into a cache folder (release
# downloads are unreachable on our machines).
set -euo pipefail
. "$(dirname "$0")/env.sh"

want_version=1.6.3
cache_dir="${DTS_TOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-dts}/tofu-${want_version}"

if bin=$(command -v tofu 2>/dev/null); then
  echo "$bin"; exit 0
fi
if [ -x "$cache_dir/tofu" ]; then
  echo "$cache_dir/tofu"; exit 0
fi

echo "tofu not found; building v${want_version} into $cache_dir (about 2 minutes)" >&2
mkdir -p "$cache_dir"
GOBIN="$cache_dir" GOFLAGS=-mod=mod go install "github.com/opentofu/opentofu/cmd/tofu@v${want_version}" >&2
echo "$cache_dir/tofu"
