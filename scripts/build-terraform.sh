#!/usr/bin/env bash
# usage: scripts/build-terraform.sh VERSION OUT_BINARY
#
# Builds Terraform >= 1.9 from the Go module proxy (the release site is not
# reachable from our machines). 1.9+ cannot be `go install`ed: its go.mod has
# local replace directives for internal/legacy and the nested remote-state
# backends, which the module zip leaves out. So this builds from a throwaway
# wrapper module with a stub module for each: a configuration that selects a
# stubbed backend (s3, gcs, ...) fails with "the s3 backend is not included in
# this test build of Terraform"; the local backend, which tests use, is real.
# The backend interface changed in 1.14 (three methods return
# tfdiags.Diagnostics); the stubs follow the version being built. Build times are in
# CONTRIBUTING.md. The binary is BUSL-1.1 licensed: do not commit
# or ship it.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 VERSION OUT_BINARY" >&2; exit 2; }
v=$1 out=$2
case "$out" in /*) ;; *) out=$PWD/$out ;; esac

. "$(cd "$(dirname "$0")" && pwd)/env.sh" # GOTOOLCHAIN
# The wrapper module is resolved here, whatever the caller's module mode.
export GOFLAGS=-mod=mod GOWORK=off

w=$(mktemp -d "${TMPDIR:-/tmp}/tfbuild.XXXXXX")
trap 'rm -rf "$w"' EXIT
cd "$w"
json=$(go mod download -json "github.com/hashicorp/terraform@v$v")
modfile=$(sed -n 's/.*"GoMod": "\(.*\)".*/\1/p' <<<"$json")
srcdir=$(sed -n 's/.*"Dir": "\(.*\)".*/\1/p' <<<"$json")
gover=$(awk '$1=="go"{print $2; exit}' "$modfile")
cty=$(awk '$1=="github.com/zclconf/go-cty"{print $2; exit}' "$modfile")
if grep -q 'StateMgr(workspace string) (statemgr.Full, tfdiags.Diagnostics)' "$srcdir/internal/backend/backend.go"; then
  rt=diags # >= 1.14
else
  rt=error # 1.9 - 1.13
fi
printf 'module tfbuild\n\ngo %s\n\nrequire github.com/hashicorp/terraform v%s\n\n' "$gover" "$v" >go.mod
for mod in $(awk '$1=="replace" && $4 ~ /^\.\// {print $2}' "$modfile"); do
  dir=stubs/${mod#github.com/hashicorp/terraform/internal/}
  mkdir -p "$dir"
  echo "replace $mod => ./$dir" >>go.mod
  case "$mod" in
    */remote-state/*)
      name=${mod##*/}
      printf 'module %s\n\ngo %s\n\nrequire (\n\tgithub.com/hashicorp/terraform v%s\n\tgithub.com/zclconf/go-cty %s\n)\n' "$mod" "$gover" "$v" "$cty" >"$dir/go.mod"
      cat >"$dir/stub.go" <<EOF
package $name

import (
	"errors"

	"github.com/hashicorp/terraform/internal/backend"
	"github.com/hashicorp/terraform/internal/configs/configschema"
	"github.com/hashicorp/terraform/internal/states/statemgr"
	"github.com/hashicorp/terraform/internal/tfdiags"
	"github.com/zclconf/go-cty/cty"
)

var errStub = errors.New("the $name backend is not included in this test build of Terraform")

type stub struct{}

func New() backend.Backend { return stub{} }

func diag() tfdiags.Diagnostics { var d tfdiags.Diagnostics; return d.Append(errStub) }

func (stub) ConfigSchema() *configschema.Block { return &configschema.Block{} }
func (stub) PrepareConfig(v cty.Value) (cty.Value, tfdiags.Diagnostics) { return v, diag() }
func (stub) Configure(cty.Value) tfdiags.Diagnostics { return diag() }
EOF
      if [ "$rt" = diags ]; then
        cat >>"$dir/stub.go" <<'EOF'
func (stub) StateMgr(string) (statemgr.Full, tfdiags.Diagnostics)   { return nil, diag() }
func (stub) DeleteWorkspace(string, bool) tfdiags.Diagnostics      { return diag() }
func (stub) Workspaces() ([]string, tfdiags.Diagnostics)           { return nil, diag() }
EOF
      else
        cat >>"$dir/stub.go" <<'EOF'
func (stub) StateMgr(string) (statemgr.Full, error) { return nil, errStub }
func (stub) DeleteWorkspace(string, bool) error     { return errStub }
func (stub) Workspaces() ([]string, error)          { return nil, errStub }
EOF
      fi
      ;;
    *) printf 'module %s\n\ngo %s\n' "$mod" "$gover" >"$dir/go.mod" ;;
  esac
done
go get "github.com/hashicorp/terraform@v$v"
go build -trimpath -ldflags "-s -w -X github.com/hashicorp/terraform/version.dev=no" -o "$out" github.com/hashicorp/terraform
