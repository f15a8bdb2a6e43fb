import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';

export const startupScript = resolve(import.meta.dirname, '../../../startup/startup.sh');

const testUser = 'ghr-startup-test';
const isRoot = process.getuid?.() === 0;

/**
 * The user the runner must run as. As root (CI, containers) the script itself creates a
 * dedicated user and switches to it with setpriv; otherwise the script cannot switch users, so
 * the tests name the current (non-root) user, which the script accepts without switching.
 */
export const runnerUser = isRoot ? testUser : userInfo().username;

/** Removes the user the script created, if it did. */
export function removeRunnerUser(): void {
  if (isRoot && spawnSync('id', ['-u', testUser]).status === 0) spawnSync('userdel', ['--remove', testUser]);
}

export interface Sandbox {
  readonly dir: string;
  /** RUNNER_HOME for the script: /opt/actions-runner on a VM. */
  readonly runnerHome: string;
  cleanup(): void;
}

/** A temporary directory the runner user can traverse, with a fake power-off command in it. */
export function makeSandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'startup-test-'));
  chmodSync(dir, 0o755);
  const runnerHome = join(dir, 'actions-runner');
  // Where the fake runner (another user, when the tests run as root) records what it was given.
  mkdirSync(join(dir, 'record'), { mode: 0o1777 });
  chmodSync(join(dir, 'record'), 0o1777);
  // Records whether the runner had finished its job when the VM was told to power off.
  writeFileSync(
    join(dir, 'poweroff'),
    `#!/usr/bin/env bash\nif grep -qx done "${dir}/record/record.txt" 2>/dev/null; then echo after-job; else echo no-job; fi >>"${dir}/poweroff.log"\n`,
  );
  chmodSync(join(dir, 'poweroff'), 0o755);
  return { dir, runnerHome, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface StartupRun {
  /** Everything the script printed (stdout and stderr interleaved: the serial console). */
  readonly output: string;
  readonly status: number | null;
  readonly seconds: number;
  /** One line per power-off: `after-job` or `no-job`. */
  readonly poweroffs: readonly string[];
  /** What the fake run.sh recorded, or null when it never ran. */
  readonly record: Readonly<Record<string, string>> | null;
  readonly jobDone: boolean;
}

export type FakeRunnerMode = 'job' | 'idle' | 'stubborn' | 'refused' | 'crash';

export interface RunOptions {
  readonly metadataUrl: string;
  readonly downloadUrl: string;
  readonly mode: FakeRunnerMode;
  /** Files whose lock means "apt is busy" (APT_LOCK_FILES). */
  readonly aptLockFiles?: readonly string[];
  /** Directories searched for commands before the system's (fake apt-get, systemctl...). */
  readonly pathPrefix?: string;
  /** More environment, e.g. BAKE_CLEAN_ROOT. */
  readonly env?: Readonly<Record<string, string>>;
}

export async function runStartup(sandbox: Sandbox, options: RunOptions): Promise<StartupRun> {
  const env = {
    PATH: `${options.pathPrefix === undefined ? '' : `${options.pathPrefix}:`}/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    METADATA_URL: options.metadataUrl,
    RUNNER_DOWNLOAD_URL: options.downloadUrl,
    RUNNER_HOME: sandbox.runnerHome,
    RUNNER_USER: runnerUser,
    POWEROFF_CMD: join(sandbox.dir, 'poweroff'),
    METADATA_RETRIES: '5',
    METADATA_RETRY_DELAY: '0.1',
    WATCHDOG_POLL_SECONDS: '0.2',
    STOP_GRACE_SECONDS: '3',
    FAKE_RUNNER_MODE: options.mode,
    FAKE_RUNNER_RECORD: join(sandbox.dir, 'record', 'record.txt'),
    APT_LOCK_FILES: (options.aptLockFiles ?? [join(sandbox.dir, 'no-such-lock')]).join(' '),
    APT_LOCK_WAIT_SECONDS: '20',
    DEPS_MARKER: join(sandbox.dir, 'dependencies-installed'),
    ...options.env,
  };
  const started = Date.now();
  const child = spawn('bash', [startupScript], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const status = await new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  const poweroffLog = join(sandbox.dir, 'poweroff.log');
  const recordFile = join(sandbox.dir, 'record', 'record.txt');
  const lines = existsSync(recordFile) ? readFileSync(recordFile, 'utf8').split('\n') : null;
  return {
    output,
    status,
    seconds: (Date.now() - started) / 1000,
    poweroffs: existsSync(poweroffLog) ? readFileSync(poweroffLog, 'utf8').trim().split('\n') : [],
    record: lines && Object.fromEntries(lines.filter((line) => line.includes('=')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])),
    jobDone: lines?.includes('done') ?? false,
  };
}
