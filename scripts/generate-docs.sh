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

# With a CLI older than 1.14, tfplugindocs drops the action and list-resource
# pages without a word (and fails on the identity import example).
tf_version="$(terraform version -json | sed -n 's/.*"terraform_version": *"\([0-9.]*\)".*/\1/p' | head -n 1)"
IFS=. read -r tf_major tf_minor _ <<<"$tf_version"
if [ "${tf_major:-0}" -lt 1 ] || { [ "${tf_major:-0}" -eq 1 ] && [ "${tf_minor:-0}" -lt 14 ]; }; then
  echo "docs need Terraform 1.14 or newer first on PATH (for docs/actions and docs/list-resources); $terraform_bin is ${tf_version:-unknown}" >&2
  exit 1
fi

if [ "$mode" = generate ]; then
  terraform fmt -recursive ./examples/
fi
go tool tfplugindocs "$mode" --provider-name dts
