import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalWorld } from '../handlers/system/local-world.ts';
import { benchLogger, benchTemplates } from './system.ts';

/** RSS now and the kernel's high-water mark (VmHWM) of a process, from /proc (Linux). */
function procMemory(pid: number): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return null;
  }
}

/** CPU time in ms (utime + stime) of a process's main thread (`task` = pid) or of all its threads, from /proc (Linux); null elsewhere. */
function cpuMs(pid: number, task?: number): number | null {
  try {
    const path = task === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${task}/stat`;
    const fields = readFileSync(path, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

export interface NodeProcess {
  readonly url: string;
  /** The process that serves (for gunicorn, its worker rather than the arbiter). */
  readonly pid: number;
  /** RSS now, and the process's peak so far. */
  memory(): { rss: number; peak: number };
  mainThreadCpuMs(): number | null;
  /** All threads: the main thread plus GC and libuv helpers (Node), or every request thread (gunicorn). */
  processCpuMs(): number | null;
  stop(): Promise<void>;
}

export interface ProcessSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Record<string, string>;
  /** Matched on stderr; its first group is the URL. */
  readonly listening: RegExp;
  /** Matched on stderr; its first group is the pid that serves, when it is not the one started. */
  readonly servingPid?: RegExp;
}

/** Starts a server process with its stdout on /dev/null and resolves once its stderr says where it listens. */
export async function startProcess(spec: ProcessSpec): Promise<NodeProcess> {
  const child = spawn(spec.command, spec.args, { env: { PATH: process.env['PATH'] ?? '', ...spec.env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const ready = () => {
    const url = spec.listening.exec(stderr)?.[1];
    const served = spec.servingPid ? spec.servingPid.exec(stderr)?.[1] : String(child.pid);
    return url && served ? { url, pid: Number(served) } : undefined;
  };
  const { url, pid } = await new Promise<{ url: string; pid: number }>((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const found = ready();
      if (found) resolve(found);
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${spec.command} ${spec.args.join(' ')} exited ${code} before listening: ${stderr.trim()}`)));
  });
  let last = { rss: 0, peak: 0 };
  return {
    url,
    pid,
    memory: () => (last = procMemory(pid) ?? last),
    mainThreadCpuMs: () => cpuMs(pid, pid),
    processCpuMs: () => cpuMs(pid),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/**
 * Runs a TypeScript entry file with this process's Node (type stripping, no loader: as `npm start`
 * runs the service) and resolves once it writes `listening on <url>` to stderr.
 * BENCH_SERVICE_NODE_ARGS adds Node flags, for profiling (e.g. --cpu-prof).
 */
export function startNodeProcess(entry: URL, env: Record<string, string>, nodeFlags: readonly string[] = []): Promise<NodeProcess> {
  const flags = (process.env['BENCH_SERVICE_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  return startProcess({ command: process.execPath, args: [...nodeFlags, ...flags, entry.pathname], env, listening: /listening on (http:\/\/\S+)/ });
}

/** The Node flags of `npm start` (package.json's start script, `node [flags] handlers/main.ts`), so that the bench runs the service alike. */
function startScriptFlags(): string[] {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
  const words = manifest.scripts.start.trim().split(/\s+/);
  if (words[0] !== 'node' || words.at(-1) !== 'handlers/main.ts') throw new Error(`the start script is not \`node [flags] handlers/main.ts\`: ${manifest.scripts.start}`);
  return words.slice(1, -1);
}

export const benchProject = 'bench-project';

/**
 * The service as `npm start` runs it against a GitHub App (single-machine mode: embedded engine,
 * journal in a temporary DATA_DIR), in its own process, so that its CPU and memory are its own;
 * the simulators that stand in for GitHub and Compute Engine run in this process.
 */
export async function startServiceAgainstSimulators(options: { maxRunners: number; connectRunners: boolean }) {
  const world = await startLocalWorld({ github: true, compute: true, connectRunners: options.connectRunners, log: benchLogger() });
  const github = world.github!;
  const compute = world.compute!;
  const dataDir = mkdtempSync(join(tmpdir(), 'ghr-bench-'));
  const service = await startNodeProcess(new URL('../handlers/main.ts', import.meta.url), {
    PORT: '0',
    GITHUB_APP_ID: String(github.appId),
    GITHUB_APP_PRIVATE_KEY: github.privateKey,
    GITHUB_WEBHOOK_SECRET: github.webhookSecret,
    GITHUB_API_URL: github.url,
    COMPUTE_API_ENDPOINT: compute.url,
    GOOGLE_CLOUD_PROJECT: benchProject,
    RUNNER_TEMPLATES_YAML: benchTemplates(options.maxRunners),
    DATA_DIR: dataDir,
  }, startScriptFlags()).catch(async (error: unknown) => {
    await world.close();
    throw error;
  });
  github.setWebhookUrl(`${service.url}/webhook`);
  return {
    github,
    compute,
    service,
    async close() {
      await service.stop();
      await world.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
