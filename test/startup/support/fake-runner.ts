import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * Stands in for the runner's run.sh. It writes what it was given to FAKE_RUNNER_RECORD, writes its credentials as Runner.Listener
 * does (File.WriteAllBytes: mode 0666 masked by the umask, an existing file keeps its mode) and
 * its diagnostics the way the real listener words them, then, by FAKE_RUNNER_MODE:
 * `job` gets a job (the worker writes _diag/Worker_*.log) and exits; `idle` waits for a job that
 * never comes; `stubborn` does too and ignores SIGTERM; `refused` is refused by GitHub as a
 * deprecated version (run.sh exits 7 when ACTIONS_RUNNER_RETURN_VERSION_DEPRECATED_EXIT_CODE=1,
 * else 0); `crash` dies before writing a result.
 */
export const fakeRunScript = `#!/usr/bin/env bash
set -eu
record="\${FAKE_RUNNER_RECORD:?}"
{
  printf 'uid=%s\\n' "$(id -u)"
  printf 'user=%s\\n' "$(id -un)"
  printf 'argc=%s\\n' "$#"
  printf 'args=%s\\n' "$*"
  printf 'jit=%s\\n' "\${ACTIONS_RUNNER_INPUT_JITCONFIG:-}"
  printf 'home=%s\\n' "$HOME"
  printf 'umask=%s\\n' "$(umask)"
  printf 'version=%s\\n' "$(cat .runner-version 2>/dev/null || true)"
} >"$record"
for file in .runner .credentials .credentials_rsaparams; do printf 'secret' >"$file"; done
mkdir -p _diag
diag="_diag/Runner_20261204-100000-utc.log"
line() { printf '[2026-12-04 10:00:00Z %s] %s\\n' "$1" "$2" >>"$diag"; }
line 'INFO Listener' 'Version: fake'
case "\${FAKE_RUNNER_MODE:-job}" in
  job)
    line 'INFO Terminal' 'WRITE LINE: 2026-12-04 10:00:01Z: Listening for Jobs'
    echo "worker" >_diag/Worker_20261204-100002-utc.log
    line 'INFO Terminal' 'WRITE LINE: 2026-12-04 10:00:02Z: Running job: build'
    echo "Running job: build"
    sleep 0.3
    echo "done" >>"$record"
    line 'INFO Terminal' 'WRITE LINE: 2026-12-04 10:00:03Z: Job build completed with result: Succeeded'
    line 'INFO Listener' 'Runner execution has finished with return code 0'
    echo "Job build completed with result: Succeeded"
    ;;
  idle | stubborn)
    if [[ "\${FAKE_RUNNER_MODE}" == stubborn ]]; then trap 'echo "ignoring SIGTERM"' TERM; fi
    line 'INFO Terminal' 'WRITE LINE: 2026-12-04 10:00:01Z: Listening for Jobs'
    echo "Listening for Jobs"
    for _ in $(seq 300); do sleep 0.1 || true; done
    echo "done" >>"$record"
    ;;
  refused)
    line 'ERR  Terminal' 'WRITE ERROR: An error occurred: Runner version v2.331.0 is deprecated and cannot receive messages.'
    echo "Runner listener exit with deprecated version exit code: 7."
    if [[ "\${ACTIONS_RUNNER_RETURN_VERSION_DEPRECATED_EXIT_CODE:-}" == 1 ]]; then exit 7; fi
    exit 0
    ;;
  crash)
    line 'INFO Terminal' 'WRITE LINE: 2026-12-04 10:00:01Z: Listening for Jobs'
    echo "Exiting with unknown error code: 134"
    exit 0
    ;;
esac
`;

export const runnerArch = process.arch === 'arm64' ? 'arm64' : 'x64';

/** Writes the fake run.sh into `dir` as a preinstalled runner of `version`. */
export function installFakeRunner(dir: string, version: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'run.sh'), fakeRunScript);
  chmodSync(join(dir, 'run.sh'), 0o755);
  writeFileSync(join(dir, '.runner-version'), `${version}\n`);
}

/**
 * Packs the fake run.sh like a release tarball (files at the top level) and returns its SHA-256.
 * Its bin/installdependencies.sh appends the time it ran (epoch ms) to `dependencies.log` in `workDir`.
 */
export function buildFakeTarball(workDir: string, version: string): { path: string; sha256: string } {
  const content = join(workDir, `tarball-content-${version}`);
  mkdirSync(join(content, 'bin'), { recursive: true });
  writeFileSync(join(content, 'run.sh'), fakeRunScript);
  chmodSync(join(content, 'run.sh'), 0o755);
  writeFileSync(join(content, 'bin', 'installdependencies.sh'), `#!/usr/bin/env bash\ndate +%s%3N >>"${workDir}/dependencies.log"\n`);
  chmodSync(join(content, 'bin', 'installdependencies.sh'), 0o755);
  const path = join(workDir, `actions-runner-linux-${runnerArch}-${version}.tar.gz`);
  execFileSync('tar', ['-czf', path, '-C', content, 'run.sh', 'bin']);
  return { path, sha256: createHash('sha256').update(readFileSync(path)).digest('hex') };
}

export interface FakeReleases {
  /** The base URL the script takes as RUNNER_DOWNLOAD_URL. */
  readonly url: string;
  readonly requests: readonly string[];
  close(): Promise<void>;
}

/** Serves tarballs at GitHub's release path: /v<version>/actions-runner-linux-<arch>-<version>.tar.gz */
export async function startFakeReleases(tarballs: Readonly<Record<string, string>>, options: { stall?: boolean } = {}): Promise<FakeReleases> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const path = request.url ?? '';
    requests.push(path);
    if (options.stall === true) {
      // Headers and a first chunk, then nothing: a download that hangs mid-transfer.
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '200000000' });
      response.write(Buffer.alloc(1024));
      return;
    }
    const match = /^\/v([^/]+)\/actions-runner-linux-[a-z0-9]+-([^/]+)\.tar\.gz$/.exec(path);
    const file = match && match[1] === match[2] && match[1] !== undefined ? tarballs[match[1]] : undefined;
    if (file === undefined) {
      response.writeHead(404).end('Not Found');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
