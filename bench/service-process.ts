import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';

/** Peak and current RSS of a process, from /proc (Linux): VmHWM is the kernel's own high-water mark. */
function procMemory(pid: number): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return null;
  }
}

export interface ServiceProcess {
  readonly url: string;
  readonly pid: number;
  /** RSS now, and the process's peak so far. */
  memory(): { rss: number; peak: number };
  stop(): Promise<void>;
}

/**
 * The service as `npm start` runs it (`node handlers/main.ts`, this process's Node), in its own
 * process with the given environment, its log on /dev/null: its memory is then its own, not that of
 * the simulators and the driver that stand in for GitHub and Compute Engine.
 */
export async function startServiceProcess(env: Record<string, string>): Promise<ServiceProcess> {
  const main = new URL('../handlers/main.ts', import.meta.url).pathname;
  // BENCH_SERVICE_NODE_ARGS: extra Node flags for the service alone, for profiling (e.g. --heapsnapshot-signal=SIGUSR2).
  const extra = (process.env['BENCH_SERVICE_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  const execArgv = extra;
  const child = spawn(process.execPath, [...execArgv, main], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (process.env['BENCH_SERVICE_STDERR']) process.stderr.write(chunk);
      const listening = /listening on (http:\/\/\S+)/.exec(stderr);
      if (listening) resolve(listening[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the service exited ${code} before listening: ${stderr.trim()}`)));
  });
  const pid = child.pid!;
  let last = { rss: 0, peak: 0 };
  return {
    url,
    pid,
    memory: () => (last = procMemory(pid) ?? last),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
