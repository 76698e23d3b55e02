# shellcheck shell=bash
# Sourced by terraform-cli.sh and tofu-cli.sh: the tool-cache rules both
# follow, so a built CLI is found again and two callers never build the
# same version at once.

# cli_version BIN: the version a Terraform or OpenTofu CLI reports, or nothing.
cli_version() {
  "$1" version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p' | head -n 1
}

# cached_cli TOOL VERSION BUILD_FUNCTION: prints
# $DTS_TOOL_CACHE/TOOL-VERSION/TOOL, first running BUILD_FUNCTION VERSION
# OUT_BINARY when no binary reporting VERSION is there. The build writes
# beside the final name and is moved into place only when it succeeded, and
# a lock makes a second caller wait for the first one's build.
cached_cli() {
  local tool=$1 version=$2 build=$3
  local dir="$DTS_TOOL_CACHE/$tool-$version"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)" # the builds run in other folders
  local bin="$dir/$tool"
  (
    flock 9
    if [ -x "$bin" ] && [ "$(cli_version "$bin")" = "$version" ]; then
      exit 0
    fi
    echo "$tool $version is not in $dir; building it from the Go module proxy (minutes, once)" >&2
    rm -f "$bin.partial"
    "$build" "$version" "$bin.partial" >&2
    got="$(cli_version "$bin.partial")"
    if [ "$got" != "$version" ]; then
      echo "the $tool built for $version reports version '$got'" >&2
      exit 1
    fi
    mv -f "$bin.partial" "$bin"
  ) 9>"$dir/.lock"
  echo "$bin"
}

# minor_of VERSION: 14 for 1.14.9.
minor_of() {
  local rest=${1#*.}
  echo "${rest%%.*}"
}
