#!/usr/bin/env bash
# Renders docs/ with tfplugindocs, offline.
#
#   scripts/generate-docs.sh            terraform fmt the examples, then generate docs/
#   scripts/generate-docs.sh validate   check docs/ against the provider schema
#
# `go generate ./...` (see main.go) and `make generate` run the first form,
# `make docs-check` both. tfplugindocs reads the provider schema through the
# first `terraform` on PATH and downloads a CLI when it finds none, so the CLI
# that scripts/terraform-cli.sh resolves is put first on PATH under that name.
# Never pass --tf-version: it downloads too.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

mode="${1:-generate}"
case "$mode" in
  generate | validate) ;;
  *) echo "usage: $0 [generate|validate]" >&2; exit 2 ;;
esac

# No phoning home, and none of the machine's CLI configuration (dev_overrides,
# mirrors): tfplugindocs runs `terraform init` on a provider it builds itself.
export CHECKPOINT_DISABLE=1
unset TF_CLI_CONFIG_FILE

terraform_bin="$(./scripts/terraform-cli.sh)"
bin_dir="$(dirname "$terraform_bin")"
if [ "$(basename "$terraform_bin")" != terraform ]; then
  bin_dir="$(mktemp -d)"
  trap 'rm -rf "$bin_dir"' EXIT
  ln -s "$terraform_bin" "$bin_dir/terraform"
fi
export PATH="$bin_dir:$PATH"

if [ "$mode" = generate ]; then
  terraform fmt -recursive ./examples/
fi
go tool tfplugindocs "$mode" --provider-name dts
