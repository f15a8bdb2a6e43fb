import express, { type Router } from 'express';
import type { Compute } from '../compute/compute.ts';
import type { ActiveRuns } from '../dispatch/admission.ts';
import type { AppConfig } from '../config/types.ts';
import type { Log } from '../log/logger.ts';
import type { JobQueue } from '../queue/job-event.ts';
import { createReaperSteps, type ExecutionStates } from '../reaper/index.ts';
import { steps } from '../steps/index.ts';
import { mountSteps } from '../steps/mount-steps.ts';
import type { StepDeps } from '../steps/step-deps.ts';
import { webhookRoute, type WebhookDeps } from '../webhook/webhook-route.ts';
import { dashboardRoute } from '../dashboard/dashboard-route.ts';
import type { MetricStore } from '../metrics/metric-store.ts';
import { runnerWorkflowId, type EmbeddedRuntime } from './embedded-runtime.ts';
import type { LocalWorld } from './local-world.ts';

export interface RouteParts {
  readonly config: AppConfig;
  readonly log: Log;
  readonly world: LocalWorld;
  readonly stepDeps: StepDeps | null;
  readonly webhookSecret: WebhookDeps['webhookSecret'] | null;
  readonly compute: Compute;
  readonly embedded: EmbeddedRuntime | null;
  readonly cloud: CloudParts | null;
  /** `/setup`, where the App comes from a credentials store. */
  readonly setup: Router | null;
  /** The metric events logged by this process, for the local dashboard; null → no dashboard. */
  readonly metrics?: MetricStore | null;
}

/** On Google Cloud: the queue the webhook writes to, and the dispatch route Cloud Tasks calls. */
export interface CloudParts {
  /** null in the steps role, which never enqueues. */
  readonly queue: JobQueue | null;
  readonly dispatch: Router;
  readonly executionStates: ExecutionStates;
  readonly activeRuns: ActiveRuns;
}

/** `GET /_local`: where the simulators and the engine listen, for `npm run simulate` and people. */
function localInfoRoute(parts: RouteParts, url: string): Router {
  return express.Router().get('/_local', (_request, response) => {
    response.json({
      app: url,
      webhook: `${url}/webhook`,
      engine: parts.embedded ? `${url}/v1/projects/${parts.config.googleCloudProject}/locations/local/workflows/runner` : null,
      githubSimulator: parts.world.github?.url ?? null,
      computeSimulator: parts.world.compute?.url ?? null,
    });
  });
}

/** What `POST /webhook` needs, in the roles that serve it (null in the steps role). */
export function webhookDepsOf(parts: RouteParts): WebhookDeps | null {
  if (parts.config.role === 'steps') return null;
  const queue = parts.embedded?.queue ?? parts.cloud?.queue ?? null;
  if (!parts.webhookSecret || !queue) throw new Error('the webhook role needs a webhook secret and a queue');
  return { webhookSecret: parts.webhookSecret, templates: parts.config.templates, queue, log: parts.log };
}

/** The routers this process serves, by role: `webhook`, `steps`, or `all` (one process, locally). */
export function buildRoutes(parts: RouteParts, url: string): Router[] {
  const { config } = parts;
  const routers: Router[] = [];
  const webhook = webhookDepsOf(parts);
  if (webhook) routers.push(webhookRoute(webhook));
  if (parts.setup) routers.push(parts.setup);
  if (config.role !== 'webhook') {
    if (!parts.stepDeps) throw new Error('the steps role needs the GitHub App id and private key');
    const executionStates = parts.embedded?.executionStates ?? parts.cloud?.executionStates;
    const activeRuns = parts.embedded?.activeRuns ?? parts.cloud?.activeRuns;
    if (!executionStates || !activeRuns) throw new Error('the steps role needs an engine to ask about executions');
    // One router for both sets: mountSteps answers 404 for a name it does not hold.
    routers.push(mountSteps({ ...steps, ...createReaperSteps(executionStates, activeRuns) }, parts.stepDeps));
    if (parts.cloud) routers.push(parts.cloud.dispatch);
  }
  if (parts.embedded) routers.push(parts.embedded.router);
  if (parts.embedded && parts.metrics && config.role !== 'webhook') routers.push(dashboardRoute({ engine: parts.embedded.engine, compute: parts.compute, templates: config.templates, metrics: parts.metrics, log: parts.log, now: Date.now, runnerWorkflowId }));
  if (parts.world.github || parts.world.compute) routers.push(localInfoRoute(parts, url));
  return routers;
}
