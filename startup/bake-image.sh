#!/usr/bin/env bash
# Bakes a runner image: boots a temporary VM with startup.sh in bake mode (it installs the
# runner, its dependencies and a few common tools, then powers off), turns its disk into an
# image of the given family, and deletes the VM. Runner templates that name the family
# (projects/P/global/images/family/F) get the newest image on their next VM.
#
# Usage:
#   startup/bake-image.sh --project P --zone Z --subnet S [--family F]
#       [--runner-version V --runner-sha256 SHA] [--packages "apt packages"]
#       [--source-image-family ubuntu-2404-lts-amd64] [--source-image-project ubuntu-os-cloud]
#       [--machine-type e2-standard-2] [--keep-vm]
#
# S is the runner subnetwork (`terraform output -raw runner_subnetwork`): the temporary VM has no
# external IP either and reaches GitHub and the apt mirrors through Cloud NAT, so Z must be a zone
# of that subnetwork's region. Without --runner-version, the version pinned in startup.sh is used.
# Needs gcloud, logged in as someone who may create instances and images in P.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
project="" zone="" subnet="" family="github-runner" keep_vm=false
runner_version="" runner_sha256="" packages=""
source_family="ubuntu-2404-lts-amd64" source_project="ubuntu-os-cloud" machine_type="e2-standard-2"
# Installing the runner's dependencies and Docker takes 3-6 minutes on e2-standard-2.
readonly timeout_seconds=1800 poll_seconds=10

log() { printf 'bake-image: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
usage() { sed -n '7,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }

while (($# > 0)); do
  case "$1" in
    --project) project="$2"; shift 2 ;;
    --zone) zone="$2"; shift 2 ;;
    --subnet) subnet="$2"; shift 2 ;;
    --family) family="$2"; shift 2 ;;
    --runner-version) runner_version="$2"; shift 2 ;;
    --runner-sha256) runner_sha256="$2"; shift 2 ;;
    --packages) packages="$2"; shift 2 ;;
    --source-image-family) source_family="$2"; shift 2 ;;
    --source-image-project) source_project="$2"; shift 2 ;;
    --machine-type) machine_type="$2"; shift 2 ;;
    --keep-vm) keep_vm=true; shift ;;
    -h | --help) usage ;;
    *) log "unknown argument $1"; usage ;;
  esac
done
[[ -n "$project" && -n "$zone" && -n "$subnet" ]] || usage
if [[ -n "$runner_version" && -z "$runner_sha256" ]]; then die "--runner-version needs --runner-sha256"; fi
command -v gcloud >/dev/null || die "gcloud is not installed"

stamp=$(date -u +%Y%m%d-%H%M%S)
vm="${family}-bake-${stamp}"
image="${family}-${stamp}"
metadata="runner-bake=true"
if [[ -n "$runner_version" ]]; then metadata+=",runner-version=${runner_version},runner-sha256=${runner_sha256}"; fi
if [[ -n "$packages" ]]; then metadata+=",bake-packages=${packages}"; fi

cleanup() {
  if [[ "$keep_vm" == true ]]; then log "keeping ${vm} (--keep-vm)"; return; fi
  log "deleting ${vm}"
  gcloud compute instances delete "$vm" --project "$project" --zone "$zone" --quiet >/dev/null 2>&1 || true
}

log "creating ${vm} from ${source_project}/${source_family}"
gcloud compute instances create "$vm" --project "$project" --zone "$zone" \
  --machine-type "$machine_type" --subnet "$subnet" --no-address \
  --image-family "$source_family" --image-project "$source_project" --boot-disk-size 20GB \
  --shielded-secure-boot --shielded-vtpm --shielded-integrity-monitoring \
  --no-service-account --no-scopes --labels gh-runner-bake=true \
  --metadata "$metadata" --metadata-from-file "startup-script=${here}/startup.sh" >/dev/null
trap cleanup EXIT

log "waiting for the bake to finish and the VM to power off (serial console: gcloud compute instances tail-serial-port-output ${vm} --zone ${zone} --project ${project})"
waited=0
until [[ "$(gcloud compute instances describe "$vm" --project "$project" --zone "$zone" --format 'value(status)')" == TERMINATED ]]; do
  ((waited < timeout_seconds)) || die "${vm} still running after ${timeout_seconds}s"
  sleep "$poll_seconds"
  waited=$((waited + poll_seconds))
done

serial=$(gcloud compute instances get-serial-port-output "$vm" --project "$project" --zone "$zone" 2>/dev/null || true)
done_line=$(grep -o 'gh-runner: bake: done (runner [^)]*)' <<<"$serial" | tail -n 1 || true)
if [[ -z "$done_line" ]]; then
  grep 'gh-runner:' <<<"$serial" | tail -n 20 >&2 || true
  die "the bake did not finish; its last lines are above"
fi
version="${done_line##*(runner }"
version="${version%)}"
log "baked runner ${version}; creating image ${image} in family ${family}"
gcloud compute images create "$image" --project "$project" --family "$family" \
  --source-disk "$vm" --source-disk-zone "$zone" \
  --labels "gh-runner-version=${version//./-}" \
  --description "GitHub Actions runner ${version} on ${source_project}/${source_family}, baked ${stamp}" >/dev/null
log "done: projects/${project}/global/images/family/${family} now resolves to ${image}"
