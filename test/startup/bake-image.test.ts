import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import test from 'ava';
import { startGitHubSimulator, type GitHubSimulator } from '../../simulators/github/start-github-simulator.ts';
import { defaultRunnerRelease } from '../../simulators/github/runner-releases.ts';

const bakeImage = resolve(import.meta.dirname, '../../startup/bake-image.sh');

/**
 * A gcloud that keeps a project's images in images.txt ("NAME VERSION-LABEL CREATED", newest
 * first), records every call in calls.log, and plays a bake VM that finishes: `describe` says
 * TERMINATED and the serial console ends with bake mode's last line, for the version in its metadata.
 */
const fakeGcloud = `#!/usr/bin/env bash
set -euo pipefail
state="$FAKE_GCLOUD_STATE"
echo "$*" >>"$state/calls.log"
case "$1 $2 $3" in
  "compute images list")
    if [[ "$*" == *"--limit 1"* ]]; then head -n 1 "$state/images.txt"; else cut -d' ' -f1 "$state/images.txt"; fi ;;
  "compute instances create")
    for arg in "$@"; do if [[ "$arg" == runner-bake=true,* ]]; then echo "$arg" >"$state/metadata"; fi; done ;;
  "compute instances describe") echo TERMINATED ;;
  "compute instances get-serial-port-output")
    version=$(grep -o 'runner-version=[^,]*' "$state/metadata" | cut -d= -f2)
    echo "startup-script: 2026-12-04T04:05:00.000Z gh-runner: bake: done (runner $version)" ;;
  "compute images create")
    labels=""; prev=""
    for arg in "$@"; do if [[ "$prev" == --labels ]]; then labels="$arg"; fi; prev="$arg"; done
    version=$(sed 's/.*gh-runner-version=\\([^,]*\\).*/\\1/' <<<"$labels")
    { echo "$4 $version $(date -u +%Y-%m-%dT%H:%M:%S.000-00:00)"; cat "$state/images.txt"; } >"$state/images.new"
    mv "$state/images.new" "$state/images.txt" ;;
  "compute images delete") grep -v "^$4 " "$state/images.txt" >"$state/images.new" || true; mv "$state/images.new" "$state/images.txt" ;;
  "compute instances delete") ;;
  *) echo "fake gcloud: unexpected $*" >&2; exit 1 ;;
esac
`;

interface BakeRun {
  readonly status: number | null;
  readonly output: string;
  readonly calls: string[];
  readonly images: string[];
  readonly metadata: string;
}

async function bake(t: import('ava').ExecutionContext, images: readonly string[], args: readonly string[], sim?: GitHubSimulator): Promise<BakeRun> {
  const dir = mkdtempSync(join(tmpdir(), 'bake-image-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const github = sim ?? (await startGitHubSimulator());
  if (sim === undefined) t.teardown(() => github.close());
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'gcloud'), fakeGcloud);
  chmodSync(join(dir, 'bin', 'gcloud'), 0o755);
  writeFileSync(join(dir, 'images.txt'), images.map((line) => `${line}\n`).join(''));
  writeFileSync(join(dir, 'calls.log'), '');
  writeFileSync(join(dir, 'metadata'), '');
  const child = spawn('bash', [bakeImage, '--project', 'p', '--zone', 'us-central1-a', '--subnet', 'runners', '--releases-url', `${github.url}/repos/actions/runner/releases/latest`, ...args], {
    env: { PATH: `${join(dir, 'bin')}:/usr/local/bin:/usr/bin:/bin`, FAKE_GCLOUD_STATE: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const status = await new Promise<number | null>((done) => child.on('close', done));
  const lines = (file: string) => readFileSync(join(dir, file), 'utf8').split('\n').filter((line) => line !== '');
  return { status, output, calls: lines('calls.log'), images: lines('images.txt').map((line) => line.split(' ')[0]!), metadata: readFileSync(join(dir, 'metadata'), 'utf8').trim() };
}

const latest = defaultRunnerRelease.version;
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

test('bakes the latest runner release with its checksum, images the disk into the family, and keeps the newest few', async (t) => {
  const run = await bake(t, ['gh-runner-x64-3 2-330-0 ' + daysAgo(8), 'gh-runner-x64-2 2-329-0 ' + daysAgo(15), 'gh-runner-x64-1 2-328-0 ' + daysAgo(22)], ['--arch', 'x64', '--family', 'gh-runner-x64', '--keep', '2', '--if-older-than-days', '7']);
  t.is(run.status, 0, run.output);
  t.is(run.metadata, `runner-bake=true,runner-version=${latest},runner-sha256-x64=${defaultRunnerRelease.sha256.x64}`);
  const create = run.calls.find((call) => call.startsWith('compute instances create'));
  t.regex(create ?? '', /--image-family ubuntu-2404-lts-amd64 --image-project ubuntu-os-cloud/);
  t.regex(create ?? '', /--no-address/);
  t.regex(create ?? '', /--no-service-account --no-scopes/);
  const image = run.calls.find((call) => call.startsWith('compute images create'));
  t.regex(image ?? '', new RegExp(`--family gh-runner-x64 .*--labels gh-runner-version=${latest.replaceAll('.', '-')},gh-runner-arch=x64`));
  t.is(run.images.length, 2, 'the two oldest images were pruned');
  t.is(run.images[1], 'gh-runner-x64-3');
  t.true(run.calls.some((call) => call.startsWith('compute instances delete')), 'the bake VM is deleted');
});

test('bakes nothing when the newest image already has the latest runner and is younger than the limit', async (t) => {
  const run = await bake(t, [`gh-runner-x64-9 ${latest.replaceAll('.', '-')} ${daysAgo(2)}`], ['--arch', 'x64', '--family', 'gh-runner-x64', '--if-older-than-days', '7']);
  t.is(run.status, 0, run.output);
  t.regex(run.output, /already has runner .* nothing to bake/);
  t.false(run.calls.some((call) => call.startsWith('compute instances create')));
});

test('a week-old image is baked again for its OS updates, even with the latest runner', async (t) => {
  const run = await bake(t, [`gh-runner-x64-9 ${latest.replaceAll('.', '-')} ${daysAgo(8)}`], ['--arch', 'x64', '--family', 'gh-runner-x64', '--if-older-than-days', '7']);
  t.is(run.status, 0, run.output);
  t.true(run.calls.some((call) => call.startsWith('compute images create')));
});

test('arm64 bakes on a T2A machine from the arm64 Ubuntu family, with the checksum from the release notes when assets have no digest', async (t) => {
  const sim = await startGitHubSimulator();
  t.teardown(() => sim.close());
  const sha = 'ab'.repeat(32);
  sim.publishRunnerRelease({ version: '2.337.0', sha256: { x64: 'cd'.repeat(32), arm64: sha }, withDigests: false });
  const run = await bake(t, [], ['--arch', 'arm64'], sim);
  t.is(run.status, 0, run.output);
  t.is(run.metadata, `runner-bake=true,runner-version=2.337.0,runner-sha256-arm64=${sha}`);
  const create = run.calls.find((call) => call.startsWith('compute instances create')) ?? '';
  t.regex(create, /--machine-type t2a-standard-2/);
  t.regex(create, /--image-family ubuntu-2404-lts-arm64/);
  t.deepEqual(run.images.length, 1);
  t.regex(run.images[0]!, /^github-runner-arm64-\d{8}-\d{6}$/);
});
