import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { createRunnerReleaseSource } from '../../handlers/github/create-runner-release-source.ts';
import { fileReleaseRecord } from '../../handlers/github/release-record.ts';
import { failureBackoffMs, releaseTtlMs } from '../../handlers/github/runner-release-resolver.ts';
import { defaultRunnerRelease } from '../../simulators/github/runner-releases.ts';
import { manualClock, startWorld, type World } from './helpers.ts';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const latestPath = '/repos/actions/runner/releases/latest';

function releaseRequests(world: World) {
  return world.sim.requests().filter((request) => request.path === latestPath);
}

async function setup(t: import('ava').ExecutionContext, options: { dataDir?: string; releasesUrl?: (world: World) => string } = {}) {
  const world = await startWorld();
  t.teardown(() => world.close());
  const clock = manualClock(Date.parse('2026-12-04T09:00:00Z'));
  const source = createRunnerReleaseSource({
    github: world.github,
    releasesUrl: options.releasesUrl?.(world) ?? null,
    dataDir: options.dataDir ?? null,
    clock,
    log: world.logs.log,
  });
  return { world, clock, source, installationId: world.orgScope.installationId };
}

test('resolves the latest actions/runner release from the configured GitHub, with each Linux tarball SHA-256', async (t) => {
  const { world, source, installationId } = await setup(t);
  t.deepEqual(await source.current(installationId), { version: defaultRunnerRelease.version, sha256: defaultRunnerRelease.sha256 });
  const [request] = releaseRequests(world);
  t.is(request?.method, 'GET');
  t.is(request?.auth, 'token', 'asked with the installation token, whose quota is the App own');
});

test('asks GitHub once an hour, and picks up a new release after that', async (t) => {
  const { world, clock, source, installationId } = await setup(t);
  await source.current(installationId);
  world.sim.publishRunnerRelease({ version: '2.337.0', sha256: { x64: sha('x64 2.337.0'), arm64: sha('arm64 2.337.0') } });
  clock.advance(releaseTtlMs - 1000);
  t.is((await source.current(installationId))?.version, defaultRunnerRelease.version, 'still cached');
  t.is(releaseRequests(world).length, 1);
  clock.advance(2000);
  t.deepEqual(await source.current(installationId), { version: '2.337.0', sha256: { x64: sha('x64 2.337.0'), arm64: sha('arm64 2.337.0') } });
  t.is(releaseRequests(world).length, 2);
});

test('concurrent VMs share one lookup', async (t) => {
  const { world, source, installationId } = await setup(t);
  const all = await Promise.all([1, 2, 3, 4, 5].map(() => source.current(installationId)));
  t.true(all.every((release) => release?.version === defaultRunnerRelease.version));
  t.is(releaseRequests(world).length, 1);
});

test('when GitHub cannot be asked, the last release resolved is used and GitHub is left alone for a minute', async (t) => {
  const { world, clock, source, installationId } = await setup(t);
  await source.current(installationId);
  clock.advance(releaseTtlMs + 1);
  world.sim.fail({ method: 'GET', path: latestPath, status: 503, times: 10 });
  t.is((await source.current(installationId))?.version, defaultRunnerRelease.version);
  t.regex(world.logs.text(), /cannot resolve the runner release: using the last one resolved/);
  const asked = releaseRequests(world).length;
  clock.advance(failureBackoffMs - 1000);
  await source.current(installationId);
  t.is(releaseRequests(world).length, asked, 'no second lookup within the back-off');
});

test('the last release resolved survives a restart in DATA_DIR, and serves when GitHub cannot be asked', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'runner-release-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const first = await setup(t, { dataDir });
  await first.source.current(first.installationId);
  t.is(JSON.parse(readFileSync(join(dataDir, 'runner-release.json'), 'utf8')).version, defaultRunnerRelease.version);

  const restarted = await setup(t, { dataDir });
  restarted.world.sim.fail({ method: 'GET', path: latestPath, status: 500, times: 5 });
  t.deepEqual(await restarted.source.current(restarted.installationId), { version: defaultRunnerRelease.version, sha256: defaultRunnerRelease.sha256 });
});

test('with nothing resolved or recorded, no version is given: the VM uses its image runner', async (t) => {
  const { world, source, installationId } = await setup(t);
  world.sim.fail({ method: 'GET', path: latestPath, status: 404 });
  t.is(await source.current(installationId), null);
  t.regex(world.logs.text(), /none is recorded: VMs use the runner of their image/);
});

test('assets without a digest take the checksum from the release notes', async (t) => {
  const { world, source, installationId } = await setup(t);
  world.sim.publishRunnerRelease({ version: '2.338.0', sha256: { x64: sha('x64 2.338.0') }, withDigests: false });
  t.deepEqual(await source.current(installationId), { version: '2.338.0', sha256: { x64: sha('x64 2.338.0') } });
});

test('a digest the release notes contradict is refused, and the last good release kept', async (t) => {
  const { world, clock, source, installationId } = await setup(t);
  await source.current(installationId);
  const before = world.sim.requests().length;
  world.sim.fail({
    method: 'GET',
    path: latestPath,
    status: 200,
    body: { tag_name: 'v2.339.0', assets: [{ name: 'actions-runner-linux-x64-2.339.0.tar.gz', digest: `sha256:${sha('one')}` }], body: `<!-- BEGIN SHA linux-x64 -->${sha('two')}<!-- END SHA linux-x64 -->` },
  });
  clock.advance(releaseTtlMs + 1);
  t.is((await source.current(installationId))?.version, defaultRunnerRelease.version);
  t.true(world.sim.requests().length > before);
  t.regex(world.logs.text(), /digest and the release notes disagree/);
});

test('RUNNER_RELEASES_URL is asked instead, without the App credentials', async (t) => {
  const { world, source, installationId } = await setup(t, { releasesUrl: (w) => `${w.sim.url}${latestPath}` });
  t.is((await source.current(installationId))?.version, defaultRunnerRelease.version);
  const [request] = releaseRequests(world);
  t.is(request?.auth, 'none');
});

test('a persisted record that is not a release is ignored', (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'runner-release-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const record = fileReleaseRecord(dataDir);
  t.is(record.load(), null);
  writeFileSync(join(dataDir, 'runner-release.json'), JSON.stringify({ version: '2.336.0', sha256: { x64: 'not-hex' } }));
  t.is(record.load(), null);
  record.save({ version: '2.336.0', sha256: { x64: sha('x') } });
  t.deepEqual(record.load(), { version: '2.336.0', sha256: { x64: sha('x') } });
});
