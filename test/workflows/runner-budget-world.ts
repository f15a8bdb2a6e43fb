import { readFileSync } from 'node:fs';
import { ManualClock } from '../../workflows/engine/clock.ts';
import { EmbeddedEngine } from '../../workflows/engine/engine.ts';
import type { EngineLogEntry } from '../../workflows/engine/execution-runtime.ts';
import type { HttpTransport } from '../../workflows/engine/http-transport.ts';

export const runnerSource = readFileSync(new URL('../../workflows/runner.yaml', import.meta.url), 'utf8');

export const job = { deliveryId: 'd-1', action: 'queued', installationId: 7, owner: 'octo-org', repo: 'app', ownerIsOrganization: true, jobId: 42, runId: 9, runAttempt: 1, labels: ['self-hosted', 'linux'], templateName: 'linux' };

export interface Timing {
  readonly idleTimeoutSeconds: number;
  readonly maxRunDurationSeconds: number;
  readonly vmCheckIntervalSeconds: number;
}

/** A steps service that always succeeds: a VM that stays up and, asked at the idle timeout, is idle. */
export interface ServiceOptions {
  /** This step answers 400. */
  readonly failing?: string;
  /** Answers in place of the defaults, by step; a function sees the request body. */
  readonly answers?: Readonly<Record<string, (body: Record<string, unknown>) => unknown>>;
}

function stepsService(timing: Timing, callbackUrls: string[], options: ServiceOptions = {}): HttpTransport {
  const runnerName = 'ghr-linux-42-1';
  const answers: Record<string, unknown> = {
    validate: { proceed: true, reason: null, runnerName, templateName: 'linux', ...timing },
    'mint-token': { runnerId: 5, runnerName, sealedJitConfig: `v1.${'x'.repeat(2500)}` },
    'create-vm': { status: 'created', runnerName, zone: 'us-central1-a', spot: false },
    'check-vm': { runnerName, present: true, status: 'RUNNING', lostEvents: [], retire: false },
    'check-runner': { runnerName, status: 'online', busy: false },
    'delete-vm': { runnerName, runner: 'deleted', vm: 'deleted', zone: 'us-central1-a' },
  };
  return async (request) => {
    const step = request.url.slice(request.url.lastIndexOf('/') + 1);
    const body = JSON.parse(request.body ?? '{}') as { callbackUrl?: string };
    if (body.callbackUrl) callbackUrls.push(body.callbackUrl);
    const custom = options.answers?.[step];
    if (custom) return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(custom(body)) };
    if (step === options.failing) return { status: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: 'invalid', message: 'bad template' }) };
    return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(answers[step]) };
  };
}

export interface BudgetRun {
  readonly steps: number;
  readonly outcome: unknown;
  readonly state: string;
  /** What the workflow wrote with sys.log. */
  readonly logs: readonly EngineLogEntry[];
}

/**
 * Runs runner.yaml once: the VM gets no job (`jobSeconds` null) or runs one of `jobSeconds`;
 * answers how many steps the execution took, counted as the service counts them (one per step run).
 */
export const runnerEvent = (action: string, jobId = 42) => ({ action, jobId, runId: 9, runAttempt: 1, installationId: 7, owner: 'octo-org', repo: 'app', runnerName: 'ghr-linux-42-1', conclusion: action === 'completed' ? 'success' : null });

/**
 * Runs runner.yaml once, sending `events` to its callback (each `afterSeconds` after the one before),
 * and answers how many steps the execution took, counted as the service counts them (one per step run).
 */
export async function runRunnerScript(timing: Timing, events: ReadonlyArray<{ afterSeconds: number; body: unknown }>, options: ServiceOptions = {}): Promise<BudgetRun> {
  const clock = new ManualClock();
  const callbackUrls: string[] = [];
  const logs: EngineLogEntry[] = [];
  const http = stepsService(timing, callbackUrls, options);
  const engine = new EmbeddedEngine({ callbackBaseUrl: 'http://127.0.0.1:9/engine', projectId: 'p', location: 'l', clock, http, onLog: (entry) => logs.push(entry) });
  engine.deploy('runner', runnerSource, 'runner.yaml', { STEPS_URL: 'http://steps.test' });
  const execution = engine.createExecution('runner', JSON.stringify(job));
  await clock.advance(0);
  for (const { afterSeconds, body } of events) {
    await clock.advance(afterSeconds * 1000);
    const callbackId = callbackUrls[0]?.split('/').at(-1) ?? '';
    engine.deliverCallback(execution.name, callbackId, { method: 'POST', body, headers: { authorization: 'Bearer not-kept' } });
    await clock.advance(0);
  }
  await clock.runUntilIdle();
  const done = await engine.awaitExecution(execution.name);
  const entries = engine.listStepEntries(execution.name) ?? [];
  return { steps: Number(entries.at(-1)?.entryId ?? 0), outcome: JSON.parse(done.result ?? done.error?.payload ?? 'null'), state: done.state, logs };
}

/** runner.yaml for a VM that gets no job (`jobSeconds` null) or runs one of `jobSeconds`. */
export async function runRunner(timing: Timing, jobSeconds: number | null, failing?: string): Promise<BudgetRun> {
  const events = jobSeconds === null ? [] : [{ afterSeconds: 0, body: runnerEvent('in_progress') }, { afterSeconds: jobSeconds, body: runnerEvent('completed') }];
  return runRunnerScript(timing, events, failing === undefined ? {} : { failing });
}
