import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startNodeProcess, startProcess, type NodeProcess } from '../service-process.ts';

/** The standard Node stack (@octokit/webhooks) in a process of its own. */
export function startOctokitPeer(secret: string, labels: readonly string[]): Promise<NodeProcess> {
  return startNodeProcess(new URL('./octokit-peer-main.ts', import.meta.url), { BENCH_SECRET: secret, BENCH_LABELS: labels.join(',') });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/**
 * The original project's shape (Flask under gunicorn, 1 worker × 8 threads, as it ships), or why
 * it is skipped: Flask and gunicorn come from Debian (`apt-get install python3-flask gunicorn`),
 * which CI does not install. CPU and memory are the worker's, the process that serves.
 */
export async function startFlaskPeer(secret: string, labels: readonly string[]): Promise<NodeProcess | { skipped: string }> {
  const skipped = (why: string) => ({ skipped: `Flask peer skipped (${why}); to measure it: apt-get install python3-flask gunicorn` });
  // gunicorn's own script: its shebang names the interpreter it was installed for (Debian's python3), whatever python3 is first on PATH.
  if (spawnSync('gunicorn', ['--version']).error) return skipped('no gunicorn on PATH');
  const port = await freePort();
  return startProcess({
    command: 'gunicorn',
    args: ['--workers', '1', '--threads', '8', '--bind', `127.0.0.1:${port}`, '--chdir', fileURLToPath(new URL('.', import.meta.url)), 'flask_peer:app'],
    env: { BENCH_SECRET: secret, BENCH_LABELS: labels.join(',') },
    listening: /Listening at: (http:\/\/\S+)/,
    servingPid: /Booting worker with pid: (\d+)/,
  }).then(
    (peer) => ({ ...peer, url: `${peer.url}/webhook` }),
    (error: unknown) => skipped(/ModuleNotFoundError: .*|$/.exec(String(error))![0] || 'gunicorn did not start'),
  );
}
