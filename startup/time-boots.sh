#!/usr/bin/env bash
# Times the boot of N runner VMs in your project, stage by stage (startup/README.md, "Boot time"):
# creates them at once as the steps service would (same startup.sh, no external IP, no service
# account), waits until each has powered off, reads its serial console and timestamps, deletes it,
# and prints p50/p95/max of provisioning, guest boot, runner install and runner connect.
#
# Usage:
#   startup/time-boots.sh --project P --zone Z --subnet S [--count 10]
#       [--image global/images/family/gh-runner-x64] [--machine-type e2-standard-2]
#       [--jit-configs FILE] [--runner-version V --runner-sha256 SHA] [--keep-dir DIR]
#
# FILE holds one JIT config per line (gh api -X POST orgs/ORG/actions/runners/generate-jitconfig
# ... --jq .encoded_jit_config), so that each runner really registers and "runner connect" is
# measured; without it the runner starts with an empty config and the timing stops at
# "runner-start". Each VM powers off 60 s after its runner is online (idle timeout). Needs gcloud
# and node (>= 22.18, as for the service), as someone who may create instances in P.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
project="" zone="" subnet="" count=10 image="global/images/family/gh-runner-x64" machine_type="e2-standard-2"
jit_file="" runner_version="" runner_sha256="" keep_dir=""
# A VM that has not powered off by then is measured as it is and deleted.
readonly timeout_seconds=900 poll_seconds=5

log() { printf 'time-boots: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
usage() { sed -n '7,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }

while (($# > 0)); do
  case "$1" in
    --project) project="$2"; shift 2 ;;
    --zone) zone="$2"; shift 2 ;;
    --subnet) subnet="$2"; shift 2 ;;
    --count) count="$2"; shift 2 ;;
    --image) image="$2"; shift 2 ;;
    --machine-type) machine_type="$2"; shift 2 ;;
    --jit-configs) jit_file="$2"; shift 2 ;;
    --runner-version) runner_version="$2"; shift 2 ;;
    --runner-sha256) runner_sha256="$2"; shift 2 ;;
    --keep-dir) keep_dir="$2"; shift 2 ;;
    -h | --help) usage ;;
    *) log "unknown argument $1"; usage ;;
  esac
done
[[ -n "$project" && -n "$zone" && -n "$subnet" ]] || usage
[[ "$count" =~ ^[1-9][0-9]*$ ]] || die "--count must be a positive number"
command -v gcloud >/dev/null || die "gcloud is not installed"
command -v node >/dev/null || die "node is not installed"
declare -a jit_configs=()
if [[ -n "$jit_file" ]]; then
  mapfile -t jit_configs <"$jit_file"
  ((${#jit_configs[@]} >= count)) || die "${jit_file} has ${#jit_configs[@]} JIT configs for ${count} VMs"
fi

# Templates may name an image without its project (global/images/family/F): it is this project's.
if [[ "$image" == global/* ]]; then image="projects/${project}/${image}"; fi
dir="${keep_dir:-$(mktemp -d)}"
mkdir -p "$dir"
stamp=$(date -u +%H%M%S)
declare -a vms=()
for ((i = 1; i <= count; i++)); do vms+=("boot-test-${stamp}-${i}"); done

cleanup() {
  log "deleting the test VMs"
  gcloud compute instances delete "${vms[@]}" --project "$project" --zone "$zone" --quiet >/dev/null 2>&1 || true
  if [[ -z "$keep_dir" ]]; then rm -rf "$dir"; fi
}
trap cleanup EXIT

# One create per VM, all at once: each VM gets its own JIT config, the way create-vm sends one.
log "creating ${count} VMs of ${image} (${machine_type}) in ${zone}"
for ((i = 0; i < count; i++)); do
  metadata_file="${dir}/${vms[i]}.jit"
  printf '%s' "${jit_configs[i]:-e30=}" >"$metadata_file"
  metadata="idle-timeout=60"
  if [[ -n "$runner_version" ]]; then metadata+=",runner-version=${runner_version},runner-sha256=${runner_sha256}"; fi
  gcloud compute instances create "${vms[i]}" --project "$project" --zone "$zone" \
    --machine-type "$machine_type" --subnet "$subnet" --no-address --image "$image" \
    --shielded-secure-boot --shielded-vtpm --shielded-integrity-monitoring \
    --no-service-account --no-scopes --labels gh-runner-boot-test=true \
    --metadata "$metadata" --metadata-from-file "startup-script=${here}/startup.sh,jit-config=${metadata_file}" >/dev/null &
done
wait
rm -f "${dir}"/*.jit

waited=0
for vm in "${vms[@]}"; do
  until [[ "$(gcloud compute instances describe "$vm" --project "$project" --zone "$zone" --format 'value(status)')" == TERMINATED ]]; do
    if ((waited >= timeout_seconds)); then log "${vm} still running after ${timeout_seconds}s: measuring it as it is"; break; fi
    sleep "$poll_seconds"
    waited=$((waited + poll_seconds))
  done
  gcloud compute instances describe "$vm" --project "$project" --zone "$zone" --format json >"${dir}/${vm}.json"
  gcloud compute instances get-serial-port-output "$vm" --project "$project" --zone "$zone" >"${dir}/${vm}.serial.txt" 2>/dev/null || true
done

node "${here}/../scripts/boot-times.ts" "$dir"
if [[ -n "$keep_dir" ]]; then log "serial consoles and instance records kept in ${keep_dir}"; fi
