import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../app.ts';
import { systemClock, type Clock } from '../clock.ts';
import { createComputeClient } from '../compute/create-compute-client.ts';
import type { AppConfig } from '../config/types.ts';
import { createSealer } from '../crypto/sealer.ts';
import { githubAppAccess } from '../setup/github-app-access.ts';
import { createRunnerReleaseSource } from '../github/create-runner-release-source.ts';
import { SpotLedger } from '../steps/spot-ledger.ts';
import { loadOrCreateSealKey } from '../durability/seal-key.ts';
import { LostRunnerEvents } from '../dispatch/lost-runner-events.ts';
import { createAdmissionSlots } from '../state/admission-slots.ts';
import { createLocalStateStore } from '../state/local-state-store.ts';
import { createWarmPools, type WarmPoolsFactory } from '../warm/warm-pools.ts';
import { openStateStore } from '../state/open-state-store.ts';
import type { Log } from '../log/logger.ts';
import type { MetricStore } from '../metrics/metric-store.ts';
import type { EngineClock } from '../../workflows/engine/clock.ts';
import { webhookHandler } from '../webhook/webhook-route.ts';
import { buildRoutes, webhookDepsOf } from './build-routes.ts';
import { startEmbeddedRuntime, type EmbeddedRuntime } from './embedded-runtime.ts';
import { startLocalWorld, type LocalWorld } from './local-world.ts';

export interface SystemOptions {
  readonly log: Log;
  readonly clock?: Clock;
  /** The embedded engine's clock: tests pass a manual one to run idle timeouts without waiting. */
  readonly engineClock?: EngineClock;
  readonly host?: string;
  readonly bootDelayMs?: number;
  readonly autoRunMs?: number;
  readonly connectRunners?: boolean;
  /** Create-rate limit of the in-process queue (Cloud Tasks' max_dispatches_per_second). */
  readonly createsPerSecond?: number;
  readonly admissionRetrySeconds?: number;
  /** Fed by `log` (its `onMetric`): serves the local dashboard at `/` and `/metrics`. */
  readonly metrics?: MetricStore;
}

export interface RunningSystem {
  readonly url: string;
  readonly world: LocalWorld;
  readonly embedded: EmbeddedRuntime | null;
  /** Where /setup is served: the token it asks for (printed by main.ts, never logged). */
  readonly setupToken: string | null;
  close(): Promise<void>;
}

async function listenOn(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, () => resolve()));
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}

/**
 * Builds and starts the whole service from its configuration: the simulators where no real
 * GitHub or Compute Engine is configured, the clients, the steps, the embedded engine and queue
 * (or the Google Cloud ones), and the HTTP server for the role.
 */
export async function startSystem(config: AppConfig, options: SystemOptions): Promise<RunningSystem> {
  const log = options.log;
  const clock = options.clock ?? systemClock;
  const world = await startLocalWorld({
    github: config.github === null,
    compute: config.computeApiEndpoint === null && !config.useRealCompute,
    log,
    ...(options.bootDelayMs === undefined ? {} : { bootDelayMs: options.bootDelayMs }),
    ...(options.autoRunMs === undefined ? {} : { autoRunMs: options.autoRunMs }),
    ...(options.connectRunners === undefined ? {} : { connectRunners: options.connectRunners }),
  });
  const compute = createComputeClient({ project: config.googleCloudProject, apiEndpoint: world.compute?.url ?? config.computeApiEndpoint, log });
  const server = createServer();
  const url = await listenOn(server, config.port, options.host ?? '127.0.0.1');
  const simulated = world.github && { appId: String(world.github.appId), privateKey: world.github.privateKey, webhookSecret: world.github.webhookSecret, apiUrl: world.github.url };
  const access = await githubAppAccess({ config, simulated, url, log, clock });
  const github = access.github;
  // The webhook role mounts neither steps nor dispatch, the only users of the shared state: it
  // opens no Firestore client (and needs no IAM on it), only a store in memory no route reaches.
  const state = config.role === 'webhook' ? createLocalStateStore() : await openStateStore(config);
  const shared = { lostEvents: new LostRunnerEvents(state), slots: createAdmissionSlots(state, () => clock.now()), spot: new SpotLedger(state) };
  const { lostEvents, slots } = shared;
  const warmPools: WarmPoolsFactory = (ports) => createWarmPools({ ...ports, store: state, github: () => github, templates: config.templates, log, now: () => clock.now() });
  const embedded =
    config.workflowEngine.kind === 'embedded'
      ? startEmbeddedRuntime({ url, config, compute, log, lostEvents, slots, warmPools, now: () => clock.now(), ...(config.dataDir ? { dataDir: config.dataDir } : {}), ...(options.engineClock ? { clock: options.engineClock } : {}), createsPerSecond: options.createsPerSecond ?? 20, ...(options.admissionRetrySeconds === undefined ? {} : { admissionRetrySeconds: options.admissionRetrySeconds }) })
      : null;
  let ready = false;
  // Loaded only on Google Cloud: the Tasks and Workflows client libraries cost ~80 MB of RSS that
  // the embedded engine never needs.
  const cloud = config.workflowEngine.kind === 'cloud' ? (await import('./cloud-parts.ts')).startCloudParts(config, { compute, log, lostEvents, slots, warmPools, now: () => clock.now() }) : null;
  const stepDeps = github && {
    github,
    compute,
    templates: config.templates,
    sealer: createSealer(config.sealKey ?? (config.dataDir ? loadOrCreateSealKey(config.dataDir) : randomBytes(32))),
    log,
    clock,
    startupScript: readFileSync(new URL('../../startup/startup.sh', import.meta.url), 'utf8'),
    ...shared,
    warmPools: (embedded ?? cloud)!.warmPools,
    runnerRelease: createRunnerReleaseSource({ github, releasesUrl: config.runnerReleasesUrl, dataDir: config.dataDir, clock, log }),
  };


  const routeParts = { config, log, world, stepDeps, webhookSecret: access.webhookSecret, compute, embedded, cloud, setup: access.setup?.router ?? null, metrics: options.metrics ?? null };
  const expressApp = buildApp({ log, routers: buildRoutes(routeParts, url), isReady: () => ready });
  const webhookDeps = webhookDepsOf(routeParts);
  const webhook = webhookDeps && webhookHandler(webhookDeps);
  // The public hot path skips Express: every job of every repository the App is installed on is
  // delivered here, most of them for other runners. Other spellings of the path (trailing slash,
  // case) still reach the same handler through Express's router.
  server.on('request', (request, response) => {
    if (webhook && request.method === 'POST' && (request.url === '/webhook' || request.url?.startsWith('/webhook?'))) webhook(request, response);
    else expressApp(request, response);
  });
  if (world.github) world.github.setWebhookUrl(`${url}/webhook`);
  if (embedded) await embedded.engine.recovered;
  ready = true;
  // Pools fill now rather than at the reaper's first run, minutes away; the reaper keeps them so.
  if (config.role !== 'webhook' && stepDeps && config.templates.templates.some((template) => template.warmPool)) void stepDeps.warmPools.tend();
  return {
    url,
    world,
    embedded,
    setupToken: access.setup?.token ?? null,
    async close() {
      embedded?.close();
      await access.setup?.close();
      await cloud?.close();
      // close() waits for in-flight requests (Cloud Run allows 10 s after SIGTERM); idle keep-alive
      // connections would hold it open, so they go at once.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      await world.close();
      await compute.close();
      await state.close();
    },
  };
}
