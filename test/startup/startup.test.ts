import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { startFakeMetadata } from './support/fake-metadata.ts';
import { buildFakeTarball, installFakeRunner, runnerArch, startFakeReleases } from './support/fake-runner.ts';
import { makeSandbox, removeRunnerUser, runnerUser, runStartup, type FakeRunnerMode, type Sandbox, type StartupRun } from './support/run-startup.ts';

// One script run at a time: as root, the first run creates the runner user.
const jitConfig = Buffer.from(JSON.stringify({ '.runner': 'r', '.credentials': randomBytes(24).toString('hex') })).toString('base64');
const version = '9.9.9';

interface Scenario {
  /** Instance attributes; a function gets the SHA-256 of the tarball the fake release serves. */
  readonly attributes: Readonly<Record<string, string>> | ((sha256: string) => Readonly<Record<string, string>>);
  readonly faults?: Readonly<Record<string, ReadonlyArray<'drop' | number>>>;
  readonly mode?: FakeRunnerMode;
  /** Preinstall the fake runner as the image would (this version); otherwise the script must download it. */
  readonly preinstalled?: boolean | string;
  /** The download server answers with a first chunk, then nothing. */
  readonly stallDownload?: boolean;
  /** Runs alongside the script (e.g. holding a lock); awaited before the sandbox goes. */
  readonly during?: (sandbox: Sandbox) => Promise<void>;
  readonly aptLockFiles?: (sandbox: Sandbox) => string[];
  /** Inspects the sandbox before it is removed. */
  readonly inspect?: (sandbox: Sandbox) => void;
}

async function scenario(input: Scenario) {
  const sandbox: Sandbox = makeSandbox();
  const tarball = buildFakeTarball(sandbox.dir, version);
  if (input.preinstalled) installFakeRunner(sandbox.runnerHome, input.preinstalled === true ? version : input.preinstalled);
  const attributes = typeof input.attributes === 'function' ? input.attributes(tarball.sha256) : input.attributes;
  const metadata = await startFakeMetadata({ attributes, ...(input.faults ? { faults: input.faults } : {}) });
  const releases = await startFakeReleases({ [version]: tarball.path }, { stall: input.stallDownload ?? false });
  try {
    const aptLockFiles = input.aptLockFiles?.(sandbox);
    const running = runStartup(sandbox, { metadataUrl: metadata.url, downloadUrl: releases.url, mode: input.mode ?? 'job', ...(aptLockFiles ? { aptLockFiles } : {}) });
    const [run] = await Promise.all([running, input.during?.(sandbox)]);
    input.inspect?.(sandbox);
    return { run: run as StartupRun, metadata, releases, sandbox, unpacked: existsSync(join(sandbox.runnerHome, 'run.sh')) };
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
  t.regex(second.run.output, new RegExp(`stage: runner-installed ${version}`));
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

const otherArch = runnerArch === 'x64' ? 'arm64' : 'x64';

test.serial('the version and the checksum of this VM architecture come from metadata, replacing an older baked runner', async (t) => {
  const { run, releases } = await scenario({
    attributes: (sha256) => ({
      'jit-config': jitConfig,
      'runner-version': version,
      [`runner-sha256-${runnerArch}`]: sha256,
      [`runner-sha256-${otherArch}`]: 'f'.repeat(64),
    }),
    preinstalled: '9.9.1',
  });
  t.deepEqual(releases.requests, [`/v${version}/actions-runner-linux-${runnerArch}-${version}.tar.gz`]);
  t.is(run.record?.['version'], version, 'the downloaded version ran, not the baked 9.9.1');
  t.regex(run.output, /runner outcome: job-done \(job result Succeeded\)/);
  t.deepEqual(run.poweroffs, ['after-job']);
});

test.serial('a baked runner of the version asked for is used without a download', async (t) => {
  const { run, releases } = await scenario({
    attributes: { 'jit-config': jitConfig, 'runner-version': version, [`runner-sha256-${runnerArch}`]: '0'.repeat(64) },
    preinstalled: true,
  });
  t.is(releases.requests.length, 0);
  t.regex(run.output, /using the runner preinstalled/);
  t.deepEqual(run.poweroffs, ['after-job']);
});

test.serial('a stalled download ends in power-off within the boot deadline', async (t) => {
  const { run, releases } = await scenario({
    attributes: (sha256) => ({ 'jit-config': jitConfig, 'boot-deadline': '2', 'runner-version': version, [`runner-sha256-${runnerArch}`]: sha256 }),
    stallDownload: true,
  });
  t.is(releases.requests.length, 1);
  t.regex(run.output, /runner outcome: boot-timeout \(the runner had not started 2s after boot\)/);
  // bash runs its TERM trap only once curl returns, and curl was stalled: the watchdog had to kill.
  t.regex(run.output, /the startup script did not stop 3s after SIGTERM: killing it/);
  t.regex(run.output, /powering off \(watchdog\)/);
  t.deepEqual(run.poweroffs, ['no-job'], 'powered off once');
  t.is(run.record, null);
  // 2 s deadline + one poll + 3 s for SIGTERM before SIGKILL (~6 s); curl's own stall limit is
  // 30 s and its time limit 300 s, so anything under 15 s (room for a loaded machine) was the watchdog.
  t.true(run.seconds < 15, `took ${run.seconds}s`);
});

test.serial('a runner GitHub refuses is reported as refused, with what it said', async (t) => {
  const { run } = await scenario({ attributes: { 'jit-config': jitConfig }, mode: 'refused', preinstalled: true });
  t.regex(run.output, /runner said: An error occurred: Runner version v2\.331\.0 is deprecated and cannot receive messages\./);
  t.regex(run.output, /runner outcome: refused \(GitHub refuses runner version 9\.9\.9 as deprecated\)/);
  t.regex(run.output, /powering off \(exit status 1\)/);
  t.deepEqual(run.poweroffs, ['no-job']);
});

test.serial('a runner that dies without a result is reported as crashed, not as a job done', async (t) => {
  const { run } = await scenario({ attributes: { 'jit-config': jitConfig }, mode: 'crash', preinstalled: true });
  t.regex(run.output, /runner outcome: crashed \(the runner ended without finishing \(run\.sh status 0\)\)/);
  t.deepEqual(run.poweroffs, ['no-job']);
});

test.serial('a runner that ignores SIGTERM is killed after the grace period', async (t) => {
  const { run } = await scenario({ attributes: { 'jit-config': jitConfig, 'idle-timeout': '1' }, mode: 'stubborn', preinstalled: true });
  t.regex(run.output, /runner outcome: idle \(no job started within 1s/);
  t.regex(run.output, /runner still running 3s after SIGTERM: sending SIGKILL/);
  t.false(run.jobDone);
  t.deepEqual(run.poweroffs, ['no-job']);
  t.true(run.seconds < 12, `took ${run.seconds}s`);
});

test.serial('the runner credentials files are 0600 in a 0700 directory, and jobs keep umask 022', async (t) => {
  const modes: Record<string, number> = {};
  const { run } = await scenario({
    attributes: { 'jit-config': jitConfig },
    preinstalled: true,
    inspect: (sandbox) => {
      for (const file of ['.runner', '.credentials', '.credentials_rsaparams', '.']) modes[file] = statSync(join(sandbox.runnerHome, file)).mode & 0o777;
    },
  });
  t.deepEqual(modes, { '.runner': 0o600, '.credentials': 0o600, '.credentials_rsaparams': 0o600, '.': 0o700 });
  t.is(run.record?.['umask'], '0022');
});

const asRoot = process.getuid?.() === 0;
(asRoot ? test.serial : test.skip)('waits for the apt/dpkg lock before installing the runner dependencies', async (t) => {
  let released = 0;
  const { run, sandbox } = await scenario({
    attributes: (sha256) => ({ 'jit-config': jitConfig, 'runner-version': version, [`runner-sha256-${runnerArch}`]: sha256 }),
    aptLockFiles: (box) => [join(box.dir, 'dpkg-lock')],
    during: async (box) => {
      writeFileSync(join(box.dir, 'dpkg-lock'), '');
      const holder = spawn('flock', [join(box.dir, 'dpkg-lock'), 'sleep', '2'], { stdio: 'ignore' });
      await new Promise((resolve) => holder.on('exit', resolve));
      released = Date.now();
    },
    inspect: (box) => {
      const ranAt = Number(readFileSync(join(box.dir, 'dependencies.log'), 'utf8').trim());
      t.true(ranAt >= released - 100, 'installdependencies.sh ran once the lock was free');
    },
  });
  t.truthy(sandbox);
  t.regex(run.output, /waiting for apt\/dpkg locks held by another apt run/);
  t.regex(run.output, /apt\/dpkg locks free after \d+s/);
  t.deepEqual(run.poweroffs, ['after-job']);
});
