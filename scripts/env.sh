# shellcheck shell=bash
# Sourced by every script and by .ci/run; the GNUmakefile reads its values
# too, so the toolchain and the tool cache are set in this one place.

# The Go that builds, vets, tests and releases the provider. 1.27.3 carries
# the standard-library fixes that `make vulncheck` asks for; the go command
# fetches it from the module proxy on first use (about 10 seconds). Set
# explicitly because a machine may say GOTOOLCHAIN=local, which would refuse
# go.mod's `go 1.27.3` under an older installed Go.
export GOTOOLCHAIN=go1.27.3

# Built CLIs and tools, keyed by version, outside the repository.
export DTS_TOOL_CACHE="${DTS_TOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-dts}"

# Every Terraform run needs these: no phoning home, and no warning about a
# CLI configuration file that the machine names but does not have.
export CHECKPOINT_DISABLE=1
if [ -n "${TF_CLI_CONFIG_FILE:-}" ] && [ ! -f "$TF_CLI_CONFIG_FILE" ]; then
  unset TF_CLI_CONFIG_FILE
fi
