import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * Stands in for the runner's run.sh. It writes what it was given to record.txt in its own
 * directory (which the script makes the runner user's), then, by FAKE_RUNNER_MODE:
 * `job` acts like a runner that gets a job (the worker writes _diag/Worker_*.log) and exits;
 * `idle` waits for a job that never comes.
 */
export const fakeRunScript = `#!/usr/bin/env bash
set -eu
record="$PWD/record.txt"
{
  printf 'uid=%s\\n' "$(id -u)"
  printf 'user=%s\\n' "$(id -un)"
  printf 'argc=%s\\n' "$#"
  printf 'args=%s\\n' "$*"
  printf 'jit=%s\\n' "\${ACTIONS_RUNNER_INPUT_JITCONFIG:-}"
  printf 'home=%s\\n' "$HOME"
} >"$record"
case "\${FAKE_RUNNER_MODE:-job}" in
  job)
    mkdir -p _diag
    echo "worker" >_diag/Worker_20250101-000000-utc.log
    echo "Running job: build"
    sleep 0.3
    echo "done" >>"$record"
    echo "Job build completed with result: Succeeded"
    ;;
  idle)
    echo "Listening for Jobs"
    sleep 30
    echo "done" >>"$record"
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

/** Packs the fake run.sh like a release tarball (files at the top level) and returns its SHA-256. */
export function buildFakeTarball(workDir: string, version: string): { path: string; sha256: string } {
  const content = join(workDir, 'tarball-content');
  mkdirSync(content, { recursive: true });
  writeFileSync(join(content, 'run.sh'), fakeRunScript);
  chmodSync(join(content, 'run.sh'), 0o755);
  const path = join(workDir, `actions-runner-linux-${runnerArch}-${version}.tar.gz`);
  execFileSync('tar', ['-czf', path, '-C', content, 'run.sh']);
  return { path, sha256: createHash('sha256').update(readFileSync(path)).digest('hex') };
}

export interface FakeReleases {
  /** The base URL the script takes as RUNNER_DOWNLOAD_URL. */
  readonly url: string;
  readonly requests: readonly string[];
  close(): Promise<void>;
}

/** Serves tarballs at GitHub's release path: /v<version>/actions-runner-linux-<arch>-<version>.tar.gz */
export async function startFakeReleases(tarballs: Readonly<Record<string, string>>): Promise<FakeReleases> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const path = request.url ?? '';
    requests.push(path);
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
