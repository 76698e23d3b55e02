#!/usr/bin/env bash
# Renders docs/ with tfplugindocs, offline.
#
#   scripts/generate-docs.sh            terraform fmt the examples, then generate docs/
#   scripts/generate-docs.sh validate   check docs/ against the provider schema
#
# `go generate ./...` (see main.go) and `make generate` run the first form,
# `make docs-check` both. tfplugindocs reads the provider schema through the
# first `terraform` on PATH and downloads a CLI when it finds none, so a CLI
# from scripts/terraform-cli.sh is put first on PATH under that name. It must
# be Terraform 1.14 or newer: with an older CLI the schema has no actions and
# no list resources, and tfplugindocs silently leaves their pages out. 1.16 is
# built into the tool cache on first use. Never pass --tf-version: it
# downloads too.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

mode="${1:-generate}"
case "$mode" in
  generate | validate) ;;
  *) echo "usage: $0 [generate|validate]" >&2; exit 2 ;;
esac

# None of the machine's CLI configuration (dev_overrides, mirrors):
# tfplugindocs runs `terraform init` on a provider it builds itself.
unset TF_CLI_CONFIG_FILE

work="$(mktemp -d "${TMPDIR:-/tmp}/dts-docs.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin"
ln -s "$(./scripts/terraform-cli.sh 1.16)" "$work/bin/terraform"
export PATH="$work/bin:$PATH"

if [ "$mode" = generate ]; then
  terraform fmt -recursive ./examples/
fi
go tool tfplugindocs "$mode" --provider-name dts
[ "$mode" = validate ] || exit 0

# tfplugindocs validate compares the schema with a page folder only when the
# folder exists (v0.25.0, internal/check/file_mismatch.go), so docs/ without
# any action or list-resource page passes it while the provider has some.
# Compare the schema's names with the page files.
echo "checking that every resource, data source, ephemeral resource, action and list resource has its page"
go build -o "$work/provider/terraform-provider-dts" .
cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/dts-provider/dts" = "$work/provider"
  }
  direct {}
}
RC
mkdir -p "$work/config"
printf 'terraform {\n  required_providers {\n    dts = { source = "dts-provider/dts" }\n  }\n}\n' >"$work/config/main.tf"
TF_CLI_CONFIG_FILE="$work/terraformrc" terraform -chdir="$work/config" providers schema -json >"$work/schema.json"
missing="$(jq -r '
  .provider_schemas["registry.terraform.io/dts-provider/dts"] as $p
  | {resource_schemas: "resources", data_source_schemas: "data-sources",
     ephemeral_resource_schemas: "ephemeral-resources", action_schemas: "actions",
     list_resource_schemas: "list-resources"}
  | to_entries[] | .value as $dir
  | ($p[.key] // {} | keys[]) | "docs/\($dir)/\(sub("^dts_"; "")).md"' "$work/schema.json" |
  while read -r page; do [ -f "$page" ] || echo "$page"; done)"
if [ -n "$missing" ]; then
  echo "the provider defines these but docs/ has no page for them (run make generate and commit docs/):" >&2
  echo "$missing" >&2
  exit 1
fi
echo "every part of the provider has its page in docs/"
