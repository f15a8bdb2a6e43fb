import type { Compute } from '../compute/compute.ts';
import type { RunnerTemplate, TemplatesConfig } from '../config/types.ts';
import type { Log } from '../log/logger.ts';
import type { QueueTask } from '../queue/job-event.ts';
import { parseRunnerName, runnerNameFor } from '../runner-name.ts';
import type { Admission } from './admission.ts';
import type { LostRunnerEvents } from './lost-runner-events.ts';
import type { CallbackSender, Executions, RunnerEvent } from './ports.ts';
import { emitAdmitted, emitRunnerEvent } from '../metrics/dispatch-metrics.ts';
import type { WarmPools } from '../warm/warm-pools.ts';

export interface DispatchDeps {
  readonly executions: Executions;
  readonly admission: Admission;
  readonly compute: Compute;
  readonly callbacks: CallbackSender;
  readonly templates: TemplatesConfig;
  readonly log: Log;
  readonly lostEvents: LostRunnerEvents;
  readonly warmPools: WarmPools;
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
  const route = routeOf({ ...event, action: event.action }, deps.templates);
  if ('outcome' in route) return route;
  const { runnerEvent, template } = route;
  const { runnerName } = runnerEvent;
  // A warm runner that took a job leaves its seat: the pool gets a new one while this job runs.
  if (runnerEvent.action !== 'cancelled' && parseRunnerName(runnerName)?.warm) await deps.warmPools.replace(runnerName, `its runner took job ${runnerEvent.jobId}`);
  const instance = await deps.compute.findInstance(runnerName, template.zones);
  if (!instance) {
    // No VM made for a cancelled job yet: validate checks the job is still queued before one is
    // made, and the idle timeout reclaims one made in the moment between.
    if (runnerEvent.action === 'cancelled') return { outcome: 'dropped', reason: `no VM ${runnerName} made for the cancelled job` };
    await deps.lostEvents.record(runnerEvent, deps.now());
    return { outcome: 'dropped', reason: `VM ${runnerName} is gone; kept for its execution's next VM check` };
  }
  const callbackUrl = instance.metadata['callback-url'];
  if (!callbackUrl) return { outcome: 'dropped', reason: `VM ${runnerName} has no callback URL` };
  const sent = await deps.callbacks.send(callbackUrl, runnerEvent);
  if (sent !== 'delivered') return { outcome: 'dropped', reason: droppedBecause[sent] };
  if (runnerEvent.action !== 'cancelled') emitRunnerEvent(deps.log, event, instance, template.name, deps.now());
  return { outcome: 'delivered', callbackUrl };
}

/**
 * The execution an event goes to is the one of the VM `runner_name` names. A job cancelled before
 * any runner took it names none: its event goes, as `cancelled`, to the VM made for that job, whose
 * name derives from the job, so the execution releases that VM at once.
 */
function routeOf(event: QueueTask['event'] & { action: 'in_progress' | 'completed' }, templates: TemplatesConfig): { runnerEvent: RunnerEvent; template: RunnerTemplate } | Extract<DispatchOutcome, { outcome: 'dropped' }> {
  const cancelled = event.runnerName === null && event.templateName !== null;
  const templateName = cancelled ? event.templateName : event.runnerName === null ? null : (parseRunnerName(event.runnerName)?.templateName ?? null);
  if (templateName === null) return { outcome: 'dropped', reason: 'runner is not ours' };
  const template = templates.templates.find((candidate) => candidate.name === templateName);
  if (!template) return { outcome: 'dropped', reason: `template ${templateName} is no longer configured` };
  const runnerName = cancelled ? runnerNameFor(template.name, event.jobId, event.runAttempt) : (event.runnerName as string);
  const { jobId, runId, runAttempt, installationId, owner, repo, conclusion } = event;
  return { template, runnerEvent: { action: cancelled ? 'cancelled' : event.action, jobId, runId, runAttempt, installationId, owner, repo, runnerName, conclusion } };
}

const droppedBecause = {
  gone: 'its execution has ended',
  not_ours: 'the callback URL in the VM metadata is not one of our runner workflow',
  refused: 'the execution refused the callback while still active; its VM checks and deadlines end it',
} as const;
