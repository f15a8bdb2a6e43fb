import type { Compute } from '../compute/compute.ts';
import type { TemplatesConfig } from '../config/types.ts';
import type { Log } from '../log/logger.ts';
import type { QueueTask } from '../queue/job-event.ts';
import { parseRunnerName, runnerNameFor } from '../runner-name.ts';
import type { Admission } from './admission.ts';
import type { LostRunnerEvents } from './lost-runner-events.ts';
import type { CallbackSender, Executions } from './ports.ts';
import { emitAdmitted, emitRunnerEvent } from '../metrics/dispatch-metrics.ts';

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
  if (outcome.outcome === 'started') emitAdmitted(deps.log, event, deps.now());
  const level = outcome.outcome === 'dropped' ? 'warn' : 'info';
  deps.log[level]({ ...fields, ...outcome }, 'event dispatched');
  return outcome;
}

async function decide({ event }: QueueTask, deps: DispatchDeps): Promise<DispatchOutcome> {
  if (event.action === 'queued') return { outcome: 'started', executionId: await deps.admission.admit(event, () => deps.executions.start(event)) };
  if (event.runnerName === null && event.templateName !== null) return releaseCancelled({ ...event, templateName: event.templateName }, deps);
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
  if (sent !== 'delivered') return { outcome: 'dropped', reason: droppedBecause[sent] };
  emitRunnerEvent(deps.log, event, instance, template.name, deps.now());
  return { outcome: 'delivered', callbackUrl };
}

/** A job cancelled before pickup: the execution that made a VM for it is told to release that VM. */
async function releaseCancelled(event: QueueTask['event'] & { templateName: string }, deps: DispatchDeps): Promise<DispatchOutcome> {
  const template = deps.templates.templates.find((candidate) => candidate.name === event.templateName);
  if (!template) return { outcome: 'dropped', reason: `template ${event.templateName} is no longer configured` };
  const runnerName = runnerNameFor(template.name, event.jobId, event.runAttempt);
  const instance = await deps.compute.findInstance(runnerName, template.zones);
  // No VM yet: validate checks the job is still queued before one is made, and the idle timeout
  // reclaims one made in the moment between.
  if (!instance) return { outcome: 'dropped', reason: `no VM ${runnerName} made for the cancelled job` };
  const callbackUrl = instance.metadata['callback-url'];
  if (!callbackUrl) return { outcome: 'dropped', reason: `VM ${runnerName} has no callback URL` };
  const { jobId, runId, runAttempt, installationId, owner, repo, conclusion } = event;
  const sent = await deps.callbacks.send(callbackUrl, { action: 'cancelled', jobId, runId, runAttempt, installationId, owner, repo, runnerName, conclusion });
  return sent === 'delivered' ? { outcome: 'delivered', callbackUrl } : { outcome: 'dropped', reason: droppedBecause[sent] };
}

const droppedBecause = {
  gone: 'its execution has ended',
  not_ours: 'the callback URL in the VM metadata is not one of our runner workflow',
  refused: 'the execution refused the callback while still active; its VM checks and deadlines end it',
} as const;
