#!/usr/bin/env bash
# Startup script of every runner VM: run exactly one GitHub Actions job, then power off.
#
# The step service puts this file into the VM's `startup-script` metadata. On boot it starts a
# watchdog with an overall boot deadline, reads the instance attributes below from the metadata
# server, starts the runner (the version the steps service resolved from GitHub's releases,
# downloaded and checked against its SHA-256, or the one preinstalled in a baked image) as a
# dedicated non-root user, powers the VM off when no job has started within the idle timeout, and
# powers it off when the job is over. With `runner-bake=true` it instead installs the runner and
# its dependencies, cleans what must not be shared between VMs, and powers off, so that
# bake-image.sh can turn the disk into an image.
#
# Instance attributes:
#   jit-config            base64 JIT runner config (secret: never printed, never on a command line)
#   idle-timeout          seconds without a job before the VM powers off (default 600)
#   boot-deadline         seconds from boot to a started runner before the VM gives up (default 600)
#   runner-version        the runner version to run; absent: the one preinstalled in the image
#   runner-sha256-x64     SHA-256 of that version's linux-x64 tarball (and -arm64 for arm64); the
#   runner-sha256-arm64   VM reads the key of its own architecture, else `runner-sha256`
#   runner-bake           "true" on the temporary VM of bake-image.sh only
#   bake-packages         apt packages bake mode installs besides the runner's own dependencies
#
# Environment overrides exist for the tests (a VM boots with none of them): METADATA_URL,
# RUNNER_DOWNLOAD_URL, RUNNER_HOME, RUNNER_USER, POWEROFF_CMD, WATCHDOG_POLL_SECONDS,
# METADATA_RETRIES, METADATA_RETRY_DELAY, STOP_GRACE_SECONDS, DOWNLOAD_MAX_TIME, APT_LOCK_FILES,
# APT_LOCK_WAIT_SECONDS, DEPS_MARKER, BAKE_CLEAN_ROOT.
#
# Every line this script prints goes to the serial console (google_metadata_script_runner copies
# startup-script output there and to Cloud Logging), prefixed "gh-runner:". The lines that mark
# the stages of a boot ("stage: ...") are what startup/time-boots.sh measures.
set -euo pipefail
shopt -s inherit_errexit

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
# A process gets this long to exit on SIGTERM before it is sent SIGKILL.
STOP_GRACE_SECONDS="${STOP_GRACE_SECONDS:-15}"
# The runner tarball is ~200 MB: a minute at the slowest Cloud NAT egress we have seen; a transfer
# under 10 kB/s for 30 s is stalled and is abandoned sooner.
DOWNLOAD_MAX_TIME="${DOWNLOAD_MAX_TIME:-300}"
APT_LOCK_FILES="${APT_LOCK_FILES:-/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock}"
# unattended-upgrades on a stock image's first boot holds the dpkg lock for 1-4 minutes.
APT_LOCK_WAIT_SECONDS="${APT_LOCK_WAIT_SECONDS:-300}"
# Written once the runner's system dependencies are installed (by a bake): boots skip apt then.
DEPS_MARKER="${DEPS_MARKER:-/var/lib/gh-runner/dependencies-installed}"
BAKE_CLEAN_ROOT="${BAKE_CLEAN_ROOT:-}"
readonly DEFAULT_IDLE_TIMEOUT=600
# The steps service gives a VM 10 minutes of boot grace in maxRunDuration: the same bound here.
readonly DEFAULT_BOOT_DEADLINE=600
readonly DEFAULT_BAKE_PACKAGES="ca-certificates curl git jq unzip zip build-essential docker.io"

MAIN_PID=$$
STATE_DIR=""
RUNNER_DIR=""
RUNNER_PID=""
WATCHDOG_PID=""

# Logs go to stderr: stdout of some functions is a value (a metadata attribute).
log() { printf '%s gh-runner: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

power_off() {
  local -a poweroff
  read -ra poweroff <<<"$POWEROFF_CMD"
  "${poweroff[@]}" || log "power-off command failed"
}

# Whatever happens (job done, idle, any error), the VM ends powered off: a VM that stays up
# costs money and could take a job it was not made for.
on_exit() {
  local status=$?
  trap - EXIT
  if [[ -n "$WATCHDOG_PID" ]]; then kill "$WATCHDOG_PID" 2>/dev/null || true; fi
  if [[ -n "$RUNNER_PID" ]]; then stop_group "$RUNNER_PID" runner; fi
  if [[ -n "$STATE_DIR" ]]; then rm -rf "$STATE_DIR"; fi
  log "powering off (exit status ${status})"
  power_off
}

# stop_group PGID NAME: SIGTERM to the whole process group, SIGKILL to what is left after
# STOP_GRACE_SECONDS. The runner's Listener needs a few seconds to end its session with GitHub.
stop_group() {
  local pgid="$1" name="$2" waited=0
  kill -TERM -- "-${pgid}" 2>/dev/null || return 0
  while kill -0 -- "-${pgid}" 2>/dev/null; do
    if ((waited >= STOP_GRACE_SECONDS)); then
      log "${name} still running ${STOP_GRACE_SECONDS}s after SIGTERM: sending SIGKILL"
      kill -KILL -- "-${pgid}" 2>/dev/null || true
      return 0
    fi
    sleep 1
    waited=$((waited + 1))
  done
}

# The watchdog reads its deadline from a file the script rewrites as the boot advances:
# "EPOCH-SECONDS REASON". No file: no deadline (a job is running; maxRunDuration bounds it).
set_deadline() {
  printf '%s %s\n' "$(($(date +%s) + $1))" "$2" >"${STATE_DIR}/deadline.tmp"
  mv -f "${STATE_DIR}/deadline.tmp" "${STATE_DIR}/deadline"
}

# The reason is "OUTCOME (DETAIL)", logged as the runner's outcome if the deadline passes.
boot_deadline_reason() { printf 'boot-timeout (the runner had not started %ss after boot)' "$1"; }

# A job has started once the runner has spawned its worker: the worker writes _diag/Worker_*.log
# as its first act. Stale logs are removed before the runner starts.
job_started() {
  [[ -n "$RUNNER_DIR" ]] || return 1
  compgen -G "${RUNNER_DIR}/_diag/Worker_*.log" >/dev/null && return 0
  pgrep -f "${RUNNER_DIR}/bin/Runner.Worker" >/dev/null 2>&1
}

# children_of PID: its child processes, read from /proc (procps is not on every image).
children_of() {
  local stat line ppid
  for stat in /proc/[0-9]*/stat; do
    line=$(cat "$stat" 2>/dev/null) || continue
    # The command name, in parentheses, may hold spaces: the parent pid is the 2nd field after it.
    read -r _ ppid _ <<<"${line##*) }"
    if [[ "$ppid" == "$1" ]]; then
      stat="${stat#/proc/}"
      printf '%s\n' "${stat%/stat}"
    fi
  done
}

# descendants PID EXCEPT: its children, their children and so on, leaving out EXCEPT (the
# watchdog: called in $(...), BASHPID would be the subshell's).
descendants() {
  local child
  for child in $(children_of "$1"); do
    if [[ "$child" != "$2" ]]; then
      printf '%s\n' "$child"
      descendants "$child" "$2"
    fi
  done
}

# The deadline passed. With a runner running (the idle timeout), stopping it is enough: the
# script is waiting for it and powers off. Before that, the script is asked to exit (its EXIT trap
# powers off); as bash runs a trap only once the foreground command returns, a hung command would
# hold it, so after STOP_GRACE_SECONDS it is killed and the watchdog powers off.
expire() {
  local reason="$1" waited=0 runner_pgid tree pid self
  touch "${STATE_DIR}/expired"
  log "runner outcome: ${reason}"
  runner_pgid=$(cat "${STATE_DIR}/runner-pgid" 2>/dev/null || true)
  if [[ -n "$runner_pgid" ]]; then
    stop_group "$runner_pgid" runner
    return 0
  fi
  kill -TERM "$MAIN_PID" 2>/dev/null || return 0
  while kill -0 "$MAIN_PID" 2>/dev/null; do
    if ((waited >= STOP_GRACE_SECONDS)); then
      log "the startup script did not stop ${STOP_GRACE_SECONDS}s after SIGTERM: killing it"
      # The script first, so that it cannot run its EXIT trap (and power off a second time) when
      # its hung command dies; then what it had started, listed while they were still its own.
      self=$BASHPID
      tree=$(descendants "$MAIN_PID" "$self")
      kill -KILL "$MAIN_PID" 2>/dev/null || true
      for pid in $tree; do kill -KILL "$pid" 2>/dev/null || true; done
      rm -rf "$STATE_DIR"
      log "powering off (watchdog)"
      power_off
      return 0
    fi
    sleep 1
    waited=$((waited + 1))
  done
}

# Runs in the background from the top of the script until a job starts.
watchdog() {
  local deadline reason
  while true; do
    if [[ -f "${STATE_DIR}/runner-pgid" ]] && RUNNER_DIR=$(cat "${STATE_DIR}/runner-dir") && job_started; then
      log "a job started; idle watchdog off"
      return 0
    fi
    if read -r deadline reason <"${STATE_DIR}/deadline" 2>/dev/null && (($(date +%s) >= deadline)); then
      expire "$reason"
      return 0
    fi
    sleep "$WATCHDOG_POLL_SECONDS"
  done
}

# metadata_get KEY: prints the instance attribute. Returns 1 when it is not set (404), 2 when the
# server kept failing or refused the request; retries 5xx, 429 and connection errors.
metadata_get() {
  local key="$1" attempt out code curl_status
  for ((attempt = 1; attempt <= METADATA_RETRIES; attempt++)); do
    curl_status=0
    out=$(curl -sS --connect-timeout 2 --max-time 10 -H 'Metadata-Flavor: Google' -w '\n%{http_code}' \
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

# seconds VALUE DEFAULT NAME: VALUE when it is a positive whole number, else DEFAULT (logged).
seconds() {
  if [[ "$1" =~ ^[0-9]+$ ]] && (($1 > 0)); then printf '%s' "$1"; return; fi
  log "$3 \"$1\" is not a positive number of seconds; using $2"
  printf '%s' "$2"
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

apt_locked() {
  local held file
  held=$(lslocks --noheadings --output PATH 2>/dev/null || true)
  for file in $APT_LOCK_FILES; do
    if grep -qxF "$file" <<<"$held"; then return 0; fi
  done
  return 1
}

# A stock image's first boot runs unattended-upgrades, which holds the dpkg lock: wait for it
# rather than fail. apt itself also waits (DPkg::Lock::Timeout) should another run start between.
wait_for_apt_locks() {
  local waited=0
  while apt_locked; do
    if ((waited == 0)); then log "waiting for apt/dpkg locks held by another apt run"; fi
    ((waited < APT_LOCK_WAIT_SECONDS)) || die "apt/dpkg locks still held after ${APT_LOCK_WAIT_SECONDS}s"
    sleep 1
    waited=$((waited + 1))
  done
  if ((waited > 0)); then log "apt/dpkg locks free after ${waited}s"; fi
  APT_CONFIG="${STATE_DIR}/apt.conf"
  printf 'DPkg::Lock::Timeout "%s";\n' "$APT_LOCK_WAIT_SECONDS" >"$APT_CONFIG"
  export APT_CONFIG
}

install_dependencies() {
  local dir="$1"
  if [[ -f "$DEPS_MARKER" || ! -x "${dir}/bin/installdependencies.sh" || "$(id -u)" != 0 ]]; then return 0; fi
  wait_for_apt_locks
  log "installing the runner's system dependencies"
  "${dir}/bin/installdependencies.sh" >/dev/null || die "bin/installdependencies.sh failed"
  mkdir -p "$(dirname "$DEPS_MARKER")"
  touch "$DEPS_MARKER"
}

# install_runner VERSION SHA256 DIR: download the tarball, refuse it unless its SHA-256 matches,
# then unpack it. Nothing is unpacked or executed before the check.
install_runner() {
  local version="$1" sha256="$2" dir="$3" arch tarball url
  arch=$(runner_arch)
  tarball="${STATE_DIR}/runner.tar.gz"
  url="${RUNNER_DOWNLOAD_URL}/v${version}/actions-runner-linux-${arch}-${version}.tar.gz"
  log "stage: download-start runner ${version} (${arch}) from ${url}"
  curl -fsSL --connect-timeout 10 --max-time "$DOWNLOAD_MAX_TIME" --speed-limit 10240 --speed-time 30 \
    --retry 3 --retry-connrefused --retry-delay 2 -o "$tarball" "$url" || die "download of runner ${version} failed"
  if ! printf '%s  %s\n' "$sha256" "$tarball" | sha256sum --check --status; then
    rm -f "$tarball"
    die "runner ${version} tarball does not match SHA-256 ${sha256}: refusing it"
  fi
  mkdir -p "$dir"
  tar -xzf "$tarball" -C "$dir"
  rm -f "$tarball"
  printf '%s\n' "$version" >"${dir}/.runner-version"
  install_dependencies "$dir"
  log "stage: runner-installed ${version} in ${dir}"
}

# Sets RUNNER_DIR: the preinstalled runner when it is the version asked for (or none is asked
# for), else a verified download of the version asked for.
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
  [[ -n "$wanted" ]] || die "no runner-version in the metadata and no runner preinstalled in ${RUNNER_HOME}"
  [[ "$wanted_sha" =~ ^[0-9a-f]{64}$ ]] || die "runner-version ${wanted} needs runner-sha256-$(runner_arch) (64 hex digits)"
  RUNNER_DIR="$RUNNER_HOME"
  if [[ -n "$baked" ]]; then RUNNER_DIR="${RUNNER_HOME}-${wanted}"; fi
  install_runner "$wanted" "$wanted_sha" "$RUNNER_DIR"
}

# The runner writes its credentials (.runner, .credentials, .credentials_rsaparams: the RSA key
# that is this runner's identity) with 0666 masked by the umask. They are created here first, 0600,
# and the writes keep that mode; the directory is 0700 for whatever else it writes. The runner's own
# umask stays 022: every job step inherits it, and a checkout made under 077 breaks Docker images
# that run as another user.
own_runner_dir() {
  local file
  rm -rf "${RUNNER_DIR}/_diag"
  for file in .runner .credentials .credentials_rsaparams; do
    rm -f "${RUNNER_DIR:?}/${file}"
    install -m 600 /dev/null "${RUNNER_DIR}/${file}"
  done
  if [[ "$(id -u)" == 0 && "$(stat -c %U "$RUNNER_DIR")" != "$RUNNER_USER" ]]; then chown -R "${RUNNER_USER}:" "$RUNNER_DIR"; fi
  if [[ "$(id -u)" == 0 ]]; then chown "${RUNNER_USER}:" "${RUNNER_DIR}"/.runner "${RUNNER_DIR}"/.credentials*; fi
  chmod 700 "$RUNNER_DIR"
}

# The JIT config reaches the runner through ACTIONS_RUNNER_INPUT_JITCONFIG, which Runner.Listener
# reads exactly like --jitconfig and then removes from its environment: a process environment is
# readable by the same user and root only, where a command line is readable by every user (ps).
# ACTIONS_RUNNER_RETURN_VERSION_DEPRECATED_EXIT_CODE=1 makes run.sh exit 7 when GitHub refuses the
# runner's version, where it would exit 0 (actions/runner src/Misc/layoutroot/run.sh).
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
    export ACTIONS_RUNNER_INPUT_JITCONFIG="$jit" ACTIONS_RUNNER_RETURN_VERSION_DEPRECATED_EXIT_CODE=1
    # A background subshell is not a process group leader, so setsid makes it the leader of a
    # new session and group without forking: the group id is RUNNER_PID.
    exec setsid "${as_user[@]}" ./run.sh
  ) &
  RUNNER_PID=$!
  printf '%s\n' "$RUNNER_PID" >"${STATE_DIR}/runner-pgid"
}

# What the runner did, from its exit status and its diagnostics: run.sh turns most of the
# listener's exit codes into 0, so the status alone cannot tell a finished job from a refusal.
# The listener's log (_diag/Runner_*.log) has every terminal line ("WRITE LINE: ... Job X completed
# with result: R", "WRITE ERROR: An error occurred: ...") and "Runner execution has finished with
# return code N" (actions/runner src/Runner.Common/Terminal.cs, src/Runner.Listener/Program.cs).
report_outcome() {
  local status="$1" diag result errors code outcome detail line
  if [[ -f "${STATE_DIR}/expired" ]]; then return 1; fi
  diag=$(cat "${RUNNER_DIR}"/_diag/Runner_*.log 2>/dev/null || true)
  result=$(grep -oE 'completed with result: [A-Za-z]+' <<<"$diag" | tail -n 1 | sed 's/.*: //' || true)
  errors=$(grep -oE 'WRITE ERROR: .*' <<<"$diag" | sed 's/^WRITE ERROR: //' | tail -n 3 || true)
  code=$(grep -oE 'Runner execution has finished with return code [0-9]+' <<<"$diag" | tail -n 1 | grep -oE '[0-9]+$' || true)
  if ((status == 7)) || grep -qiE 'is deprecated and cannot receive messages' <<<"$diag"; then
    outcome=refused detail="GitHub refuses runner version $(cat "${RUNNER_DIR}/.runner-version" 2>/dev/null || echo unknown) as deprecated"
  elif [[ -n "$result" ]]; then
    outcome=job-done detail="job result ${result}"
  elif compgen -G "${RUNNER_DIR}/_diag/Worker_*.log" >/dev/null; then
    outcome=crashed detail="a job started but never completed (run.sh status ${status})"
  elif [[ -z "$diag" ]]; then
    outcome=crashed detail="run.sh exited with status ${status} before the runner wrote its diagnostics"
  elif [[ -n "$errors" || (-n "$code" && "$code" != 0) ]]; then
    outcome=refused detail="the runner stopped with return code ${code:-unknown} before taking a job"
  elif [[ -z "$code" || "$status" != 0 ]]; then
    outcome=crashed detail="the runner ended without finishing (run.sh status ${status})"
  else
    outcome=no-job detail="the runner exited without taking a job"
  fi
  while IFS= read -r line; do
    if [[ -n "$line" ]]; then log "runner said: ${line}"; fi
  done <<<"$errors"
  log "runner outcome: ${outcome} (${detail})"
  [[ "$outcome" == job-done ]]
}

run_one_job() {
  local jit status=0 idle version sha arch
  jit=$(metadata_get jit-config) || status=$?
  case "$status" in
    0) ;;
    1) die "instance attribute jit-config is not set" ;;
    *) die "cannot read jit-config from the metadata server" ;;
  esac
  [[ -n "$jit" ]] || die "instance attribute jit-config is empty"
  idle=$(metadata_optional idle-timeout "$DEFAULT_IDLE_TIMEOUT") || die "cannot read idle-timeout"
  idle=$(seconds "$idle" "$DEFAULT_IDLE_TIMEOUT" idle-timeout)
  arch=$(runner_arch)
  version=$(metadata_optional runner-version "") || die "cannot read runner-version"
  sha=$(metadata_optional "runner-sha256-${arch}" "") || die "cannot read runner-sha256-${arch}"
  if [[ -z "$sha" ]]; then sha=$(metadata_optional runner-sha256 "") || die "cannot read runner-sha256"; fi

  ensure_user
  prepare_runner "$version" "$sha"
  own_runner_dir

  printf '%s\n' "$RUNNER_DIR" >"${STATE_DIR}/runner-dir"
  set_deadline "$idle" "idle (no job started within ${idle}s: stopping the runner)"
  log "stage: runner-start as ${RUNNER_USER}; idle timeout ${idle}s"
  start_runner "$jit"
  unset jit

  status=0
  wait "$RUNNER_PID" || status=$?
  RUNNER_PID=""
  report_outcome "$status"
}

# What a VM made from the image must not share with the others: the machine id (systemd makes a
# new one when the file is empty), SSH host keys (the guest agent makes new ones), logs, caches.
clean_for_image() {
  local root="$BAKE_CLEAN_ROOT"
  if [[ -z "$root" ]]; then
    apt-get clean
    if command -v cloud-init >/dev/null; then cloud-init clean --logs >/dev/null 2>&1 || true; fi
    if command -v journalctl >/dev/null; then journalctl --rotate --vacuum-time=1s >/dev/null 2>&1 || true; fi
  fi
  truncate -s 0 "${root}/etc/machine-id" 2>/dev/null || true
  rm -f "${root}/var/lib/dbus/machine-id" "${root}"/etc/ssh/ssh_host_*
  rm -rf "${root}"/var/lib/apt/lists/* "${root}"/var/log/journal/* "${root}"/var/tmp/* \
    "${root}/root/.cache" "${root}/root/.bash_history" "${RUNNER_HOME:?}/_diag"
  # /tmp holds this script's own state until it exits.
  find "${root}/tmp" -mindepth 1 -maxdepth 1 ! -path "$STATE_DIR" -exec rm -rf {} + 2>/dev/null || true
  if [[ -d "${root}/var/log" ]]; then find "${root}/var/log" -type f -exec truncate -s 0 {} +; fi
}

bake() {
  local packages version sha arch
  local -a package_list
  arch=$(runner_arch)
  packages=$(metadata_optional bake-packages "$DEFAULT_BAKE_PACKAGES") || die "cannot read bake-packages"
  version=$(metadata_optional runner-version "") || die "cannot read runner-version"
  sha=$(metadata_optional "runner-sha256-${arch}" "") || die "cannot read runner-sha256-${arch}"
  if [[ -z "$sha" ]]; then sha=$(metadata_optional runner-sha256 "") || die "cannot read runner-sha256"; fi
  [[ -n "$version" ]] || die "bake needs runner-version and runner-sha256-${arch}"
  log "bake: installing packages: ${packages}"
  export DEBIAN_FRONTEND=noninteractive
  wait_for_apt_locks
  apt-get update -q >/dev/null
  read -ra package_list <<<"$packages"
  apt-get install -y -q --no-install-recommends "${package_list[@]}" >/dev/null
  # Runner VMs live for one job: apt's daily timers would hold the dpkg lock while a job runs
  # apt-get. Updates arrive with the next bake instead.
  systemctl disable --now apt-daily.timer apt-daily-upgrade.timer unattended-upgrades.service >/dev/null 2>&1 || true
  ensure_user
  rm -rf "$RUNNER_HOME" "$DEPS_MARKER"
  RUNNER_DIR="$RUNNER_HOME"
  install_runner "$version" "$sha" "$RUNNER_HOME"
  chown -R "${RUNNER_USER}:" "$RUNNER_HOME"
  clean_for_image
  sync
  log "bake: done (runner $(cat "${RUNNER_HOME}/.runner-version"))"
}

main() {
  local bake_mode deadline
  STATE_DIR=$(mktemp -d)
  chmod 700 "$STATE_DIR"
  trap on_exit EXIT
  trap 'exit 143' TERM INT
  log "stage: script-start"
  # The watchdog starts before anything that can hang: a stalled metadata server or download
  # still ends in power-off.
  set_deadline "$DEFAULT_BOOT_DEADLINE" "$(boot_deadline_reason "$DEFAULT_BOOT_DEADLINE")"
  watchdog &
  WATCHDOG_PID=$!
  bake_mode=$(metadata_optional runner-bake false) || die "cannot read runner-bake"
  if [[ "$bake_mode" == true ]]; then
    # Installing Docker, build tools and the runner takes 3-6 minutes on e2-standard-2.
    set_deadline 1800 "bake-timeout (the bake did not finish within 1800s)"
    bake
    return
  fi
  deadline=$(metadata_optional boot-deadline "$DEFAULT_BOOT_DEADLINE") || die "cannot read boot-deadline"
  deadline=$(seconds "$deadline" "$DEFAULT_BOOT_DEADLINE" boot-deadline)
  set_deadline "$deadline" "$(boot_deadline_reason "$deadline")"
  run_one_job
}

main "$@"
