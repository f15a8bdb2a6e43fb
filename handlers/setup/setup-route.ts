import { randomBytes } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { TemplatesConfig } from '../config/types.ts';
import { createGitHubClient } from '../github/create-github-client.ts';
import type { OctokitRequest } from '../github/installation-call.ts';
import type { Log } from '../log/logger.ts';
import { appManifest } from './app-manifest.ts';
import type { CredentialSource } from './app-credentials.ts';
import { convertManifestCode, ManifestConversionError } from './convert-manifest-code.ts';
import type { CredentialWriter } from './credential-writer.ts';
import { githubWebUrl } from './github-web-url.ts';
import { errorPage, formPage, installedPage, toGitHubPage } from './setup-pages.ts';
import { COOKIE, cookieOf, field, readForm, send, STATE_COOKIE } from './setup-http.ts';
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

/** The setup's cookies: HttpOnly, for /setup only, Secure where the service is reached over https. */
function cookie(deps: SetupDeps, name: string, value: string, maxAge: number): string {
  return `${name}=${value}; Path=/setup; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${deps.publicUrl.startsWith('https:') ? '; Secure' : ''}`;
}

const stateOk = (deps: SetupDeps, request: Request, state: unknown) => stateMatches(deps.setupToken, state, cookieOf(request), deps.now());
const configuredAppId = async (deps: SetupDeps) => (await deps.credentials.current())?.appId ?? null;

/** Token checked → the manifest, auto-posted to GitHub's "create App" page with a state tied to a cookie. */
async function startSetup(deps: SetupDeps, request: Request, response: Response): Promise<void> {
  const appId = await configuredAppId(deps);
  if (!tokenMatches(field(request, 'token'), deps.setupToken)) {
    deps.log.warn({ component: 'setup' }, 'setup refused: wrong setup token');
    return send(response, 403, formPage({ configuredAppId: appId, defaultName: deps.defaultAppName, error: 'That is not the setup token.' }));
  }
  const form = readForm(request);
  if (typeof form === 'string') return send(response, 400, formPage({ configuredAppId: appId, defaultName: deps.defaultAppName, error: form }));
  const { nonce, state } = createSetupState(deps.setupToken, deps.now());
  const manifest = appManifest({ name: form.name, publicUrl: deps.publicUrl, account: form.account, templates: deps.templates });
  const action = `${githubWebUrl(deps.apiUrl)}${form.path}?state=${encodeURIComponent(state)}`;
  response.setHeader('set-cookie', cookie(deps, COOKIE, nonce, 3600));
  deps.log.info({ component: 'setup', account: form.account }, 'setup: sending the App manifest to GitHub');
  const scriptNonce = randomBytes(16).toString('base64');
  send(response, 200, toGitHubPage(action, JSON.stringify(manifest), scriptNonce), scriptNonce);
}

/** GitHub's return with the code: exchanged, stored, used at once; then on to install the App. */
async function appCreated(deps: SetupDeps, request: Request, response: Response): Promise<void> {
  const code = request.query['code'];
  const state = request.query['state'];
  if (!stateOk(deps, request, state) || typeof code !== 'string' || !/^[A-Za-z0-9_-]{1,100}$/.test(code)) {
    return send(response, 403, errorPage('This return from GitHub does not belong to a setup started in this browser.'));
  }
  try {
    const app = await convertManifestCode(deps.apiUrl, code, deps.request);
    await deps.writer.write(app.credentials);
    deps.credentials.replaced(app.credentials);
    deps.log.info({ component: 'setup', appId: app.credentials.appId, owner: app.owner }, 'setup: GitHub App created and stored');
    response.setHeader('set-cookie', cookie(deps, STATE_COOKIE, String(state), 3600));
    response.redirect(303, `${app.htmlUrl}/installations/new`);
  } catch (error) {
    const message = error instanceof ManifestConversionError ? error.message : 'The App could not be stored; see the service log.';
    deps.log.error({ component: 'setup', err: error instanceof ManifestConversionError ? { status: error.status } : error }, 'setup: App creation failed');
    send(response, 502, errorPage(message));
  }
}

/** The App's setup URL after installation: confirmed with the App's own credentials (its installations). */
async function appInstalled(deps: SetupDeps, request: Request, response: Response): Promise<void> {
  const credentials = await deps.credentials.current();
  if (!stateOk(deps, request, cookieOf(request, STATE_COOKIE)) || credentials === null) return send(response, 403, errorPage('This page belongs to a setup started in this browser.'));
  const github = createGitHubClient({ appId: credentials.appId, privateKey: credentials.privateKey, apiUrl: deps.apiUrl, log: deps.log, ...(deps.request ? { request: deps.request } : {}) });
  const installations = await github.listInstallations().catch(() => []);
  response.setHeader('set-cookie', [cookie(deps, COOKIE, '', 0), cookie(deps, STATE_COOKIE, '', 0)]);
  send(response, 200, installedPage(`App ${credentials.appId}`, installations.map((i) => i.owner)));
}

/**
 * `/setup`: creates the GitHub App from a manifest (https://docs.github.com/apps/sharing-github-apps/registering-a-github-app-from-a-manifest).
 * Token → manifest posted to GitHub → GitHub returns a code to /setup/created → exchanged for the
 * App's credentials, stored → the browser installs the App → /setup/installed confirms.
 */
export function setupRoute(deps: SetupDeps): Router {
  return express
    .Router()
    .get('/setup', async (_request, response) => send(response, 200, formPage({ configuredAppId: await configuredAppId(deps), defaultName: deps.defaultAppName })))
    .post('/setup', express.urlencoded({ extended: false, limit: '8kb' }), (request, response) => startSetup(deps, request, response))
    .get('/setup/created', (request, response) => appCreated(deps, request, response))
    .get('/setup/installed', (request, response) => appInstalled(deps, request, response));
}
