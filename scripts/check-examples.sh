#!/usr/bin/env bash
# Checks examples/ the way a user would meet it: every file is terraform
# fmt-clean, every example validates against the provider built from this
# tree, and the resource example (a maintenance window pausing two jobs), the
# data-source examples and the Terraform 1.16 action examples are applied
# against the fake DTS endpoint, with the fake's own status checked after
# apply and after destroy.
set -euo pipefail
repo_root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo_root"

. scripts/env.sh
export TF_INPUT=0 TF_IN_AUTOMATION=1
work="$(mktemp -d "${TMPDIR:-/tmp}/dts-examples.XXXXXX")"
fake_pid=""
cleanup() {
  [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

terraform_bin="$(./scripts/terraform-cli.sh)"

echo "==> terraform fmt -check examples/"
"$terraform_bin" fmt -check -recursive -diff examples/ || fail "examples/ is not terraform fmt-clean (run make generate)"

echo "==> building the provider and a dev_overrides CLI configuration"
go build -o "$work/bin/terraform-provider-dts" .
go build -o "$work/bin/fakedts" ./internal/cmd/fakedts
cat > "$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/dts-provider/dts" = "$work/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc"

tf() { "$terraform_bin" -chdir="$1" "${@:2}"; }

# copy_example DEST FILE...: the files plus the provider source, which the
# resource and data-source examples leave to the provider page.
copy_example() {
  local dest=$1
  shift
  mkdir -p "$dest" && cp "$@" "$dest"/
  grep -qs required_providers "$dest"/*.tf || cat > "$dest/versions.tf" <<'TF'
terraform {
  required_providers {
    dts = {
      source = "dts-provider/dts"
    }
  }
}
TF
}

# Actions and list resources need Terraform 1.14, identity imports 1.12, and
# OpenTofu has no actions or query: those examples are validated below with
# a >= 1.14 CLI only.
newer_example='^examples/(actions|list-resources)/|/import-by-identity\.tf$'
# examples/coming-from-alicloud needs the alicloud provider too:
# scripts/check-install.sh (below) installs both from a mirror and checks it.
own_check='^examples/coming-from-alicloud/'

echo "==> terraform validate for every example file"
while IFS= read -r file; do
  [[ $file =~ $newer_example || $file =~ $own_check ]] && continue
  copy="$work/validate/${file%.tf}"
  copy_example "$copy" "$file"
  tf "$copy" validate -no-color >/dev/null || fail "terraform validate rejects $file"
  echo "    ok: $file"
done < <(find examples -name '*.tf' | sort)

# TERRAFORM_NEWER names a Terraform >= 1.14; otherwise the Makefile's
# terraform-1.16 target resolves (and once builds) one. Examples whose first
# line says "Terraform 1.16 or newer" (caller, destroy events, on_failure)
# are validated with 1.16 or newer only.
newer_bin="${TERRAFORM_NEWER:-}"
if [ -z "$newer_bin" ] && make -s -n terraform-1.16 >/dev/null 2>&1; then
  newer_bin="$(make -s terraform-1.16)"
fi
tf_minor() { "$1" version -json | jq -r .terraform_version | cut -d. -f2; }
if [ -z "$newer_bin" ]; then
  msg="no Terraform >= 1.14 to validate examples/actions, examples/list-resources and import-by-identity.tf: set TERRAFORM_NEWER"
  [ "${CI:-}" = true ] && fail "$msg"
  echo "SKIPPED: $msg" >&2
else
  newer_minor="$(tf_minor "$newer_bin")"
  [ "$newer_minor" -ge 14 ] || fail "$newer_bin is $("$newer_bin" version | head -1); the action, list-resource and identity examples need 1.14 or newer"
  echo "==> terraform validate -query with $("$newer_bin" version | head -1) for actions, list resources and identity imports"
  while IFS= read -r file; do
    if [ "$newer_minor" -lt 16 ] && head -n 1 "$file" | grep -q 'Terraform 1.16 or newer'; then
      echo "    skipped (needs Terraform 1.16): $file"
      continue
    fi
    copy="$work/validate-newer/${file%.*}"
    copy_example "$copy" "$file"
    "$newer_bin" -chdir="$copy" validate -query -no-color >/dev/null || fail "terraform validate -query rejects $file"
    echo "    ok: $file"
  done < <(find examples -name '*.tf' -o -name '*.tfquery.hcl' | grep -E "$newer_example" | sort)

  # Only Terraform 1.14 and newer format .tfquery.hcl files (older ones skip
  # them), and CI checks them with the newest it runs.
  fmt_bin="$newer_bin"
  [ "$newer_minor" -ge 16 ] || fmt_bin="$(make -s terraform-1.16)"
  echo "==> terraform fmt -check with $("$fmt_bin" version | head -1) for every .tfquery.hcl"
  mapfile -t queries < <(git ls-files '*.tfquery.hcl')
  [ "${#queries[@]}" -gt 0 ] || fail "no .tfquery.hcl file in the repository"
  "$fmt_bin" fmt -check -diff "${queries[@]}" || fail "a .tfquery.hcl file is not terraform fmt-clean (run terraform fmt with Terraform 1.16)"
  printf '    ok: %s\n' "${queries[@]}"
fi

echo "==> starting the fake DTS endpoint"
"$work/bin/fakedts" -seed-file scripts/testdata/example-jobs.json -transition 0s >"$work/fake.json" 2>"$work/fake.log" &
fake_pid=$!
for _ in $(seq 100); do [ -s "$work/fake.json" ] && break; sleep 0.1; done
[ -s "$work/fake.json" ] || fail "the fake endpoint did not start: $(cat "$work/fake.log")"
url="$(jq -r .url "$work/fake.json")"
export ALIBABA_CLOUD_ENDPOINT_DTS="$url" ALIBABA_CLOUD_REGION=cn-hangzhou
export ALIBABA_CLOUD_ACCESS_KEY_ID="$(jq -r .access_key_id "$work/fake.json")"
export ALIBABA_CLOUD_ACCESS_KEY_SECRET="$(jq -r .access_key_secret "$work/fake.json")"
status() { curl -fsS "$url/_admin/jobs/$1" | jq -r --arg d "$(echo "$2" | tr "[:upper:]" "[:lower:]")" ".[\$d].status // empty"; }
expect_status() {
  local got
  got="$(status "$1" "$2")"
  [ "$got" = "$3" ] || fail "$1 ($2) is '$got' in the fake, want '$3'"
  echo "    ok: $1 ($2) is $3"
}

echo "==> applying the maintenance-window example (examples/resources/dts_synchronization_job_state)"
app="$work/apply/resource"
copy_example "$app" examples/resources/dts_synchronization_job_state/resource.tf
tf "$app" apply -auto-approve -no-color >"$work/apply.log" || { cat "$work/apply.log"; fail "apply of the resource example failed"; }
expect_status dtsmr1q4mc2152xxxx Forward Suspending
expect_status dtsexjk1alb116xxxx Forward Suspending
expect_status dtsexjk1alb116xxxx Reverse Synchronizing
set +e
tf "$app" plan -detailed-exitcode -no-color >"$work/plan.log"
code=$?
set -e
[ "$code" -eq 0 ] || { cat "$work/plan.log"; fail "the plan after apply is not empty (exit $code)"; }
echo "    ok: no drift after apply"
tf "$app" destroy -auto-approve -no-color >"$work/destroy.log" || { cat "$work/destroy.log"; fail "destroy of the resource example failed"; }
expect_status dtsmr1q4mc2152xxxx Forward Synchronizing
expect_status dtsexjk1alb116xxxx Forward Synchronizing
echo "    ok: resume_on_destroy resumed both jobs"

echo "==> applying the cut-over example (cut-over.tf): pause, then resume and wait for the catch-up"
app="$work/apply/cut-over"
copy_example "$app" examples/resources/dts_synchronization_job_state/cut-over.tf
tf "$app" apply -auto-approve -no-color -var phase=migrate >"$work/apply.log" || { cat "$work/apply.log"; fail "apply of cut-over.tf (migrate) failed"; }
expect_status dtsmr1q4mc2152xxxx Forward Suspending
# Two minutes behind, falling 40 s a second: about 2 s of catch-up to 30s.
curl -fsS -X POST "$url/_admin/jobs/dtsmr1q4mc2152xxxx/delay" -d '{"direction":"Forward","delay":"2m","catch_up_rate":40}' >/dev/null
tf "$app" apply -auto-approve -no-color -var phase=switch >"$work/apply.log" || { cat "$work/apply.log"; fail "apply of cut-over.tf (switch) failed"; }
expect_status dtsmr1q4mc2152xxxx Forward Synchronizing
delay_ms="$(curl -fsS "$url/_admin/jobs/dtsmr1q4mc2152xxxx" | jq -r '.forward.delay_millis // 0')"
[ "$delay_ms" -le 30000 ] || fail "cut-over.tf returned with the job ${delay_ms} ms behind, want 30 s or less"
[ "$(tf "$app" output -raw ready_for_traffic)" = true ] || fail "cut-over.tf: ready_for_traffic is not true"
echo "    ok: the switch phase returned with the job ${delay_ms} ms behind (bound 30 s)"
tf "$app" destroy -auto-approve -no-color -var phase=switch >"$work/destroy.log" || { cat "$work/destroy.log"; fail "destroy of cut-over.tf failed"; }

echo "==> applying the task-ID example (by-dts-job-id.tf) in each action family"
for api in auto dts_job; do
  app="$work/apply/by-task-id-$api"
  copy_example "$app" examples/resources/dts_synchronization_job_state/by-dts-job-id.tf
  cat >> "$app/versions.tf" <<TF
provider "dts" {
  api = "$api"
}
TF
  tf "$app" apply -auto-approve -no-color -var dts_job_id=l3m1213ye7lxxxx >"$work/apply.log" || { cat "$work/apply.log"; fail "apply of by-dts-job-id.tf (api = $api) failed"; }
  expect_status dtsl3m1213ye7lxxxx Forward Suspending
  [ "$(tf "$app" output -raw replica_instance_id)" = dtsl3m1213ye7lxxxx ] || fail "by-dts-job-id.tf did not resolve the instance ID"
  echo "    ok: api = $api resolved the instance ID from the task ID"
  tf "$app" destroy -auto-approve -no-color -var dts_job_id=l3m1213ye7lxxxx >"$work/destroy.log" || { cat "$work/destroy.log"; fail "destroy of by-dts-job-id.tf failed"; }
  expect_status dtsl3m1213ye7lxxxx Forward Synchronizing
done

echo "==> planning the data-source examples against the fake"
for dir in examples/data-sources/*; do
  copy="$work/apply/$dir"
  copy_example "$copy" "$dir"/*.tf
  tf "$copy" plan -no-color >"$work/ds.log" || { cat "$work/ds.log"; fail "plan of $dir failed"; }
  echo "    ok: $dir"
done
if [ -n "$newer_bin" ]; then
  # The Terraform 1.16 action examples, applied with 1.16 ($fmt_bin is one).
  tf16() { "$fmt_bin" -chdir="$1" "${@:2}"; }
  echo "==> applying the Terraform 1.16 action examples with $("$fmt_bin" version | head -1)"
  app="$work/apply/before-destroy"
  copy_example "$app" examples/actions/dts_synchronization_job_resume/before-destroy.tf
  tf16 "$app" apply -auto-approve -no-color >"$work/apply.log" || { cat "$work/apply.log"; fail "apply of before-destroy.tf failed"; }
  expect_status dtsmr1q4mc2152xxxx Forward Suspending
  tf16 "$app" destroy -auto-approve -no-color >"$work/destroy.log" || { cat "$work/destroy.log"; fail "destroy of before-destroy.tf failed"; }
  grep -q 'Actions: 1 invoked' "$work/destroy.log" || { cat "$work/destroy.log"; fail "destroy of before-destroy.tf invoked no action"; }
  expect_status dtsmr1q4mc2152xxxx Forward Synchronizing
  echo "    ok: the before_destroy action resumed the job"

  app="$work/apply/caller-for-each"
  copy_example "$app" examples/actions/dts_synchronization_job_resume/caller-for-each.tf
  tf16 "$app" apply -auto-approve -no-color >"$work/apply.log" || { cat "$work/apply.log"; fail "apply of caller-for-each.tf failed"; }
  expect_status dtsmr1q4mc2152xxxx Forward Suspending
  expect_status dtsq7w2e4r6t81xxxx Forward Suspending
  tf16 "$app" destroy -auto-approve -no-color >"$work/destroy.log" || { cat "$work/destroy.log"; fail "destroy of caller-for-each.tf failed"; }
  expect_status dtsmr1q4mc2152xxxx Forward Synchronizing
  expect_status dtsq7w2e4r6t81xxxx Forward Synchronizing
  echo "    ok: one action, through caller, resumed each feed"

  app="$work/apply/on-failure-continue"
  copy_example "$app" examples/actions/dts_synchronization_job_suspend/on-failure-continue.tf
  tf16 "$app" apply -auto-approve -no-color >"$work/apply.log" 2>&1 || { cat "$work/apply.log"; fail "apply of on-failure-continue.tf stopped on the missing job"; }
  grep -q 'Warning: Unable to Pause Synchronization Job' "$work/apply.log" || { cat "$work/apply.log"; fail "on-failure-continue.tf: no warning about the missing job"; }
  echo "    ok: on_failure = continue: the migration ran, with a warning that the job is gone"
fi
./scripts/check-install.sh
echo "examples: all checks passed"
