import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { WorkflowJobEvent } from '../handlers/queue/job-event.ts';
import { EmbeddedEngine } from '../workflows/engine/engine.ts';
import { nodeHttpTransport, type HttpRequest, type HttpResponse } from '../workflows/engine/http-transport.ts';
import { until } from './stats.ts';
import { startBenchSystem } from './system.ts';

export const runnerYaml = (): string => readFileSync(new URL('../workflows/runner.yaml', import.meta.url), 'utf8');

/** What the dispatcher passes runner.yaml for a queued job, as classify-workflow-job.ts builds it. */
export function queuedEvent(job: { id: number; runId: number; runAttempt: number; owner: string; repo: string }, installationId: number): WorkflowJobEvent {
  return {
    action: 'queued',
    deliveryId: randomUUID(),
    installationId,
    owner: job.owner,
    repo: job.repo,
    ownerIsOrganization: true,
    jobId: job.id,
    runId: job.runId,
    runAttempt: job.runAttempt,
    labels: ['self-hosted', 'linux'],
    templateName: 'linux',
    runnerName: null,
    conclusion: null,
  };
}

export interface StepRecording {
  /** The job the answers were recorded for: its id appears in them (runner name) and is swapped per replay. */
  readonly jobId: number;
  /** The body each step endpoint answered, by step name. */
  readonly answers: ReadonlyMap<string, HttpResponse>;
}

/**
 * One job through runner.yaml against the real step endpoints of the whole system (GitHub and
 * Compute simulators behind them) until it waits for its runner: the answers of every step it
 * called, as the step service gave them. The system never hears of the job (its webhook is
 * unset), so this execution is the only one acting for it.
 */
export async function recordStepAnswers(): Promise<StepRecording> {
  const { system, github } = await startBenchSystem({ connectRunners: false });
  const answers = new Map<string, HttpResponse>();
  try {
    github.setWebhookUrl(undefined);
    const { installationId } = github.install('octo-org');
    const job = await github.createJob({ owner: 'octo-org', repo: 'app', labels: ['self-hosted', 'linux'] });
    const recorder = async (request: HttpRequest): Promise<HttpResponse> => {
      const response = await nodeHttpTransport(request);
      answers.set(request.url.slice(request.url.lastIndexOf('/') + 1), response);
      return response;
    };
    const engine = new EmbeddedEngine({ callbackBaseUrl: system.url, projectId: 'local-project', location: 'local', http: recorder, onLog: () => undefined });
    engine.deploy('runner', runnerYaml(), 'workflows/runner.yaml', { STEPS_URL: system.url });
    const id = engine.createExecution('runner', JSON.stringify(queuedEvent(job, installationId))).name;
    await until(() => {
      const execution = engine.getExecution(id);
      if (execution?.state !== 'ACTIVE') throw new Error(`the recorded execution ended ${execution?.state}: ${execution?.error?.payload ?? execution?.result ?? ''}`);
      return isWaiting(execution.status?.currentSteps.map((step) => step.step) ?? []) && answers.has('create-vm');
    }, 30_000, 'the recorded execution to wait for its runner', 10);
    engine.cancelExecution(id);
    engine.stop();
    return { jobId: job.id, answers };
  } finally {
    await system.close();
  }
}

/** An execution parked in `events.await_callback`: runner.yaml's waiting steps are named await_*. */
export function isWaiting(currentSteps: readonly string[]): boolean {
  return currentSteps.some((step) => /^await_/.test(step)) && !currentSteps.includes('post_step');
}
