import test from 'ava';
import { buildApp } from '../../handlers/app.ts';
import { parseTemplatesFile } from '../../handlers/config/templates-file.ts';
import { createMemoryLogger } from '../../handlers/log/logger.ts';
import type { AppCredentials } from '../../handlers/setup/app-credentials.ts';
import { setupRoute } from '../../handlers/setup/setup-route.ts';
import { startGitHubSimulator } from '../../simulators/github/start-github-simulator.ts';
import { listen } from '../helpers/listen.ts';

const TOKEN = 'ghes-setup-token-0123456789abcdef';
const templates = parseTemplatesFile('templates:\n  - name: linux\n    labels: [self-hosted, linux]\n    spot: true\n');
const unescape = (text: string) => text.replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)));

test('on GitHub Enterprise Server the App is created on the server’s pages and converted through its /api/v3', async (t) => {
  const github = await startGitHubSimulator({ basePath: '/api/v3', webUser: 'admin' });
  const logger = createMemoryLogger('debug');
  let current: AppCredentials | null = null;
  const written: AppCredentials[] = [];
  const app = buildApp({
    log: logger.log,
    isReady: () => true,
    routers: [setupRoute({
      setupToken: TOKEN, publicUrl: 'http://127.0.0.1:1', apiUrl: github.url, templates, defaultAppName: 'runners', log: logger.log, now: Date.now,
      credentials: { writable: true, current: async () => current, replaced: (c) => void (current = c) },
      writer: { write: async (c) => void written.push(c) },
    })],
  });
  const service = await listen(app);
  t.teardown(async () => (await service.close(), await github.close()));
  t.true(github.url.endsWith('/api/v3'));

  const started = await fetch(`${service.url}/setup`, { method: 'POST', body: new URLSearchParams({ token: TOKEN, account: 'user', name: 'ghes-runners' }) });
  const cookie = (started.headers.get('set-cookie') ?? '').split(';')[0]!;
  const page = await started.text();
  const action = unescape(/action="([^"]+)"/.exec(page)?.[1] ?? '');
  const manifest = unescape(/name="manifest" value="([^"]+)"/.exec(page)?.[1] ?? '');
  t.true(action.startsWith(`${github.url.replace(/\/api\/v3$/, '')}/settings/apps/new?state=`), action);
  t.is(JSON.parse(manifest).default_permissions.actions, 'write'); // a spot template re-runs preempted jobs
  t.is(JSON.parse(manifest).default_permissions.administration, 'write'); // a user account: runners per repository

  const created = await fetch(action, { method: 'POST', body: new URLSearchParams({ manifest, confirm: 'yes' }), redirect: 'manual' });
  const back = new URL(created.headers.get('location') ?? '');
  const stored = await fetch(`${service.url}${back.pathname}${back.search}`, { headers: { cookie }, redirect: 'manual' });
  t.is(stored.status, 303);
  t.is(written.length, 1);
  t.is(written[0]?.appId, String(github.appId));
  const install = stored.headers.get('location') ?? '';
  t.is(install, `${github.url.replace(/\/api\/v3$/, '')}/apps/ghes-runners/installations/new`);
  const stateCookie = (stored.headers.get('set-cookie') ?? '').split(';')[0]!;
  const installed = await fetch(install, { method: 'POST', redirect: 'manual' });
  const done = new URL(installed.headers.get('location') ?? '');
  t.is(done.pathname, '/setup/installed');
  const confirmation = await fetch(`${service.url}${done.pathname}${done.search}`, { headers: { cookie: `${cookie}; ${stateCookie}` } });
  t.is(confirmation.status, 200);
  t.regex(await confirmation.text(), /Installed on: <strong id="accounts">admin<\/strong>/);
});
