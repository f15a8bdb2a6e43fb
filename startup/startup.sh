#!/usr/bin/env bash
# Startup script of every runner VM: run exactly one GitHub Actions job, then power off.
#
# The step service puts this file into the VM's `startup-script` metadata. On boot it reads the
# instance attributes below from the metadata server, starts the runner (preinstalled in the image
# under /opt/actions-runner, else a pinned version downloaded and checked against its SHA-256) as
# a dedicated non-root user, powers the VM off when no job has started within the idle timeout,
# and powers it off when the job is over. With `runner-bake=true` it instead installs the runner
# and its dependencies and powers off, so that bake-image.sh can turn the disk into an image.
#
# Instance attributes:
#   jit-config      base64 JIT runner config (secret: never printed, never on a command line)
#   idle-timeout    seconds without a job before the VM powers off (default 600)
#   runner-version  optional runner version to use instead of the preinstalled or pinned one
#   runner-sha256   SHA-256 of that version's linux tarball (needed unless it is the pinned one)
#   runner-bake     "true" on the temporary VM of bake-image.sh only
#   bake-packages   apt packages bake mode installs besides the runner's own dependencies
#
# Environment overrides exist for the tests (a VM boots with none of them): METADATA_URL,
# RUNNER_DOWNLOAD_URL, RUNNER_HOME, RUNNER_USER, POWEROFF_CMD, WATCHDOG_POLL_SECONDS,
# METADATA_RETRIES, METADATA_RETRY_DELAY, STOP_GRACE_SECONDS.
#
# Every line this script prints goes to the serial console (google_metadata_script_runner copies
# startup-script output there and to Cloud Logging), prefixed "gh-runner:".
set -euo pipefail
shopt -s inherit_errexit

# The runner pinned for VMs whose image has none. Bump the three together when GitHub releases a
# runner (startup/README.md, "Refreshing the runner"): GitHub refuses runners that fall behind.
readonly PINNED_RUNNER_VERSION="2.329.0"
readonly PINNED_RUNNER_SHA256_X64="194f1e1e4bd02f80b7e9633fc546084d8d4e19f3928a324d512ea53430102e1d"
readonly PINNED_RUNNER_SHA256_ARM64="56768348b3d643a6a29d4ad71e9bdae0dc0ef1eb01afe0f7a8ee097b039bfaaf"

METADATA_URL="${METADATA_URL:-http://metadata.google.internal/computeMetadata/v1}"
RUNNER_DOWNLOAD_URL="${RUNNER_DOWNLOAD_URL:-https://github.com/actions/runner/releases/download}"
RUNNER_HOME="${RUNNER_HOME:-/opt/actions-runner}"
RUNNER_USER="${RUNNER_USER:-runner}"
POWEROFF_CMD="${POWEROFF_CMD:-poweroff}"
# The metadata server can answer 503 or refuse connections for a few seconds after boot:
# 30 tries 2 s apart ride that out without keeping a broken VM alive for long.
METADATA_RETRIES="${METADATA_RETRIES:-30}"
METADATA_RETRY_DELAY="${METADATA_RETRY_DELAY:-2}"
WATCHDOG_POLL_SECONDS="${WATCHDOG_POLL_SECONDS:-5}"
# The runner gets this long to exit on SIGTERM before it is killed.
STOP_GRACE_SECONDS="${STOP_GRACE_SECONDS:-15}"
readonly DEFAULT_IDLE_TIMEOUT=600
readonly DEFAULT_BAKE_PACKAGES="ca-certificates curl git jq unzip zip docker.io"

RUNNER_DIR=""
RUNNER_PID=""
WATCHDOG_PID=""

# Logs go to stderr: stdout of some functions is a value (a metadata attribute).
log() { printf '%s gh-runner: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Whatever happens (job done, idle, any error), the VM ends powered off: a VM that stays up
# costs money and could take a job it was not made for.
on_exit() {
  local status=$?
  trap - EXIT
  if [[ -n "$WATCHDOG_PID" ]]; then kill "$WATCHDOG_PID" 2>/dev/null || true; fi
  if [[ -n "$RUNNER_PID" ]]; then stop_runner; fi
  log "powering off (exit status ${status})"
  local -a poweroff
  read -ra poweroff <<<"$POWEROFF_CMD"
  "${poweroff[@]}" || log "power-off command failed"
}

# metadata_get KEY: prints the instance attribute. Returns 1 when it is not set (404), 2 when the
# server kept failing or refused the request; retries 5xx, 429 and connection errors.
metadata_get() {
  local key="$1" attempt out code curl_status
  for ((attempt = 1; attempt <= METADATA_RETRIES; attempt++)); do
    curl_status=0
    out=$(curl -sS --max-time 10 -H 'Metadata-Flavor: Google' -w '\n%{http_code}' \
      "${METADATA_URL}/instance/attributes/${key}" 2>/dev/null) || curl_status=$?
    if ((curl_status == 0)); then
      code="${out##*$'\n'}"
      case "$code" in
        200) printf '%s' "${out%$'\n'*}"; return 0 ;;
        404) return 1 ;;
        429 | 5??) log "metadata ${key}: HTTP ${code} (try ${attempt}/${METADATA_RETRIES})" ;;
        *) log "metadata ${key}: HTTP ${code}"; return 2 ;;
      esac
    else
      log "metadata ${key}: connection failed, curl exit ${curl_status} (try ${attempt}/${METADATA_RETRIES})"
    fi
    sleep "$METADATA_RETRY_DELAY"
  done
  return 2
}

# metadata_optional KEY DEFAULT: the attribute, or DEFAULT when it is not set.
metadata_optional() {
  local value status=0
  value=$(metadata_get "$1") || status=$?
  case "$status" in
    0) printf '%s' "$value" ;;
    1) printf '%s' "$2" ;;
    *) return 2 ;;
  esac
}

runner_arch() {
  case "$(uname -m)" in
    x86_64 | amd64) echo x64 ;;
    aarch64 | arm64) echo arm64 ;;
    *) die "unsupported machine architecture $(uname -m)" ;;
  esac
}

ensure_user() {
  if [[ "$RUNNER_USER" == root ]]; then die "the runner must not run as root"; fi
  if ! id -u "$RUNNER_USER" >/dev/null 2>&1; then
    log "creating user ${RUNNER_USER}"
    useradd --system --create-home --shell /bin/bash "$RUNNER_USER"
  fi
  if [[ "$(id -u "$RUNNER_USER")" == 0 ]]; then die "user ${RUNNER_USER} has uid 0"; fi
  if getent group docker >/dev/null && [[ "$(id -u)" == 0 ]]; then usermod -aG docker "$RUNNER_USER"; fi
}

# install_runner VERSION SHA256 DIR: download the tarball, refuse it unless its SHA-256 matches,
# then unpack it. Nothing is unpacked or executed before the check.
install_runner() {
  local version="$1" sha256="$2" dir="$3" arch tarball url
  arch=$(runner_arch)
  tarball=$(mktemp)
  url="${RUNNER_DOWNLOAD_URL}/v${version}/actions-runner-linux-${arch}-${version}.tar.gz"
  log "downloading runner ${version} (${arch}) from ${url}"
  curl -fsSL --retry 5 --retry-connrefused --retry-delay 2 -o "$tarball" "$url" || die "download of runner ${version} failed"
  if ! printf '%s  %s\n' "$sha256" "$tarball" | sha256sum --check --status; then
    rm -f "$tarball"
    die "runner ${version} tarball does not match SHA-256 ${sha256}: refusing it"
  fi
  mkdir -p "$dir"
  tar -xzf "$tarball" -C "$dir"
  rm -f "$tarball"
  printf '%s\n' "$version" >"${dir}/.runner-version"
  if [[ -x "${dir}/bin/installdependencies.sh" && "$(id -u)" == 0 ]]; then
    log "installing the runner's system dependencies"
    "${dir}/bin/installdependencies.sh" >/dev/null || die "bin/installdependencies.sh failed"
  fi
  log "runner ${version} installed in ${dir}"
}

pinned_sha256() {
  case "$(runner_arch)" in
    x64) echo "$PINNED_RUNNER_SHA256_X64" ;;
    arm64) echo "$PINNED_RUNNER_SHA256_ARM64" ;;
  esac
}

# Sets RUNNER_DIR: the preinstalled runner unless metadata asks for another version, else a
# verified download of the requested (or pinned) version.
prepare_runner() {
  local wanted="$1" wanted_sha="$2" baked=""
  if [[ -x "${RUNNER_HOME}/run.sh" ]]; then
    baked=$(cat "${RUNNER_HOME}/.runner-version" 2>/dev/null || echo unknown)
    if [[ -z "$wanted" || "$wanted" == "$baked" ]]; then
      log "using the runner preinstalled in ${RUNNER_HOME} (version ${baked})"
      RUNNER_DIR="$RUNNER_HOME"
      return
    fi
  fi
  local version="${wanted:-$PINNED_RUNNER_VERSION}" sha="$wanted_sha"
  if [[ -z "$sha" ]]; then
    [[ "$version" == "$PINNED_RUNNER_VERSION" ]] || die "runner-version ${version} needs runner-sha256"
    sha=$(pinned_sha256)
  fi
  RUNNER_DIR="$RUNNER_HOME"
  if [[ -n "$baked" ]]; then RUNNER_DIR="${RUNNER_HOME}-${version}"; fi
  install_runner "$version" "$sha" "$RUNNER_DIR"
}

own_runner_dir() {
  if [[ "$(id -u)" != 0 ]]; then return; fi
  if [[ "$(stat -c %U "$RUNNER_DIR")" != "$RUNNER_USER" ]]; then chown -R "${RUNNER_USER}:" "$RUNNER_DIR"; fi
}

# A job has started once the runner has spawned its worker: the worker writes _diag/Worker_*.log
# as its first act. Stale logs are removed before the runner starts.
job_started() {
  compgen -G "${RUNNER_DIR}/_diag/Worker_*.log" >/dev/null && return 0
  pgrep -f "${RUNNER_DIR}/bin/Runner.Worker" >/dev/null 2>&1
}

# The runner runs in a session of its own (setsid), so its process group id is RUNNER_PID and
# one signal reaches run.sh, Runner.Listener and anything they started.
stop_runner() {
  local waited=0
  kill -TERM -- "-${RUNNER_PID}" 2>/dev/null || kill -TERM "$RUNNER_PID" 2>/dev/null || return 0
  while kill -0 -- "-${RUNNER_PID}" 2>/dev/null && ((waited < STOP_GRACE_SECONDS)); do
    sleep 1
    waited=$((waited + 1))
  done
  kill -KILL -- "-${RUNNER_PID}" 2>/dev/null || true
}

# Runs in the background: stops the runner when no job has started within IDLE seconds.
# SECONDS has whole-second resolution, so the timeout is honoured to within a second.
watchdog() {
  local idle="$1" start=$SECONDS
  while ((SECONDS - start < idle)); do
    if job_started; then
      log "a job started; idle watchdog off"
      return 0
    fi
    sleep "$WATCHDOG_POLL_SECONDS"
  done
  job_started && return 0
  log "no job started within ${idle}s: stopping the runner"
  stop_runner
}

# The JIT config reaches the runner through ACTIONS_RUNNER_INPUT_JITCONFIG, which Runner.Listener
# reads exactly like --jitconfig and then removes from its environment: a process environment is
# readable by the same user and root only, where a command line is readable by every user (ps).
start_runner() {
  local jit="$1" home
  home=$(getent passwd "$RUNNER_USER" | cut -d: -f6)
  local -a as_user=()
  if [[ "$(id -u)" == 0 ]]; then
    as_user=(setpriv "--reuid=${RUNNER_USER}" "--regid=$(id -g "$RUNNER_USER")" --init-groups --)
  elif [[ "$(id -un)" != "$RUNNER_USER" ]]; then
    die "not root, so cannot switch to ${RUNNER_USER}"
  fi
  (
    cd "$RUNNER_DIR"
    export HOME="$home" USER="$RUNNER_USER" LOGNAME="$RUNNER_USER"
    export ACTIONS_RUNNER_INPUT_JITCONFIG="$jit"
    exec setsid --wait "${as_user[@]}" ./run.sh
  ) &
  RUNNER_PID=$!
}

bake() {
  local packages version sha
  local -a package_list
  packages=$(metadata_optional bake-packages "$DEFAULT_BAKE_PACKAGES") || die "cannot read bake-packages"
  version=$(metadata_optional runner-version "$PINNED_RUNNER_VERSION") || die "cannot read runner-version"
  sha=$(metadata_optional runner-sha256 "") || die "cannot read runner-sha256"
  log "bake: installing packages: ${packages}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  read -ra package_list <<<"$packages"
  apt-get install -y -q --no-install-recommends "${package_list[@]}" >/dev/null
  # Runner VMs live for one job: apt's daily timers would hold the dpkg lock while a job runs
  # apt-get. Updates arrive with the next bake instead.
  systemctl disable --now apt-daily.timer apt-daily-upgrade.timer unattended-upgrades.service >/dev/null 2>&1 || true
  ensure_user
  rm -rf "$RUNNER_HOME"
  prepare_runner "$version" "$sha"
  own_runner_dir
  apt-get clean
  rm -rf /var/lib/apt/lists/* "${RUNNER_HOME}/_diag"
  sync
  log "bake: done (runner $(cat "${RUNNER_HOME}/.runner-version"))"
}

run_one_job() {
  local jit status=0 idle version sha
  jit=$(metadata_get jit-config) || status=$?
  case "$status" in
    0) ;;
    1) die "instance attribute jit-config is not set" ;;
    *) die "cannot read jit-config from the metadata server" ;;
  esac
  [[ -n "$jit" ]] || die "instance attribute jit-config is empty"
  idle=$(metadata_optional idle-timeout "$DEFAULT_IDLE_TIMEOUT") || die "cannot read idle-timeout"
  if ! [[ "$idle" =~ ^[0-9]+$ ]] || ((idle == 0)); then
    log "idle-timeout \"${idle}\" is not a positive number of seconds; using ${DEFAULT_IDLE_TIMEOUT}"
    idle=$DEFAULT_IDLE_TIMEOUT
  fi
  version=$(metadata_optional runner-version "") || die "cannot read runner-version"
  sha=$(metadata_optional runner-sha256 "") || die "cannot read runner-sha256"

  ensure_user
  prepare_runner "$version" "$sha"
  rm -rf "${RUNNER_DIR}/_diag"
  own_runner_dir

  log "starting the runner as ${RUNNER_USER}; idle timeout ${idle}s"
  start_runner "$jit"
  unset jit
  watchdog "$idle" &
  WATCHDOG_PID=$!

  status=0
  wait "$RUNNER_PID" || status=$?
  RUNNER_PID=""
  log "runner exited with status ${status}"
}

main() {
  trap on_exit EXIT
  trap 'exit 143' TERM INT
  local bake_mode
  bake_mode=$(metadata_optional runner-bake false) || die "cannot read runner-bake"
  if [[ "$bake_mode" == true ]]; then bake; else run_one_job; fi
}

main "$@"
