#!/usr/bin/env bash
# Checks the README's install path as a user of the unpublished provider
# meets it: `make install` fills a local filesystem mirror, `terraform init`
# installs this provider from it beside the alicloud provider, both with the
# documented provider_installation block and with no CLI configuration at
# all (the implied mirror ~/.terraform.d/plugins), and the configuration of
# examples/coming-from-alicloud validates, then pauses, plans clean and
# resumes a job of the fake DTS endpoint.
#
# The alicloud provider cannot be downloaded here: a stub of it
# (internal/cmd/alicloud-stub, which serves alicloud_dts_synchronization_job
# and calls no API) is built into the same mirror. Called by
# scripts/check-examples.sh.
set -euo pipefail
repo_root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo_root"

. scripts/env.sh
unset TF_CLI_CONFIG_FILE TF_PLUGIN_CACHE_DIR
export TF_INPUT=0 TF_IN_AUTOMATION=1
work="$(mktemp -d "${TMPDIR:-/tmp}/dts-install.XXXXXX")"
fake_pid=""
cleanup() {
  [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

terraform_bin="$(./scripts/terraform-cli.sh)"
mirror="$work/home/.terraform.d/plugins"
target="$(go env GOOS)_$(go env GOARCH)"
version="$(sed -n 's/^## \([0-9][0-9.]*\).*/\1/p' CHANGELOG.md | head -n 1)"

echo "==> make install into $mirror"
make -s install INSTALL_MIRROR="$mirror"
for host in registry.terraform.io registry.opentofu.org; do
  want="$mirror/$host/dts-provider/dts/$version/$target/terraform-provider-dts_v$version"
  [ -x "$want" ] || fail "make install did not write $want"
  echo "    ok: $want"
done

echo "==> the alicloud stub into the same mirror"
stub_dir="$mirror/registry.terraform.io/aliyun/alicloud/0.0.1/$target"
mkdir -p "$stub_dir"
go build -o "$stub_dir/terraform-provider-alicloud_v0.0.1" ./internal/cmd/alicloud-stub

# init_validate NAME DIR: terraform init and validate of the example in DIR.
init_validate() {
  mkdir -p "$2" && cp examples/coming-from-alicloud/*.tf "$2"/
  "$terraform_bin" -chdir="$2" init -no-color >"$work/init.log" 2>&1 || { cat "$work/init.log"; fail "terraform init ($1) failed"; }
  grep -q "Installed dts-provider/dts v$version" "$work/init.log" || { cat "$work/init.log"; fail "terraform init ($1) did not install dts-provider/dts v$version"; }
  "$terraform_bin" -chdir="$2" validate -no-color >/dev/null || fail "terraform validate ($1) failed"
  echo "    ok: init and validate, $1"
}

echo "==> terraform init with no CLI configuration (the implied mirror)"
HOME="$work/home" init_validate "implied mirror" "$work/implied"

echo "==> terraform init with the README's provider_installation block"
# The README's block names only dts-provider/dts and leaves alicloud to the
# registry; here the stub stands in for the registry's alicloud.
cat >"$work/terraformrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/dts-provider/dts", "registry.terraform.io/aliyun/alicloud"]
  }
  direct {
    exclude = ["registry.terraform.io/dts-provider/dts", "registry.terraform.io/aliyun/alicloud"]
  }
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc"
cfg="$work/explicit"
init_validate "provider_installation block" "$cfg"

echo "==> pause, plan and resume the job against the fake DTS endpoint"
go build -o "$work/fakedts" ./internal/cmd/fakedts
"$work/fakedts" -seed-file scripts/testdata/example-jobs.json -transition 0s >"$work/fake.json" 2>"$work/fake.log" &
fake_pid=$!
for _ in $(seq 100); do [ -s "$work/fake.json" ] && break; sleep 0.1; done
[ -s "$work/fake.json" ] || fail "the fake endpoint did not start: $(cat "$work/fake.log")"
url="$(jq -r .url "$work/fake.json")"
export ALIBABA_CLOUD_ENDPOINT_DTS="$url"
export ALIBABA_CLOUD_ACCESS_KEY_ID="$(jq -r .access_key_id "$work/fake.json")"
export ALIBABA_CLOUD_ACCESS_KEY_SECRET="$(jq -r .access_key_secret "$work/fake.json")"
status() { curl -fsS "$url/_admin/jobs/dtsmr1q4mc2152xxxx" | jq -r '.forward.status // empty'; }
apply() {
  "$terraform_bin" -chdir="$cfg" apply -auto-approve -no-color "$@" >"$work/apply.log" 2>&1 || { cat "$work/apply.log"; fail "terraform apply $* failed"; }
}

# The job's task ID is alicloud's id, unknown until the alicloud resource is
# created in the same apply: the plan cannot read the job.
"$terraform_bin" -chdir="$cfg" plan -no-color >"$work/plan.log" 2>&1 || { cat "$work/plan.log"; fail "the first plan failed"; }
grep -q 'dts_job_id *= (known after apply)' "$work/plan.log" || { cat "$work/plan.log"; fail "the first plan does not show dts_job_id as known after apply"; }
apply
[ "$(status)" = Synchronizing ] || fail "the job is '$(status)' after the first apply, want Synchronizing"
echo "    ok: created beside alicloud_dts_synchronization_job in one apply; the job runs"
apply -var paused=true
[ "$(status)" = Suspending ] || fail "the job is '$(status)' after apply -var paused=true, want Suspending"
echo "    ok: paused"
set +e
"$terraform_bin" -chdir="$cfg" plan -detailed-exitcode -no-color -var paused=true >"$work/plan.log" 2>&1
code=$?
set -e
[ "$code" -eq 0 ] || { cat "$work/plan.log"; fail "the plan after the pause is not empty (exit $code)"; }
echo "    ok: the plan after the pause is empty"
apply
[ "$(status)" = Synchronizing ] || fail "the job is '$(status)' after apply -var paused=false, want Synchronizing"
echo "    ok: resumed"
echo "install: all checks passed"
