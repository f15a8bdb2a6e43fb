import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';

const run = promisify(execFile);
const root = new URL('..', import.meta.url).pathname;

test('the README opens with the two commands', (t) => {
  const readme = readFileSync(`${root}README.md`, 'utf8');
  const firstBlock = readme.slice(readme.indexOf('```'), readme.indexOf('```', readme.indexOf('```') + 3));
  t.regex(firstBlock, /npm install && npm start/);
  t.regex(firstBlock, /npm test/);
});

test('npm start runs the system with no configuration; npm run simulate shows a job VM created and deleted; SIGTERM stops it cleanly', async (t) => {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', DATA_DIR: mkdtempSync(join(tmpdir(), 'ghr-readme-')) };
  for (const name of ['GITHUB_APP_ID', 'GITHUB_APP_PRIVATE_KEY', 'GITHUB_WEBHOOK_SECRET', 'GOOGLE_CLOUD_PROJECT', 'COMPUTE_API_ENDPOINT', 'WORKFLOW_ENGINE']) delete env[name];
  // Its own process group, so SIGTERM reaches npm and the app alike, as on a container stop.
  const server = spawn('npm', ['start', '--silent'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let logs = '';
  server.stdout.on('data', (chunk: Buffer) => void (logs += chunk.toString()));
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let text = '';
      server.stderr.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(text);
        if (match) resolve(match[1]!);
      });
      server.once('exit', () => reject(new Error(`npm start exited: ${text}`)));
    });
    const { stdout } = await run('npm', ['run', 'simulate', '--silent'], { cwd: root, env: { ...env, APP_URL: url }, timeout: 60_000 });
    t.regex(stdout, /queued job \d+/);
    t.regex(stdout, /SUCCEEDED/);
    t.regex(stdout, /"outcome":"completed"/);
    t.regex(stdout, /main\.create_vm/);
    t.regex(stdout, /main\.delete_vm/);
  } finally {
    process.kill(-server.pid!, 'SIGTERM');
  }
  await exited;
  await new Promise((resolve) => setTimeout(resolve, 500));
  t.regex(logs, /"message":"stopping: draining in-flight requests"/);
  t.notRegex(logs, /"severity":"(ERROR|CRITICAL)"/);
});
