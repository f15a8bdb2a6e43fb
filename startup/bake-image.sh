#!/usr/bin/env bash
# Bakes a runner image: boots a temporary VM with startup.sh in bake mode (it installs the
# runner, its dependencies, Docker, git and build tools, cleans what VMs must not share, then
# powers off), turns its disk into an image of the architecture's family, deletes the VM, and
# prunes the family to its newest images. Runner templates that name the family
# (global/images/family/F) get the newest image on their next VM.
#
# Usage:
#   startup/bake-image.sh --project P --zone Z --subnet S [--arch x64|arm64] [--family F]
#       [--runner-version V --runner-sha256 SHA] [--releases-url URL] [--keep 3]
#       [--if-older-than-days N] [--packages "apt packages"] [--machine-type T] [--keep-vm]
#
# S is the runner subnetwork (`terraform output -raw runner_subnetwork`): the temporary VM has no
# external IP either and reaches GitHub and the apt mirrors through Cloud NAT, so Z must be a zone
# of that subnetwork's region (with T2A machines for arm64, e.g. us-central1-a). Without
# --runner-version, the latest actions/runner release is read from the GitHub API (or
# --releases-url) with its tarball's SHA-256. With --if-older-than-days N, nothing is baked when
# the family's newest image already has that runner and is younger than N days. Needs gcloud,
# curl and python3, as someone who may create instances and images in P.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
project="" zone="" subnet="" family="" arch="x64" keep_vm=false keep=3 max_age_days=""
runner_version="" runner_sha256="" packages="" machine_type=""
releases_url="https://api.github.com/repos/actions/runner/releases/latest"
# Installing Docker, build tools and the runner's dependencies takes 3-6 minutes on e2-standard-2.
readonly timeout_seconds=1800 poll_seconds=10

log() { printf 'bake-image: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
usage() { sed -n '8,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }

while (($# > 0)); do
  case "$1" in
    --project) project="$2"; shift 2 ;;
    --zone) zone="$2"; shift 2 ;;
    --subnet) subnet="$2"; shift 2 ;;
    --arch) arch="$2"; shift 2 ;;
    --family) family="$2"; shift 2 ;;
    --runner-version) runner_version="$2"; shift 2 ;;
    --runner-sha256) runner_sha256="$2"; shift 2 ;;
    --releases-url) releases_url="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    --if-older-than-days) max_age_days="$2"; shift 2 ;;
    --packages) packages="$2"; shift 2 ;;
    --machine-type) machine_type="$2"; shift 2 ;;
    --keep-vm) keep_vm=true; shift ;;
    -h | --help) usage ;;
    *) log "unknown argument $1"; usage ;;
  esac
done
[[ -n "$project" && -n "$zone" && -n "$subnet" ]] || usage
case "$arch" in
  x64) source_family="ubuntu-2404-lts-amd64" default_machine="e2-standard-2" ;;
  arm64) source_family="ubuntu-2404-lts-arm64" default_machine="t2a-standard-2" ;;
  *) die "--arch must be x64 or arm64" ;;
esac
readonly source_project="ubuntu-os-cloud"
family="${family:-github-runner-${arch}}"
machine_type="${machine_type:-$default_machine}"
[[ "$keep" =~ ^[1-9][0-9]*$ ]] || die "--keep must be a positive number"
if [[ -n "$runner_version" && -z "$runner_sha256" ]]; then die "--runner-version needs --runner-sha256"; fi
command -v gcloud >/dev/null || die "gcloud is not installed"

# Prints "VERSION SHA256" of the latest release: the asset's digest, else the notes' SHA marker.
latest_release() {
  curl -fsSL --connect-timeout 10 --max-time 60 -H 'Accept: application/vnd.github+json' "$releases_url" |
    python3 -c '
import json, re, sys
release = json.load(sys.stdin)
version = re.fullmatch(r"v?(\d+\.\d+\.\d+)", release["tag_name"]).group(1)
name = f"actions-runner-linux-{sys.argv[1]}-{version}.tar.gz"
asset = next(a for a in release["assets"] if a["name"] == name)
digest = (asset.get("digest") or "").removeprefix("sha256:")
notes = re.search(rf"<!-- BEGIN SHA linux-{sys.argv[1]} -->([0-9a-f]{{64}})<!-- END SHA", release.get("body") or "")
sha = digest or (notes.group(1) if notes else "")
assert re.fullmatch(r"[0-9a-f]{64}", sha), "no SHA-256 for " + name
print(version, sha)' "$arch"
}

if [[ -z "$runner_version" ]]; then
  read -r runner_version runner_sha256 < <(latest_release) || die "cannot read the latest runner release from ${releases_url}"
  log "latest runner release: ${runner_version}"
fi

# The family's newest image, as "NAME VERSION-LABEL CREATED".
newest=$(gcloud compute images list --project "$project" --filter "family=${family}" --sort-by ~creationTimestamp --limit 1 \
  --format 'value(name,labels.gh-runner-version,creationTimestamp)' 2>/dev/null || true)
if [[ -n "$max_age_days" && -n "$newest" ]]; then
  read -r newest_name newest_version newest_created <<<"$newest"
  age_days=$((($(date +%s) - $(date -d "$newest_created" +%s)) / 86400))
  if [[ "$newest_version" == "${runner_version//./-}" ]] && ((age_days < max_age_days)); then
    log "${newest_name} already has runner ${runner_version} and is ${age_days} day(s) old: nothing to bake"
    exit 0
  fi
fi

stamp=$(date -u +%Y%m%d-%H%M%S)
vm="${family}-bake-${stamp}"
image="${family}-${stamp}"
metadata="runner-bake=true,runner-version=${runner_version},runner-sha256-${arch}=${runner_sha256}"
if [[ -n "$packages" ]]; then metadata+=",bake-packages=${packages}"; fi

cleanup() {
  if [[ "$keep_vm" == true ]]; then log "keeping ${vm} (--keep-vm)"; return; fi
  log "deleting ${vm}"
  gcloud compute instances delete "$vm" --project "$project" --zone "$zone" --quiet >/dev/null 2>&1 || true
}

log "creating ${vm} (${machine_type}) from ${source_project}/${source_family}"
trap cleanup EXIT
gcloud compute instances create "$vm" --project "$project" --zone "$zone" \
  --machine-type "$machine_type" --subnet "$subnet" --no-address \
  --image-family "$source_family" --image-project "$source_project" --boot-disk-size 20GB \
  --shielded-secure-boot --shielded-vtpm --shielded-integrity-monitoring \
  --no-service-account --no-scopes --labels gh-runner-bake=true \
  --metadata "$metadata" --metadata-from-file "startup-script=${here}/startup.sh" >/dev/null

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
  --labels "gh-runner-version=${version//./-},gh-runner-arch=${arch}" \
  --description "GitHub Actions runner ${version} (linux-${arch} sha256 ${runner_sha256}) on ${source_project}/${source_family}, baked ${stamp}" >/dev/null
log "done: projects/${project}/global/images/family/${family} now resolves to ${image}"

# Keep the newest few: an image that turns out bad is rolled back by deprecating it (the family
# then resolves to the one before), and older ones only cost storage.
gcloud compute images list --project "$project" --filter "family=${family}" --sort-by ~creationTimestamp --format 'value(name)' |
  tail -n "+$((keep + 1))" | while read -r old; do
  log "pruning ${old} (keeping the newest ${keep})"
  gcloud compute images delete "$old" --project "$project" --quiet >/dev/null || log "could not delete ${old}"
done
