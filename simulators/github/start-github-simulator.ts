import { randomBytes } from 'node:crypto';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../../handlers/clock.ts';
import type { Log } from '../../handlers/log/logger.ts';
import { createAccounts } from './accounts.ts';
import { generateAppKeyPair, publicKeyOf } from './app-jwt.ts';
import { createSimulatorApp } from './create-app.ts';
import type { SimApp, SimContext } from './context.ts';
import { createManifestCodes } from './manifest-flow.ts';
import { manifestWebRoutes } from './routes/manifest-web-routes.ts';
import { createControl, type GitHubSimulatorControl } from './control.ts';
import { createDeliveries } from './deliveries.ts';
import { createFaults } from './faults.ts';
import { isoSeconds } from './http.ts';
import { createJobWorld } from './job-world.ts';
import { createRecorder } from './recorder.ts';
import { createRunnerRegistry } from './runner-registry.ts';
import { createRunnerReleases } from './runner-releases.ts';
import { createTokenStore } from './tokens.ts';

export interface GitHubSimulatorOptions {
  readonly appId?: number;
  /** The App's PEM key; a fresh RSA pair is generated when absent. */
  readonly privateKey?: string;
  /** Where `workflow_job` deliveries go; can be set later with `setWebhookUrl`. */
  readonly webhookUrl?: string;
  readonly webhookSecret?: string;
  readonly clock?: Clock;
  readonly log?: Log;
  /** Default 0: any free port. */
  readonly port?: number;
  /** The first installation id handed out; random by default (see `createAccounts`). */
  readonly firstInstallationId?: number;
  /** Serve the API under a path, e.g. `/api/v3` as GitHub Enterprise Server does. */
  readonly basePath?: string;
  /** The signed-in user of the web pages (manifest flow); default `octocat`. */
  readonly webUser?: string;
}

export interface GitHubSimulator extends GitHubSimulatorControl {
  /** Base URL of the REST API, e.g. `http://127.0.0.1:41234`: the client's `apiUrl`. */
  readonly url: string;
  readonly appId: number;
  readonly privateKey: string;
  readonly webhookSecret: string;
  close(): Promise<void>;
}

const DEFAULT_APP_ID = 123_456;

/** A GitHub that the real octokit libraries talk to unchanged, on 127.0.0.1. */
export async function startGitHubSimulator(options: GitHubSimulatorOptions = {}): Promise<GitHubSimulator> {
  const clock = options.clock ?? systemClock;
  const appId = options.appId ?? DEFAULT_APP_ID;
  const privateKey = options.privateKey ?? generateAppKeyPair().privateKey;
  const webhookSecret = options.webhookSecret ?? randomBytes(20).toString('hex');
  let url = '';
  let webhookUrl = options.webhookUrl;
  const accounts = createAccounts(options.firstInstallationId);
  const runners = createRunnerRegistry();
  const app: SimApp = { id: appId, privateKey, publicKey: publicKeyOf(privateKey), webhookSecret, slug: 'google-cloud-github-runner-sim', name: 'google-cloud-github-runner (simulated)', setupUrl: null,
    owner: { login: options.webUser ?? 'octocat', type: 'User' }, permissions: { actions: 'read', metadata: 'read', organization_self_hosted_runners: 'write' }, events: ['workflow_job'] };
  const deliveries = createDeliveries({
    clock,
    get secret() {
      return app.webhookSecret;
    },
    get appId() {
      return app.id;
    },
    webhookUrl: () => webhookUrl,
    log: options.log,
  });
  const recorder = createRecorder(clock);
  const ctx: SimContext = {
    get appId() {
      return app.id;
    },
    get publicKey() {
      return app.publicKey;
    },
    app,
    manifestCodes: createManifestCodes(clock),
    webUser: options.webUser ?? 'octocat',
    clock,
    startedAt: isoSeconds(clock.now()),
    accounts,
    tokens: createTokenStore(clock),
    runners,
    runnerReleases: createRunnerReleases(clock),
    jobs: createJobWorld({ clock, accounts, runners, deliveries, apiUrl: () => url }),
    deliveries,
    faults: createFaults((res) => recorder.markFaulted(res)),
    recorder,
    apiUrl: () => url,
    setWebhookUrl: (next: string | undefined) => void (webhookUrl = next),
  };
  const control = createControl(ctx);
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const api = createSimulatorApp(ctx, control);
  // The web pages (manifest flow) live at the host's root, the API under basePath (GHES: /api/v3).
  const server = express().use(manifestWebRoutes(ctx)).use(basePath === '' ? '/' : basePath, api).listen(options.port ?? 0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${basePath}`;
  options.log?.info({ url, appId }, 'GitHub simulator listening');
  const close = async () => {
    ctx.jobs.close();
    await deliveries.settled();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  // Getters: after a manifest conversion these are the new App's.
  return {
    ...control,
    url,
    get appId() {
      return app.id;
    },
    get privateKey() {
      return app.privateKey;
    },
    get webhookSecret() {
      return app.webhookSecret;
    },
    close,
  };
}
