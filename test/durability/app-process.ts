import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface AppProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything it wrote, for the failure message. */
  output(): string;
  /** SIGKILL: no handler runs, nothing is flushed or closed. */
  kill9(): Promise<void>;
}

/**
 * Starts the product as `npm start` does (`node handlers/main.ts`), in a child process of its own,
 * not through npm: a SIGKILL to the npm wrapper would leave the real server running.
 */
export async function startApp(env: Record<string, string>, timeoutMs = 20_000): Promise<AppProcess> {
  const child = spawn(process.execPath, ['handlers/main.ts'], {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the app did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const look = () => {
      const found = /listening on (http:\/\/[\d.:]+)/.exec(output);
      if (found?.[1]) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    };
    child.stderr?.on('data', look);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the app exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
