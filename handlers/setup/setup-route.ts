import { randomBytes } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { TemplatesConfig } from '../config/types.ts';
import { createGitHubClient } from '../github/create-github-client.ts';
import type { OctokitRequest } from '../github/installation-call.ts';
import type { Log } from '../log/logger.ts';
import { appManifest, type AccountKind } from './app-manifest.ts';
import type { CredentialSource } from './app-credentials.ts';
import { convertManifestCode, ManifestConversionError } from './convert-manifest-code.ts';
import type { CredentialWriter } from './credential-writer.ts';
import { githubWebUrl } from './github-web-url.ts';
import { errorPage, formPage, installedPage, toGitHubPage } from './setup-pages.ts';
import { createSetupState, stateMatches, tokenMatches } from './setup-state.ts';

export interface SetupDeps {
  /** Random, from Terraform (`setup_token` output) or printed by `npm start`; never logged. */
  readonly setupToken: string;
  /** How GitHub and the browser reach this service, e.g. `https://gh-runner-webhook-….run.app`. */
  readonly publicUrl: string;
  readonly apiUrl: string;
  readonly templates: TemplatesConfig;
  readonly credentials: CredentialSource;
  readonly writer: CredentialWriter;
  readonly defaultAppName: string;
  readonly log: Log;
  readonly now: () => number;
  readonly request?: OctokitRequest;
}

const COOKIE = 'gcgr_setup';
/** Set once the App exists: GitHub's redirect to the setup URL carries no state of ours to check. */
const STATE_COOKIE = 'gcgr_setup_state';

function send(response: Response, status: number, html: string, scriptNonce?: string): void {
  const script = scriptNonce === undefined ? "'none'" : `'nonce-${scriptNonce}'`;
  response
    .status(status)
    .set({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; script-src ${script}; form-action 'self' https: http:; frame-ancestors 'none'; base-uri 'none'`,
    })
    .send(html);
}

function cookieOf(request: Request, cookie = COOKIE): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === cookie) return value.join('=');
  }
  return undefined;
}

const field = (request: Request, name: string): string => {
  const value = (request.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.trim() : '';
};

/** Checks the form; returns the account kind and the path of GitHub's "create App" page, or the problem. */
function readForm(request: Request): { account: AccountKind; path: string; name: string } | string {
  const account = field(request, 'account') === 'user' ? 'user' : 'organization';
  const name = field(request, 'name');
  if (name === '' || name.length > 34) return 'The App name must be 1 to 34 characters.';
  if (account === 'user') return { account, path: '/settings/apps/new', name };
  const organization = field(request, 'organization');
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/.test(organization)) return 'Give the organization login (letters, digits and dashes).';
  return { account, path: `/organizations/${organization}/settings/apps/new`, name };
}

/**
 * `/setup`: creates the GitHub App from a manifest (https://docs.github.com/apps/sharing-github-apps/registering-a-github-app-from-a-manifest).
 * Token → manifest posted to GitHub → GitHub returns a code to /setup/created → exchanged for the
 * App's credentials, stored → the browser installs the App → /setup/installed confirms.
 */
export function setupRoute(deps: SetupDeps): Router {
  const router = express.Router();
  const secure = deps.publicUrl.startsWith('https:');
  const configuredAppId = async () => (await deps.credentials.current())?.appId ?? null;
  const stateOk = (request: Request, state: unknown) => stateMatches(deps.setupToken, state, cookieOf(request), deps.now());
  const cookie = (name: string, value: string, maxAge: number) => `${name}=${value}; Path=/setup; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;

  router.get('/setup', async (_request, response) => {
    send(response, 200, formPage({ configuredAppId: await configuredAppId(), defaultName: deps.defaultAppName }));
  });

  router.post('/setup', express.urlencoded({ extended: false, limit: '8kb' }), async (request, response) => {
    const appId = await configuredAppId();
    if (!tokenMatches(field(request, 'token'), deps.setupToken)) {
      deps.log.warn({ component: 'setup' }, 'setup refused: wrong setup token');
      return send(response, 403, formPage({ configuredAppId: appId, defaultName: deps.defaultAppName, error: 'That is not the setup token.' }));
    }
    const form = readForm(request);
    if (typeof form === 'string') return send(response, 400, formPage({ configuredAppId: appId, defaultName: deps.defaultAppName, error: form }));
    const { nonce, state } = createSetupState(deps.setupToken, deps.now());
    const manifest = appManifest({ name: form.name, publicUrl: deps.publicUrl, account: form.account, templates: deps.templates });
    const action = `${githubWebUrl(deps.apiUrl)}${form.path}?state=${encodeURIComponent(state)}`;
    response.setHeader('set-cookie', cookie(COOKIE, nonce, 3600));
    deps.log.info({ component: 'setup', account: form.account }, 'setup: sending the App manifest to GitHub');
    const scriptNonce = randomBytes(16).toString('base64');
    send(response, 200, toGitHubPage(action, JSON.stringify(manifest), scriptNonce), scriptNonce);
  });

  router.get('/setup/created', async (request, response) => {
    const code = request.query['code'];
    const state = request.query['state'];
    if (!stateOk(request, state) || typeof code !== 'string' || !/^[A-Za-z0-9_-]{1,100}$/.test(code)) {
      return send(response, 403, errorPage('This return from GitHub does not belong to a setup started in this browser.'));
    }
    try {
      const app = await convertManifestCode(deps.apiUrl, code, deps.request);
      await deps.writer.write(app.credentials);
      deps.credentials.replaced(app.credentials);
      deps.log.info({ component: 'setup', appId: app.credentials.appId, owner: app.owner }, 'setup: GitHub App created and stored');
      response.setHeader('set-cookie', cookie(STATE_COOKIE, String(state), 3600));
      response.redirect(303, `${app.htmlUrl}/installations/new`);
    } catch (error) {
      const message = error instanceof ManifestConversionError ? error.message : 'The App could not be stored; see the service log.';
      deps.log.error({ component: 'setup', err: error instanceof ManifestConversionError ? { status: error.status } : error }, 'setup: App creation failed');
      send(response, 502, errorPage(message));
    }
  });

  router.get('/setup/installed', async (request, response) => {
    const credentials = await deps.credentials.current();
    if (!stateOk(request, cookieOf(request, STATE_COOKIE)) || credentials === null) return send(response, 403, errorPage('This page belongs to a setup started in this browser.'));
    const github = createGitHubClient({ appId: credentials.appId, privateKey: credentials.privateKey, apiUrl: deps.apiUrl, log: deps.log, ...(deps.request ? { request: deps.request } : {}) });
    const installations = await github.listInstallations().catch(() => []);
    response.setHeader('set-cookie', [cookie(COOKIE, '', 0), cookie(STATE_COOKIE, '', 0)]);
    send(response, 200, installedPage(`App ${credentials.appId}`, installations.map((i) => i.owner)));
  });
  return router;
}
