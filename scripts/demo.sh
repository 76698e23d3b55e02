#!/usr/bin/env bash
# End-to-end demo (make demo): builds the provider, starts the fake DTS
# endpoint seeded with examples/demo/jobs.json, points Terraform at the local
# build through a dev_overrides CLI configuration, and runs a maintenance
# scenario with examples/demo/main.tf. Every step is checked: plan exit codes
# (-detailed-exitcode), the plan's warnings, terraform output, terraform state,
# and the job status the fake reports on its admin API. orders-sync is driven
# through the maintained DtsJob actions (named by its task ID, dts_job_id) and
# inventory-two-way through the legacy SynchronizationJob ones; the last step
# checks from the fake's call log that each job saw only its family. Exits
# non-zero on the first step that does not do what it says. Needs no cloud
# account.
#
# The last segment (terraform query, actions) needs Terraform 1.14 or newer:
# TERRAFORM_NEWER names one, else `make terraform-1.16` builds 1.16.4 into the
# tool cache on a first run. DEMO_SKIP_NEWER=1 leaves the segment out.
set -euo pipefail

repo_root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo_root"

orders_job=dtsorders0demo001
orders_task=ordersdemo00001
inventory_job=dtsinventory0demo02

# ---------------------------------------------------------------- helpers

step() { printf '\n==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
fail() {
  printf '\nFAIL: %s\n' "$*" >&2
  exit 1
}
ok() { printf '    ok: %s\n' "$*"; }

# quietly LABEL OUT CMD...: runs CMD with its standard output in OUT and its
# log (go's module downloads, a CLI build) in a file, showing one progress
# line instead. When CMD says it builds a CLI, the announcement comes first:
# how long that takes and that it happens once. On failure it prints the
# log's last lines and its path, and keeps the file.
quietly() {
  local label=$1 out=$2 log pid announced="" last=0 modules
  shift 2
  log="$(mktemp "${TMPDIR:-/tmp}/dts-demo-build.XXXXXX")"
  "$@" >"$out" 2>"$log" &
  pid=$!
  local start=$SECONDS
  last=$SECONDS
  while kill -0 "$pid" 2>/dev/null; do
    sleep 0.5
    if [ -z "$announced" ] && grep -q 'is not in .*; building it' "$log"; then
      announced=1
      note "$(grep -m1 'is not in .*; building it' "$log" | sed 's/ (minutes, once)$//')."
      note "$first_build_note"
      note "To leave this segment out: DEMO_SKIP_NEWER=1 make demo (or TERRAFORM_NEWER=/path/to/terraform-1.14+)."
    fi
    if [ $((SECONDS - last)) -ge "$progress_every" ]; then
      last=$SECONDS
      modules="$(grep -c '^go: downloading' "$log" || true)"
      progress_line "    ... $label: $((SECONDS - start)) s, $modules Go modules downloaded"
    fi
  done
  if ! wait "$pid"; then
    progress_end
    echo "--- last lines of $log" >&2
    tail -n 15 "$log" >&2 || true
    fail "$label failed; its full log is $log"
  fi
  progress_end
  [ $((SECONDS - start)) -lt 3 ] || note "$label: $((SECONDS - start)) s"
  rm -f "$log"
}

# A terminal gets one line, rewritten every 2 s; a log gets a line a minute.
if [ -t 1 ]; then
  progress_every=2
  progress_line() { printf '\r%s\033[K' "$1"; }
  progress_end() { printf '\r\033[K'; }
else
  progress_every=60
  progress_line() { printf '%s\n' "$1"; }
  progress_end() { :; }
fi

expect_eq() { # actual expected what
  if [ "$1" != "$2" ]; then
    fail "$3: got '$1', want '$2'"
  fi
  ok "$3 = $2"
}

expect_grep() { # file pattern what
  if ! grep -Eq -- "$2" "$1"; then
    fail "$3: the output has no line matching /$2/"
  fi
  ok "$3"
}

expect_no_grep() { # file pattern what
  if grep -Eq -- "$2" "$1"; then
    fail "$3: the output has a line matching /$2/"
  fi
  ok "$3"
}

for tool in go curl jq; do
  command -v "$tool" >/dev/null 2>&1 || fail "the demo needs $tool on PATH"
done

# ---------------------------------------------------------------- set-up

work_root="$(mktemp -d "${TMPDIR:-/tmp}/dts-demo.XXXXXX")"
fake_pid=""
cleanup() {
  local rc=$?
  if [ -n "$fake_pid" ] && kill -0 "$fake_pid" 2>/dev/null; then
    kill "$fake_pid" 2>/dev/null || true
    wait "$fake_pid" 2>/dev/null || true
  fi
  if [ "$rc" -ne 0 ] && [ -s "$work_root/fake.log" ]; then
    echo "--- last lines of the fake endpoint's log" >&2
    tail -n 20 "$work_root/fake.log" >&2 || true
  fi
  rm -rf "$work_root"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Every Terraform run needs these: no phoning home, no input prompts, and
# only the CLI configuration written below.
# scripts/env.sh also sets the Go toolchain that builds the provider.
. scripts/env.sh
export TF_INPUT=0 TF_IN_AUTOMATION=1
unset TF_CLI_ARGS TF_CLI_ARGS_plan TF_CLI_ARGS_apply TF_CLI_ARGS_destroy TF_WORKSPACE TF_DATA_DIR 2>/dev/null || true

first_build_note="A first run builds Terraform 1.5.7: 5 to 17 minutes on a 2-core machine with an empty Go module cache (measured). It happens once; later runs find it in the tool cache ($DTS_TOOL_CACHE)."
step "Resolving a Terraform CLI (>= 1.5)"
quietly "resolving the Terraform CLI" "$work_root/cli.path" ./scripts/terraform-cli.sh
terraform_bin="$(cat "$work_root/cli.path")"
note "$terraform_bin ($("$terraform_bin" version | head -n 1))"

step "Building the provider and the fake DTS endpoint"
plugin_dir="$work_root/plugins"
mkdir -p "$plugin_dir" "$work_root/work"
quietly "building the provider" /dev/null go build -o "$plugin_dir/terraform-provider-dts" .
quietly "building the fake DTS endpoint" /dev/null go build -o "$work_root/fakedts" ./internal/cmd/fakedts
note "provider: $plugin_dir/terraform-provider-dts"

# dev_overrides makes Terraform use the local build without terraform init.
cat >"$work_root/terraformrc" <<EOF
provider_installation {
  dev_overrides {
    "registry.terraform.io/dts-provider/dts" = "$plugin_dir"
  }
  direct {}
}
EOF
export TF_CLI_CONFIG_FILE="$work_root/terraformrc"
note "CLI configuration with dev_overrides: $TF_CLI_CONFIG_FILE"
note "(Terraform warns on every command that development overrides are in effect; the demo hides that warning)"

# Terraform works on a copy, so no state or lock file lands in the repository.
work="$work_root/work"
cp examples/demo/main.tf "$work/"

step "Starting the fake DTS endpoint with orders-sync (one-way, PostPaid) and inventory-two-way (two-way, PrePaid)"
"$work_root/fakedts" -listen 127.0.0.1:0 -seed-file examples/demo/jobs.json \
  >"$work_root/fake.json" 2>"$work_root/fake.log" &
fake_pid=$!
for _ in $(seq 1 150); do
  [ -s "$work_root/fake.json" ] && break
  kill -0 "$fake_pid" 2>/dev/null || fail "the fake endpoint exited: $(cat "$work_root/fake.log")"
  sleep 0.1
done
[ -s "$work_root/fake.json" ] || fail "the fake endpoint did not announce itself within 15 s"
fake_url="$(head -n 1 "$work_root/fake.json" | jq -er .url)"
export TF_VAR_endpoint="$fake_url"
TF_VAR_access_key="$(head -n 1 "$work_root/fake.json" | jq -er .access_key_id)"
TF_VAR_secret_key="$(head -n 1 "$work_root/fake.json" | jq -er .access_key_secret)"
export TF_VAR_access_key TF_VAR_secret_key
note "listening at $fake_url (a free port); admin API at $fake_url/_admin/"
note "each pause or resume takes the fake 3 seconds, so you can watch apply wait"

# job_status JOB DIRECTION: the status the fake reports, through its admin API.
job_status() {
  local key
  key="$(echo "$2" | tr '[:upper:]' '[:lower:]')"
  curl -fsS "$fake_url/_admin/jobs/$1" | jq -er ".$key.status"
}

expect_job() { # job direction status
  expect_eq "$(job_status "$1" "$2")" "$3" "the fake reports $1 $2"
}

# Desired states; the scenario changes them and every command passes them.
orders_state=Synchronizing
orders_resume_on_destroy=false
reverse_state=Synchronizing
reverse_resume_on_destroy=false

# tf EXPECTED_RC LOG ARGS...: runs terraform in the work folder with the
# scenario's variables, shows and keeps its output, checks its exit code.
tf() {
  local want=$1 log=$2 sub=$3 rc
  shift 3
  local -a vars=()
  case "$sub" in
    plan | apply | destroy)
      vars=(-var "orders_state=$orders_state" -var "orders_resume_on_destroy=$orders_resume_on_destroy"
        -var "inventory_reverse_state=$reverse_state" -var "inventory_reverse_resume_on_destroy=$reverse_resume_on_destroy")
      ;;
  esac
  # A saved plan carries its variables; apply refuses -var with one.
  if [ "$sub" = apply ] && [ $# -gt 0 ] && [ -f "${!#}" ]; then
    vars=()
  fi
  # Echo the command with the variables that differ from main.tf's defaults.
  local shown="" v
  for v in "${vars[@]}"; do
    case "$v" in
      -var | orders_state=Synchronizing | inventory_reverse_state=Synchronizing | *_resume_on_destroy=false) ;;
      *) shown+=" -var $v" ;;
    esac
  done
  printf '    $ terraform %s%s' "$sub" "$shown"
  printf ' %s' "${@//$work_root/<tmp>}"
  printf '\n'
  # Streams the output as it comes, without the dev_overrides warning that
  # every command repeats, and keeps all of it for the checks.
  set +e
  "$terraform_bin" -chdir="$work" "$sub" -no-color "${vars[@]}" "$@" 2>&1 |
    sed -u 's/^/    | /' | tee "$log" |
    awk '/Warning: Provider development overrides are in effect/ {skip = 1; next}
         skip == 1 && /releases\.$/ {skip = 2; next}
         skip == 2 {skip = 0; if ($0 ~ /^    \| *$/) next}
         !skip {print; fflush()}'
  rc=${PIPESTATUS[0]}
  set -e
  if [ "$rc" -ne "$want" ]; then
    fail "terraform $sub exited $rc, want $want"
  fi
  ok "terraform $sub exited $rc"
}

output() { "$terraform_bin" -chdir="$work" output -json | jq -r ".$1.value"; }

expect_job "$orders_job" Forward Synchronizing
expect_job "$inventory_job" Forward Synchronizing
expect_job "$inventory_job" Reverse Synchronizing

# ---------------------------------------------------------------- 1. pause

step "Planning a pause of the forward direction of orders-sync, named by its task ID $orders_task (no terraform init: dev_overrides)"
orders_state=Suspended
tf 2 "$work_root/plan1.log" plan -detailed-exitcode -out="$work_root/pause.tfplan"
expect_grep "$work_root/plan1.log" 'Plan: 2 to add, 0 to change, 0 to destroy' "the plan adds both resources"
expect_grep "$work_root/plan1.log" 'state +=( \(known after apply\))? "Suspended"|\+ state += "Suspended"' "the plan declares state = Suspended"
expect_grep "$work_root/plan1.log" 'Warning: Paused Pay-As-You-Go Job Keeps Billing' "the plan warns that the PostPaid job keeps billing while paused"
expect_grep "$work_root/plan1.log" 'Warning: Paused Jobs Can Only Be Resumed for a Limited Time' "the plan warns about the resume limit"
expect_grep "$work_root/plan1.log" "Job $orders_job \\(Forward\\) will be paused" "the resume-limit warning names the job"
expect_job "$orders_job" Forward Synchronizing

step "Pausing the forward direction of orders-sync: apply returns when DTS reports it paused"
started=$SECONDS
tf 0 "$work_root/apply1.log" apply "$work_root/pause.tfplan"
note "apply took $((SECONDS - started)) s (the fake's transition takes 3 s)"
expect_grep "$work_root/apply1.log" 'Apply complete! Resources: 2 added' "apply added both resources"
expect_job "$orders_job" Forward Suspending
expect_eq "$(output orders_state)" Suspended "terraform output orders_state"
expect_eq "$(output orders_status)" Suspending "terraform output orders_status"
expect_eq "$(output orders_pay_type)" PostPaid "terraform output orders_pay_type"
expect_eq "$(output orders_instance_id)" "$orders_job" "terraform output orders_instance_id (read from DTS by task ID)"
[ "$(output orders_suspended_at)" != null ] || fail "suspended_at is null after the pause"
ok "terraform output orders_suspended_at = $(output orders_suspended_at)"
expect_job "$inventory_job" Reverse Synchronizing

step "Planning again: no changes (the job is where the configuration says)"
tf 0 "$work_root/plan2.log" plan -detailed-exitcode
expect_grep "$work_root/plan2.log" 'No changes' "the plan has no changes"
expect_no_grep "$work_root/plan2.log" "Warning: Paused" "a plan that changes nothing stays quiet about a pause seconds old (it warns once the pause is 1 h old, 30 min for billing)"

# ---------------------------------------------------------------- 2. drift

step "Someone resumes orders-sync outside Terraform (the fake's admin API stands in for the DTS console)"
note "\$ curl -X POST $fake_url/_admin/jobs/$orders_job/status -d '{\"direction\":\"Forward\",\"status\":\"Synchronizing\"}'"
curl -fsS -X POST "$fake_url/_admin/jobs/$orders_job/status" \
  -H 'Content-Type: application/json' \
  -d '{"direction":"Forward","status":"Synchronizing"}' >/dev/null
expect_job "$orders_job" Forward Synchronizing

step "A scheduled plan shows the drift"
tf 2 "$work_root/plan3.log" plan -detailed-exitcode -out="$work_root/drift.tfplan"
expect_grep "$work_root/plan3.log" 'Objects have changed outside of Terraform' "the plan notes a change made outside Terraform"
expect_grep "$work_root/plan3.log" 'status += "Suspending" -> "Synchronizing"' "the refresh saw status Suspending -> Synchronizing"
expect_grep "$work_root/plan3.log" 'state += "Synchronizing" -> "Suspended"' "the plan shows state Synchronizing -> Suspended"
expect_grep "$work_root/plan3.log" 'Plan: 0 to add, 1 to change, 0 to destroy' "the plan changes orders only"
expect_grep "$work_root/plan3.log" 'Warning: Paused Pay-As-You-Go Job Keeps Billing' "the plan warns about billing again"

step "Applying corrects the drift: orders-sync is paused again"
started=$SECONDS
tf 0 "$work_root/apply2.log" apply "$work_root/drift.tfplan"
note "apply took $((SECONDS - started)) s"
expect_grep "$work_root/apply2.log" 'Resources: 0 added, 1 changed, 0 destroyed' "apply changed one resource"
expect_job "$orders_job" Forward Suspending
expect_eq "$(output orders_status)" Suspending "terraform output orders_status"
tf 0 "$work_root/plan4.log" plan -detailed-exitcode
ok "no drift left"

# ---------------------------------------------------------------- 3. reverse

step "Pausing the reverse direction of inventory-two-way"
reverse_state=Suspended
tf 2 "$work_root/plan5.log" plan -detailed-exitcode -out="$work_root/reverse.tfplan"
expect_grep "$work_root/plan5.log" 'Plan: 0 to add, 1 to change, 0 to destroy' "the plan changes the reverse direction only"
# orders-sync stays paused, but its pause is seconds old, so only the
# reverse direction that this plan pauses gets the warning.
expect_grep "$work_root/plan5.log" 'Warning: Paused Jobs Can Only Be Resumed for a Limited Time' "the plan shows the resume-limit warning"
expect_grep "$work_root/plan5.log" "Job $inventory_job \\(Reverse\\) will be paused" "the resume-limit warning names the reverse direction"
expect_no_grep "$work_root/plan5.log" 'Keeps Billing' "no billing warning: inventory-two-way is PrePaid"
started=$SECONDS
tf 0 "$work_root/apply3.log" apply "$work_root/reverse.tfplan"
note "apply took $((SECONDS - started)) s"
expect_no_grep "$work_root/apply3.log" "Warning: Paused" "apply of the saved plan does not repeat the plan's warning"
expect_job "$inventory_job" Reverse Suspending
expect_job "$inventory_job" Forward Synchronizing
expect_eq "$(output inventory_reverse_status)" Suspending "terraform output inventory_reverse_status"
"$terraform_bin" -chdir="$work" state show -no-color dts_synchronization_job_state.inventory_reverse >"$work_root/show1.log"
expect_grep "$work_root/show1.log" 'synchronization_direction += "Reverse"' "terraform state show: synchronization_direction = Reverse"
expect_grep "$work_root/show1.log" 'state += "Suspended"' "terraform state show: state = Suspended"

step "Resuming the reverse direction of inventory-two-way, waiting until it has caught up (max_delay_after_resume = \"30s\")"
note "the fake makes it 2 minutes behind, catching up 20 s a second once it runs:"
note "\$ curl -X POST $fake_url/_admin/jobs/$inventory_job/delay -d '{\"direction\":\"Reverse\",\"delay\":\"2m\",\"catch_up_rate\":20}'"
curl -fsS -X POST "$fake_url/_admin/jobs/$inventory_job/delay" \
  -d '{"direction":"Reverse","delay":"2m","catch_up_rate":20}' >/dev/null
reverse_state=Synchronizing
tf 2 "$work_root/plan5b.log" plan -detailed-exitcode -out="$work_root/resume.tfplan"
expect_grep "$work_root/plan5b.log" 'Warning: Apply Waits for Replication to Catch Up' "the plan says apply waits for the catch-up"
started=$SECONDS
tf 0 "$work_root/apply4.log" apply "$work_root/resume.tfplan"
note "apply took $((SECONDS - started)) s: it returned once DTS reported the delay at 30 s or less, not when the job ran"
expect_grep "$work_root/apply4.log" 'Resources: 0 added, 1 changed, 0 destroyed' "apply changed one resource"
expect_job "$inventory_job" Reverse Synchronizing
reverse_delay_ms="$(curl -fsS "$fake_url/_admin/jobs/$inventory_job" | jq -r '.reverse.delay_millis // 0')"
[ "$reverse_delay_ms" -le 30000 ] || fail "apply returned with the reverse direction ${reverse_delay_ms} ms behind, want 30 s or less"
ok "the reverse direction is $((reverse_delay_ms / 1000)) s behind"
expect_eq "$(output inventory_reverse_status)" Synchronizing "terraform output inventory_reverse_status"
expect_job "$orders_job" Forward Suspending

# ---------------------------------------------------------------- 4. destroy

step "Pausing the reverse direction again, now with resume_on_destroy = true (a maintenance-window configuration)"
reverse_state=Suspended
reverse_resume_on_destroy=true
tf 0 "$work_root/apply5.log" apply -auto-approve
expect_job "$inventory_job" Reverse Suspending

step "Planning the destroy: orders-sync (resume_on_destroy = false) will stay paused"
tf 2 "$work_root/plan6.log" plan -destroy -detailed-exitcode
expect_grep "$work_root/plan6.log" 'Plan: 0 to add, 0 to change, 2 to destroy' "the plan destroys both resources"
expect_grep "$work_root/plan6.log" 'Warning: Destroy Leaves the Job Paused' "the plan warns that destroy leaves orders-sync paused"
expect_grep "$work_root/plan6.log" "Job $orders_job \\(Forward\\) is paused" "the warning names orders-sync"
expect_no_grep "$work_root/plan6.log" "Job $inventory_job \\(Reverse\\) is paused" "no such warning for inventory-two-way (resume_on_destroy = true)"

step "Destroying: orders-sync stays paused (warned once, by destroy's plan); inventory-two-way's reverse direction is resumed"
started=$SECONDS
tf 0 "$work_root/destroy.log" destroy -auto-approve
note "destroy took $((SECONDS - started)) s"
expect_grep "$work_root/destroy.log" 'Destroy complete! Resources: 2 destroyed' "destroy removed both resources"
expect_grep "$work_root/destroy.log" 'Warning: Destroy Leaves the Job Paused' "destroy's plan warns that orders-sync stays paused"
expect_eq "$(grep '^ *| *Warning: ' "$work_root/destroy.log" | grep -vc 'development overrides' || true)" 1 "warnings of the destroy (once, in its plan)"
expect_job "$orders_job" Forward Suspending
expect_job "$inventory_job" Reverse Synchronizing
expect_job "$inventory_job" Forward Synchronizing
left="$("$terraform_bin" -chdir="$work" state list | wc -l | tr -d ' ')"
expect_eq "$left" 0 "resources left in the Terraform state (terraform state list)"

# The call log of the scenario above, before the Terraform 1.14+ segment
# reads and pauses jobs through the default provider (api = "auto").
scenario_calls="$(curl -fsS "$fake_url/_admin/calls")"

# ---------------------------------------------------------------- 5. Terraform 1.14+

# terraform query and actions need Terraform 1.14 or newer: TERRAFORM_NEWER
# names one, or the Makefile's terraform-1.16 target resolves (once builds) it.
newer_bin="${TERRAFORM_NEWER:-}"
if [ -n "${DEMO_SKIP_NEWER:-}" ]; then
  step "SKIPPED (DEMO_SKIP_NEWER is set): terraform query and the actions, which need Terraform 1.14 or newer"
  newer_bin=""
elif [ -z "$newer_bin" ] && make -s -n terraform-1.16 >/dev/null 2>&1; then
  step "Resolving Terraform 1.16 for terraform query and the actions (make terraform-1.16)"
  first_build_note="A first run builds Terraform 1.16.4: 7 to 26 minutes on a 2-core machine, depending on its load (measured). It happens once; later runs find it in the tool cache ($DTS_TOOL_CACHE)."
  quietly "resolving Terraform 1.16" "$work_root/newer.path" make -s terraform-1.16
  newer_bin="$(cat "$work_root/newer.path")"
fi
if [ -z "$newer_bin" ]; then
  [ -n "${DEMO_SKIP_NEWER:-}" ] || step "SKIPPED: terraform query and the actions need Terraform 1.14 or newer (set TERRAFORM_NEWER to one)"
else
  step "Terraform 1.14+: $("$newer_bin" version | head -n 1) (DEMO_SKIP_NEWER=1 make demo leaves this segment out)"
  query="$work_root/query"
  mkdir -p "$query"
  # The demo's terraform block, variables and provider, and one action.
  sed -n '1,/^provider "dts" {/p' examples/demo/main.tf | sed '$d' >"$query/main.tf"
  cat >>"$query/main.tf" <<'TF'
provider "dts" {
  endpoint   = var.endpoint
  access_key = var.access_key
  secret_key = var.secret_key
  region     = var.region
}

action "dts_synchronization_job_suspend" "inventory" {
  config {
    synchronization_job_id = "dtsinventory0demo02"
  }
}
TF
  cat >"$query/jobs.tfquery.hcl" <<'TF'
list "dts_synchronization_job_state" "all" {
  provider = dts
}
TF
  # tfq EXPECTED_RC LOG ARGS...: terraform (>= 1.14) in the query folder,
  # without the dev_overrides warning.
  tfq() {
    local want=$1 log=$2 sub=$3 rc
    shift 3
    printf '    $ terraform %s %s\n' "$sub" "$*"
    set +e
    "$newer_bin" -chdir="$query" "$sub" -no-color "$@" 2>&1 | sed -u 's/^/    | /' | tee "$log" |
      awk '/Warning: Provider development overrides are in effect/ {skip = 1; next}
           skip == 1 && /releases\.$/ {skip = 2; next}
           skip == 2 {skip = 0; if ($0 ~ /^    \| *$/) next}
           !skip {print; fflush()}'
    rc=${PIPESTATUS[0]}
    set -e
    [ "$rc" -eq "$want" ] || fail "terraform $sub exited $rc, want $want"
    ok "terraform $sub exited $rc"
  }

  step "terraform query lists every direction of every job and writes resource and import blocks"
  tfq 0 "$work_root/query.log" query -generate-config-out=generated.tf
  expect_grep "$work_root/query.log" 'orders-sync \(Forward, Suspending\)' "the query lists orders-sync, paused"
  expect_grep "$work_root/query.log" 'inventory-two-way \(Reverse, Synchronizing\)' "the query lists both directions of inventory-two-way"
  expect_eq "$(grep -c '^import {' "$query/generated.tf")" 3 "import blocks in generated.tf"

  step "Applying the generated configuration imports all three directions and changes no job"
  tfq 0 "$work_root/import.log" apply -auto-approve
  expect_grep "$work_root/import.log" 'Resources: 3 imported, 0 added, 0 changed, 0 destroyed' "apply imported 3 and changed nothing"
  expect_job "$orders_job" Forward Suspending
  tfq 0 "$work_root/plan7.log" plan -detailed-exitcode
  ok "the plan after the import is empty"

  step "terraform apply -invoke pauses inventory-two-way with the suspend action, reporting each poll"
  tfq 0 "$work_root/invoke.log" apply -auto-approve -invoke=action.dts_synchronization_job_suspend.inventory
  expect_grep "$work_root/invoke.log" 'inventory-two-way \(Forward\): Synchronizing → Suspending, [0-9]+ s' "the action reported the transition"
  expect_job "$inventory_job" Forward Suspending

  step "The imported resource declares it Synchronizing, so the next plan shows the pause as drift, and apply resumes it"
  tfq 2 "$work_root/plan8.log" plan -detailed-exitcode
  expect_grep "$work_root/plan8.log" '"Suspended" -> "Synchronizing"' "the plan resumes it"
  tfq 0 "$work_root/apply8.log" apply -auto-approve
  expect_job "$inventory_job" Forward Synchronizing
fi

step "What the fake DTS endpoint answered"
curl -fsS "$fake_url/_admin/calls" |
  jq -r '.calls | group_by(.action) | .[] | "    \(length)\t\(.[0].action)"'

step "In the scenario before the Terraform 1.14+ segment, each job was driven through its own action family (the fake's call log)"
calls="$scenario_calls"
family_calls() { # job task-id action-regex: calls naming the job whose action matches
  jq --arg j "$1" --arg t "$2" --arg re "$3" \
    '[.calls[] | select((.job_id == $j or ($t != "" and .dts_job_id == $t)) and (.action | test($re)))] | length' <<<"$calls"
}
expect_eq "$(family_calls "$orders_job" "$orders_task" 'DtsJob')" "$(family_calls "$orders_job" "$orders_task" '.')" \
  "orders-sync (api = \"dts_job\"): calls that were DtsJob actions, of all its calls"
expect_eq "$(family_calls "$orders_job" "$orders_task" 'SynchronizationJob')" 0 "orders-sync: SynchronizationJob calls"
expect_eq "$(family_calls "$inventory_job" "" 'DtsJob')" 0 "inventory-two-way (api = \"synchronization_job\"): DtsJob calls"
[ "$(family_calls "$inventory_job" "" 'SynchronizationJob')" -gt 0 ] || fail "inventory-two-way saw no SynchronizationJob call"
ok "inventory-two-way: $(family_calls "$inventory_job" "" 'SynchronizationJob') SynchronizationJob calls"

step "Demo passed: every step did what it said"
