import type { Compute } from '../compute/compute.ts';
import type { TemplatesConfig } from '../config/types.ts';
import type { Log } from '../log/logger.ts';
import type { QueueTask } from '../queue/job-event.ts';
import { parseRunnerName } from '../runner-name.ts';
import type { Admission } from './admission.ts';
import type { LostRunnerEvents } from './lost-runner-events.ts';
import type { CallbackSender, Executions } from './ports.ts';

export interface DispatchDeps {
  readonly executions: Executions;
  readonly admission: Admission;
  readonly compute: Compute;
  readonly callbacks: CallbackSender;
  readonly templates: TemplatesConfig;
  readonly log: Log;
  readonly lostEvents: LostRunnerEvents;
  readonly now: () => number;
}

export type DispatchOutcome =
  | { readonly outcome: 'started'; readonly executionId: string }
  | { readonly outcome: 'delivered'; readonly callbackUrl: string }
  | { readonly outcome: 'dropped'; readonly reason: string };

/**
 * Acts on one queued task: `queued` starts an execution; `in_progress` and `completed` go to the
 * execution that owns the VM named `runner_name`, found through the VM's own metadata, because
 * GitHub may have given the job to a runner made for another job.
 */
export async function dispatchEvent(task: QueueTask, deps: DispatchDeps): Promise<DispatchOutcome> {
  const { event } = task;
  const fields = { task: task.name, deliveryId: event.deliveryId, jobId: event.jobId, action: event.action, runnerName: event.runnerName };
  const outcome = await decide(task, deps);
  const level = outcome.outcome === 'dropped' ? 'warn' : 'info';
  deps.log[level]({ ...fields, ...outcome }, 'event dispatched');
  return outcome;
}

async function decide({ event }: QueueTask, deps: DispatchDeps): Promise<DispatchOutcome> {
  if (event.action === 'queued') return { outcome: 'started', executionId: await deps.admission.admit(event, () => deps.executions.start(event)) };
  const runnerName = event.runnerName;
  const parsed = runnerName === null ? null : parseRunnerName(runnerName);
  if (runnerName === null || parsed === null) return { outcome: 'dropped', reason: 'runner is not ours' };
  const template = deps.templates.templates.find((candidate) => candidate.name === parsed.templateName);
  if (!template) return { outcome: 'dropped', reason: `template ${parsed.templateName} is no longer configured` };
  const { action, jobId, runId, runAttempt, installationId, owner, repo, conclusion } = event;
  const runnerEvent = { action, jobId, runId, runAttempt, installationId, owner, repo, runnerName, conclusion };
  const instance = await deps.compute.findInstance(runnerName, template.zones);
  if (!instance) {
    await deps.lostEvents.record(runnerEvent, deps.now());
    return { outcome: 'dropped', reason: `VM ${runnerName} is gone; kept for its execution's next VM check` };
  }
  const callbackUrl = instance.metadata['callback-url'];
  if (!callbackUrl) return { outcome: 'dropped', reason: `VM ${runnerName} has no callback URL` };
  const sent = await deps.callbacks.send(callbackUrl, runnerEvent);
  return sent === 'gone' ? { outcome: 'dropped', reason: 'its execution has ended' } : { outcome: 'delivered', callbackUrl };
}
