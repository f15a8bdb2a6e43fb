import { readFileSync } from 'node:fs';
import type { Router } from 'express';
import type { Compute } from '../compute/compute.ts';
import type { AppConfig } from '../config/types.ts';
import { activeRunsFromArguments } from '../dispatch/active-runs-from-arguments.ts';
import { createAdmission } from '../dispatch/admission.ts';
import { dispatchEvent, type DispatchDeps } from '../dispatch/dispatch-event.ts';
import { createHttpCallbackSender } from '../dispatch/http-callback-sender.ts';
import type { Executions } from '../dispatch/ports.ts';
import type { Log } from '../log/logger.ts';
import { InProcessQueue } from '../queue/in-process-queue.ts';
import type { JobQueue } from '../queue/job-event.ts';
import type { EngineClock } from '../../workflows/engine/clock.ts';
import { EmbeddedEngine } from '../../workflows/engine/engine.ts';
import { createEngineRouter } from '../../workflows/engine/router.ts';

export const runnerWorkflowId = 'runner';
const runnerWorkflowFile = 'workflows/runner.yaml';

export interface EmbeddedRuntime {
  readonly engine: EmbeddedEngine;
  readonly queue: JobQueue & { idle(): Promise<void> };
  /** The Workflow Executions v1 API and callbacks at Google's paths, so the same client serves both. */
  readonly router: Router;
  close(): void;
}

export interface EmbeddedRuntimeOptions {
  readonly url: string;
  readonly config: AppConfig;
  readonly compute: Compute;
  readonly log: Log;
  readonly clock?: EngineClock;
  readonly createsPerSecond: number;
  /** How soon a job over its template's cap is offered again. */
  readonly admissionRetrySeconds?: number;
}

/**
 * Off Google Cloud: the embedded Workflows engine runs runner.yaml against this process's own step
 * endpoints, and two in-process queues stand in for Cloud Tasks. Only `queued` tasks are held to the
 * create-rate limit, so a burst of new jobs never delays the events that end running ones.
 */
export function startEmbeddedRuntime(options: EmbeddedRuntimeOptions): EmbeddedRuntime {
  const { url, config, log } = options;
  const engine = new EmbeddedEngine({
    callbackBaseUrl: url,
    projectId: config.googleCloudProject,
    location: 'local',
    ...(options.clock ? { clock: options.clock } : {}),
    onLog: (entry) => log.info({ component: 'workflow', ...entry }, 'workflow log'),
  });
  const source = readFileSync(new URL(`../../${runnerWorkflowFile}`, import.meta.url), 'utf8');
  engine.deploy(runnerWorkflowId, source, runnerWorkflowFile, { STEPS_URL: url });
  const executions: Executions = {
    start: async (argument) => engine.createExecution(runnerWorkflowId, JSON.stringify(argument)).name.split('/').pop()!,
  };
  const activeRuns = activeRunsFromArguments(async () =>
    engine
      .listExecutions(runnerWorkflowId, 'FULL')
      .filter((execution) => execution.state === 'ACTIVE')
      .map((execution) => execution.argument),
  );
  const admission = createAdmission({
    compute: options.compute,
    activeRuns,
    templates: config.templates,
    log,
    ...(options.admissionRetrySeconds === undefined ? {} : { retryAfterSeconds: options.admissionRetrySeconds }),
  });
  const deps: DispatchDeps = { executions, admission, compute: options.compute, callbacks: createHttpCallbackSender(), templates: config.templates, log };
  const handle = async (task: Parameters<typeof dispatchEvent>[0]) => void (await dispatchEvent(task, deps));
  const creates = new InProcessQueue({ handle, log, concurrency: 50, dispatchesPerSecond: options.createsPerSecond });
  const events = new InProcessQueue({ handle, log, concurrency: 50, dispatchesPerSecond: 1000 });
  return {
    engine,
    queue: {
      enqueue: (task) => (task.event.action === 'queued' ? creates : events).enqueue(task),
      idle: async () => void (await Promise.all([creates.idle(), events.idle()])),
    },
    router: createEngineRouter(engine),
    close() {
      engine.stop();
      creates.close();
      events.close();
    },
  };
}
