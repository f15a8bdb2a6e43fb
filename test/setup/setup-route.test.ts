import test from 'ava';
import { buildApp } from '../../handlers/app.ts';
import { parseTemplatesFile } from '../../handlers/config/templates-file.ts';
import { createMemoryLogger } from '../../handlers/log/logger.ts';
import type { AppCredentials } from '../../handlers/setup/app-credentials.ts';
import { setupRoute } from '../../handlers/setup/setup-route.ts';
import { startGitHubSimulator } from '../../simulators/github/start-github-simulator.ts';
import { listen } from '../helpers/listen.ts';

const TOKEN = 'the-real-setup-token-0123456789abcdef';
const templates = parseTemplatesFile('templates:\n  - name: linux\n    labels: [self-hosted, linux]\n');

async function start(publicUrl?: string) {
  const github = await startGitHubSimulator();
  const logger = createMemoryLogger('debug');
  const written: AppCredentials[] = [];
  let current: AppCredentials | null = null;
  const credentials = { writable: true, current: async () => current, replaced: (c: AppCredentials) => void (current = c) };
  const router = setupRoute({
    setupToken: TOKEN,
    publicUrl: publicUrl ?? 'http://127.0.0.1:1',
    apiUrl: github.url,
    templates,
    credentials,
    writer: { write: async (c) => void written.push(c) },
    defaultAppName: 'runners',
    log: logger.log,
    now: Date.now,
  });
  const server = await listen(buildApp({ log: logger.log, routers: [router], isReady: () => true }));
  const post = (form: Record<string, string>) => fetch(`${server.url}/setup`, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });
  return { github, logger, written, server, post, close: async () => (await server.close(), await github.close()) };
}

const form = { token: TOKEN, account: 'organization', organization: 'acme', name: 'acme-runners' };

test('a wrong token is refused without echoing what was typed or the token, and logged without either', async (t) => {
  const world = await start();
  t.teardown(world.close);
  const typed = 'guess-guess-guess-guess';
  const response = await world.post({ ...form, token: typed });
  t.is(response.status, 403);
  const body = await response.text();
  t.false(body.includes(typed));
  t.false(body.includes(TOKEN));
  t.is(response.headers.get('set-cookie'), null);
  t.regex(world.logger.text(), /wrong setup token/);
  t.false(world.logger.text().includes(typed));
});

test('the token sends the manifest to GitHub with a state tied to an HttpOnly cookie', async (t) => {
  const world = await start('https://hook.example.test');
  t.teardown(world.close);
  const response = await world.post(form);
  t.is(response.status, 200);
  const cookie = response.headers.get('set-cookie') ?? '';
  t.regex(cookie, /^gcgr_setup=[\w-]+; Path=\/setup; HttpOnly; SameSite=Lax; Max-Age=3600; Secure$/);
  const html = await response.text();
  t.regex(html, new RegExp(`action="${world.github.url}/organizations/acme/settings/apps/new\\?state=\\d+\\.[\\w-]+"`));
  t.regex(html, /organization_self_hosted_runners/);
  t.regex(response.headers.get('content-security-policy') ?? '', /script-src 'nonce-/);
  t.false(world.logger.text().includes(TOKEN));
});

test('an organization login that is not one is refused before anything is sent', async (t) => {
  const world = await start();
  t.teardown(world.close);
  const response = await world.post({ ...form, organization: 'acme/../../evil' });
  t.is(response.status, 400);
});

test('a return from GitHub without the browser cookie, or with another setup’s state, exchanges no code', async (t) => {
  const world = await start();
  t.teardown(world.close);
  const first = await world.post(form);
  const state = /state=([\d.\w-]+)"/.exec(await first.text())?.[1] ?? '';
  const second = await world.post(form);
  const otherCookie = (second.headers.get('set-cookie') ?? '').split(';')[0]!;
  const noCookie = await fetch(`${world.server.url}/setup/created?code=abc&state=${state}`, { redirect: 'manual' });
  t.is(noCookie.status, 403);
  const wrongBrowser = await fetch(`${world.server.url}/setup/created?code=abc&state=${state}`, { headers: { cookie: otherCookie }, redirect: 'manual' });
  t.is(wrongBrowser.status, 403);
  t.false(world.github.requests().some((r) => r.path.startsWith('/app-manifests/')));
  t.deepEqual(world.written, []);
});

test('the confirmation page is closed to anyone who did not complete a setup in this browser', async (t) => {
  const world = await start();
  t.teardown(world.close);
  const response = await fetch(`${world.server.url}/setup/installed?installation_id=1&setup_action=install`);
  t.is(response.status, 403);
});
