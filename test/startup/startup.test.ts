import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { startFakeMetadata } from './support/fake-metadata.ts';
import { buildFakeTarball, installFakeRunner, startFakeReleases } from './support/fake-runner.ts';
import { makeSandbox, removeRunnerUser, runnerUser, runStartup, type Sandbox, type StartupRun } from './support/run-startup.ts';

// One script run at a time: as root, the first run creates the runner user.
const jitConfig = Buffer.from(JSON.stringify({ '.runner': 'r', '.credentials': randomBytes(24).toString('hex') })).toString('base64');
const version = '9.9.9';

interface Scenario {
  /** Instance attributes; a function gets the SHA-256 of the tarball the fake release serves. */
  readonly attributes: Readonly<Record<string, string>> | ((sha256: string) => Readonly<Record<string, string>>);
  readonly faults?: Readonly<Record<string, ReadonlyArray<'drop' | number>>>;
  readonly mode?: 'job' | 'idle';
  /** Preinstall the fake runner as the image would; otherwise the script must download it. */
  readonly preinstalled?: boolean;
}

async function scenario(input: Scenario) {
  const sandbox: Sandbox = makeSandbox();
  const tarball = buildFakeTarball(sandbox.dir, version);
  if (input.preinstalled) installFakeRunner(sandbox.runnerHome, version);
  const attributes = typeof input.attributes === 'function' ? input.attributes(tarball.sha256) : input.attributes;
  const metadata = await startFakeMetadata({ attributes, ...(input.faults ? { faults: input.faults } : {}) });
  const releases = await startFakeReleases({ [version]: tarball.path });
  try {
    const run: StartupRun = await runStartup(sandbox, { metadataUrl: metadata.url, downloadUrl: releases.url, mode: input.mode ?? 'job' });
    return { run, metadata, releases, unpacked: existsSync(join(sandbox.runnerHome, 'run.sh')) };
  } finally {
    await metadata.close();
    await releases.close();
    sandbox.cleanup();
  }
}

test.after.always(removeRunnerUser);

test.serial('runs one job as the runner user with the JIT config from metadata, then powers off', async (t) => {
  const { run, metadata } = await scenario({
    attributes: { 'jit-config': jitConfig, 'idle-timeout': '30' },
    faults: { 'jit-config': ['drop', 503, 503] },
    preinstalled: true,
  });
  t.is(run.record?.['jit'], jitConfig, 'the runner got the metadata value in ACTIONS_RUNNER_INPUT_JITCONFIG');
  t.is(run.record?.['argc'], '0', 'and nothing on its command line');
  t.is(run.record?.['user'], runnerUser);
  t.not(run.record?.['uid'], '0');
  t.true(run.jobDone);
  t.deepEqual(run.poweroffs, ['after-job']);
  t.regex(run.output, /using the runner preinstalled/);
  t.regex(run.output, /a job started; idle watchdog off/);
  t.false(run.output.includes(jitConfig), 'the JIT config never reaches the console');
  t.true(metadata.requests.every((request) => request.flavored), 'every request carries Metadata-Flavor: Google');
  t.is(metadata.requests.filter((request) => request.key === 'jit-config').length, 4, 'dropped connection and two 503s retried');
});

test.serial('powers off when no job starts within the idle timeout', async (t) => {
  const { run } = await scenario({ attributes: { 'jit-config': jitConfig, 'idle-timeout': '1' }, mode: 'idle', preinstalled: true });
  t.is(run.record?.['jit'], jitConfig);
  t.false(run.jobDone, 'the runner was stopped while waiting');
  t.deepEqual(run.poweroffs, ['no-job']);
  t.regex(run.output, /no job started within 1s: stopping the runner/);
  t.true(run.seconds < 15, `took ${run.seconds}s`);
  t.false(run.output.includes(jitConfig));
});

test.serial('downloads a requested runner version only when its SHA-256 matches', async (t) => {
  const first = await scenario({ attributes: { 'jit-config': jitConfig, 'idle-timeout': '30', 'runner-version': version, 'runner-sha256': '0'.repeat(64) } });
  t.is(first.releases.requests.length, 1);
  t.regex(first.run.output, /does not match SHA-256 0{64}: refusing it/);
  t.is(first.run.record, null, 'the tampered runner never ran');
  t.false(first.unpacked, 'and was never unpacked');
  t.deepEqual(first.run.poweroffs, ['no-job']);

  const second = await scenario({
    attributes: (sha256) => ({ 'jit-config': jitConfig, 'idle-timeout': '30', 'runner-version': version, 'runner-sha256': sha256 }),
  });
  t.regex(second.run.output, new RegExp(`runner ${version} installed`));
  t.is(second.run.record?.['jit'], jitConfig);
  t.deepEqual(second.run.poweroffs, ['after-job']);
});

test.serial('refuses a runner version given without its SHA-256', async (t) => {
  const { run, releases } = await scenario({ attributes: { 'jit-config': jitConfig, 'runner-version': '9.9.8' } });
  t.regex(run.output, /runner-version 9\.9\.8 needs runner-sha256/);
  t.is(releases.requests.length, 0);
  t.deepEqual(run.poweroffs, ['no-job']);
});

test.serial('powers off when the VM has no JIT config', async (t) => {
  const { run } = await scenario({ attributes: { 'idle-timeout': '30' }, preinstalled: true });
  t.regex(run.output, /jit-config is not set/);
  t.is(run.record, null);
  t.deepEqual(run.poweroffs, ['no-job']);
});

test.serial('powers off when the metadata server keeps failing', async (t) => {
  const { run } = await scenario({ attributes: { 'jit-config': jitConfig }, faults: { 'runner-bake': [503, 503, 503, 503, 503] }, preinstalled: true });
  t.regex(run.output, /cannot read runner-bake/);
  t.is(run.record, null);
  t.deepEqual(run.poweroffs, ['no-job']);
});
