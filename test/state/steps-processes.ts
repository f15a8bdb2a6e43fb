import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export interface StepsProcess {
  readonly url: string;
  output(): string;
  /** SIGKILL: nothing is flushed or closed, no transaction is rolled back. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts test/state/steps-instance.ts in a process of its own and resolves once it listens. */
export async function startStepsProcess(env: Record<string, string>, timeoutMs = 30_000): Promise<StepsProcess> {
  const child: ChildProcess = spawn(process.execPath, [new URL('./steps-instance.ts', import.meta.url).pathname], {
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-200_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = once(child, 'exit');
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    child.stderr?.on('data', () => {
      const found = /listening on (http:\/\/[\d.:]+)/.exec(output);
      if (found?.[1]) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    output: () => output,
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
