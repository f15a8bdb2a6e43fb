import { readFileSync } from 'node:fs';
import type { Router } from 'express';
import type { Compute } from '../compute/compute.ts';
import type { AppConfig } from '../config/types.ts';
import { activeRunsFromArguments } from '../dispatch/active-runs-from-arguments.ts';
import { createAdmission, type ActiveRuns } from '../dispatch/admission.ts';
import { dispatchEvent, type DispatchDeps } from '../dispatch/dispatch-event.ts';
import type { LostRunnerEvents } from '../dispatch/lost-runner-events.ts';
import { createHttpCallbackSender } from '../dispatch/http-callback-sender.ts';
import type { Executions } from '../dispatch/ports.ts';
import type { Log } from '../log/logger.ts';
import type { AdmissionSlots } from '../state/admission-slots.ts';
import { startReaperTimer, type ExecutionStates } from '../reaper/index.ts';
import { InProcessQueue } from '../queue/in-process-queue.ts';
import { taskNameFor, type JobQueue } from '../queue/job-event.ts';
import { requestIdOf } from '../warm/warm-argument.ts';
import type { WarmPools, WarmPoolsFactory } from '../warm/warm-pools.ts';
import type { EngineClock } from '../../workflows/engine/clock.ts';
import { EmbeddedEngine } from '../../workflows/engine/engine.ts';
import { createEngineRouter } from '../../workflows/engine/router.ts';
import { DataStore } from '../../workflows/engine/store/data-store.ts';

export const runnerWorkflowId = 'runner';
export const reaperWorkflowId = 'reaper';
const reaperWorkflowFile = 'workflows/reaper.yaml';
const runnerWorkflowFile = 'workflows/runner.yaml';

export interface EmbeddedRuntime {
  readonly engine: EmbeddedEngine;
  readonly queue: JobQueue & { idle(): Promise<void> };
  /** The Workflow Executions v1 API and callbacks at Google's paths, so the same client serves both. */
  readonly router: Router;
  /** Whether a runner execution is still going, for the reaper. */
  readonly executionStates: ExecutionStates;
  /** The runners of the active executions, for the reaper's slot reconciliation. */
  readonly activeRuns: ActiveRuns;
  readonly warmPools: WarmPools;
  close(): void;
}

export interface EmbeddedRuntimeOptions {
  readonly url: string;
  readonly config: AppConfig;
  readonly compute: Compute;
  readonly log: Log;
  readonly clock?: EngineClock;
  readonly createsPerSecond: number;
  readonly lostEvents: LostRunnerEvents;
  /** The runner cap's slots, in the shared state store. */
  readonly slots: AdmissionSlots;
  /** Builds the warm pools on the executions this runtime starts. */
  readonly warmPools: WarmPoolsFactory;
  readonly now: () => number;
  /** Keep the engine's executions and the queues' tasks in `<dataDir>/state.jsonl`, to survive a crash; absent → memory only. */
  readonly dataDir?: string;
  /** How soon a job over its template's cap is offered again. */
  readonly admissionRetrySeconds?: number;
  /** How often the reaper workflow starts (default 5 min, as Cloud Scheduler runs it on Google Cloud). */
  readonly reaperIntervalMs?: number;
}

/**
 * Off Google Cloud: the embedded Workflows engine runs runner.yaml against this process's own step
 * endpoints, and two in-process queues stand in for Cloud Tasks. Only `queued` tasks are held to the
 * create-rate limit, so a burst of new jobs never delays the events that end running ones.
 */
export function startEmbeddedRuntime(options: EmbeddedRuntimeOptions): EmbeddedRuntime {
  const { url, config, log } = options;
  const store = options.dataDir === undefined ? undefined : DataStore.open(options.dataDir);
  const engine = new EmbeddedEngine({
    ...(store ? { store: store.section('engine') } : {}),
    callbackBaseUrl: url,
    // Each finished record is ~6 KB of journal; reaper runs every 5 min count too.
    maxFinishedExecutions: 2000,
    projectId: config.googleCloudProject,
    location: 'local',
    ...(options.clock ? { clock: options.clock } : {}),
    onLog: (entry) => log.info({ component: 'workflow', ...entry }, 'workflow log'),
  });
  for (const [workflowId, file] of [[runnerWorkflowId, runnerWorkflowFile], [reaperWorkflowId, reaperWorkflowFile]] as const) {
    engine.deploy(workflowId, readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8'), file, { STEPS_URL: url });
  }
  const executionStates: ExecutionStates = {
    state: async (id) => {
      const execution = engine.getExecution(id, 'BASIC');
      // Unknown stays UNKNOWN: a VM of another deployment in the same project must not look ENDED.
      if (execution === undefined) return 'UNKNOWN';
      return execution.state === 'ACTIVE' ? 'ACTIVE' : 'ENDED';
    },
  };
  // Starts the sweep and returns: a run lasts 30 min (its two looks at stale runners), the timer 5.
  const reaper = startReaperTimer({ run: async () => void engine.createExecution(reaperWorkflowId, '{}'), intervalMs: options.reaperIntervalMs ?? 5 * 60_000, log });
  const executions: Executions = {
    // The task's name as request id: a task re-run after a crash gets the execution it started.
    start: async (argument) => {
      const execution = engine.createExecution(runnerWorkflowId, JSON.stringify(argument), { requestId: requestIdOf(argument, taskNameFor) });
      await engine.sync();
      return execution.name.split('/').pop()!;
    },
  };
  const activeRuns = activeRunsFromArguments(activeArgumentsOf(engine));
  const warmPools = options.warmPools({ executions, activeRuns });
  const admission = createAdmission({
    slots: options.slots,
    warmPools,
    templates: config.templates,
    log,
    ...(options.admissionRetrySeconds === undefined ? {} : { retryAfterSeconds: options.admissionRetrySeconds }),
  });
  const deps: DispatchDeps = { executions, admission, compute: options.compute, callbacks: createHttpCallbackSender({ endpoints: { base: null, location: 'local', workflow: runnerWorkflowId }, executionStates }), templates: config.templates, log, lostEvents: options.lostEvents, warmPools, now: options.now };
  const handle = async (task: Parameters<typeof dispatchEvent>[0]) => void (await dispatchEvent(task, deps));
  const creates = new InProcessQueue({ handle, log, concurrency: 50, dispatchesPerSecond: options.createsPerSecond, ...(store ? { store: store.section('queue:creates') } : {}) });
  const events = new InProcessQueue({ handle, log, concurrency: 50, dispatchesPerSecond: 1000, ...(store ? { store: store.section('queue:events') } : {}) });
  store?.compact(); // The journal starts each run holding only the live state.
  return {
    engine,
    queue: {
      enqueue: (task) => (task.event.action === 'queued' ? creates : events).enqueue(task),
      idle: async () => void (await Promise.all([creates.idle(), events.idle()])),
    },
    router: createEngineRouter(engine),
    executionStates,
    activeRuns,
    warmPools,
    close() {
      reaper.stop();
      engine.stop();
      creates.close();
      events.close();
      store?.close();
    },
  };
}

/** Arguments of the active runner executions; each is read once, as an argument never changes. */
function activeArgumentsOf(engine: EmbeddedEngine): () => Promise<(string | undefined)[]> {
  let known = new Map<string, string | undefined>();
  return async () => {
    const active = engine.listExecutions(runnerWorkflowId, 'BASIC').filter((execution) => execution.state === 'ACTIVE');
    const current = new Map(active.map((execution) => [execution.name, known.has(execution.name) ? known.get(execution.name) : engine.getExecution(execution.name, 'FULL')?.argument]));
    known = current;
    return [...current.values()];
  };
}
