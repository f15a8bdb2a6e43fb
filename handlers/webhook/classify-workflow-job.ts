import type { TemplatesConfig } from '../config/types.ts';
import { taskNameFor, type QueueTask, type WorkflowJobEvent } from '../queue/job-event.ts';
import { parseRunnerName } from '../runner-name.ts';
import { checkAccess } from './check-access.ts';
import { matchTemplate } from './match-template.ts';
import { readWorkflowJob, type WorkflowJobPayload } from './read-workflow-job.ts';

export { MalformedPayloadError } from './read-workflow-job.ts';

/** What the delivery's log line says about the job. */
export interface DeliveryFacts {
  readonly action: string;
  readonly jobId: number;
  readonly repository: string;
  readonly runnerName: string | null;
}

export type Classification =
  | { readonly decision: 'enqueue'; readonly reason: string; readonly task: QueueTask; readonly facts?: DeliveryFacts }
  | {
      readonly decision: 'ignore';
      readonly reason: string;
      readonly facts?: DeliveryFacts;
      /** A delivery about another runner's job (GitHub-hosted, or another label set): routine, not a decision about ours. */
      readonly routine?: boolean;
    };

function ignore(reason: string, routine = false): Classification {
  return routine ? { decision: 'ignore', reason, routine } : { decision: 'ignore', reason };
}

function withFacts(classification: Classification, facts: DeliveryFacts): Classification {
  return { ...classification, facts };
}

/** Decides what a `workflow_job` delivery means for us, without any I/O. */
export function classifyWorkflowJob(payload: unknown, deliveryId: string, config: TemplatesConfig): Classification {
  const { action, job, repository, installationId } = readWorkflowJob(payload);
  const facts = { action, jobId: job.id, repository: repository.fullName, runnerName: job.runnerName };
  if (action === 'waiting') return withFacts(ignore('job is waiting for approval; it gets a VM when it is queued'), facts);
  if (action !== 'queued' && action !== 'in_progress' && action !== 'completed') return withFacts(ignore(`action ${action} needs nothing`, true), facts);
  if (installationId === undefined) return withFacts(ignore('delivery has no installation: the GitHub App must send it'), facts);
  const event: WorkflowJobEvent = {
    action,
    deliveryId,
    installationId,
    owner: repository.ownerLogin,
    repo: repository.name,
    ownerIsOrganization: repository.ownerType === 'Organization',
    jobId: job.id,
    runId: job.runId,
    runAttempt: job.runAttempt,
    labels: job.labels.map((label) => label.toLowerCase()),
    templateName: null,
    runnerName: job.runnerName,
    conclusion: job.conclusion,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    completedAt: job.completedAt,
  };
  return withFacts(action === 'queued' ? classifyQueued(event, repository, config) : classifyRunnerEvent(event, repository, config), facts);
}

function classifyQueued(event: WorkflowJobEvent, repository: WorkflowJobPayload['repository'], config: TemplatesConfig): Classification {
  const template = matchTemplate(event.labels, config.templates);
  if (template === null) return ignore(`no template serves labels [${event.labels.join(', ')}]`, true);
  const denied = checkAccess({ owner: repository.ownerLogin, fullName: repository.fullName, isPrivate: repository.isPrivate }, config.access);
  if (denied !== null) return ignore(denied);
  const queued = { ...event, templateName: template.name };
  return { decision: 'enqueue', reason: `template ${template.name}`, task: { name: taskNameFor(queued), event: queued } };
}

function classifyRunnerEvent(event: WorkflowJobEvent, repository: WorkflowJobPayload['repository'], config: TemplatesConfig): Classification {
  if (event.runnerName === null) return event.action === 'completed' ? classifyCancelled(event, repository, config) : ignore('no runner named');
  if (parseRunnerName(event.runnerName) === null) return ignore(`runner ${event.runnerName} is not ours`, true);
  return { decision: 'enqueue', reason: `runner ${event.runnerName}`, task: { name: taskNameFor(event), event } };
}

/**
 * `completed` with no runner: the job was cancelled while queued. If a template served it, a VM
 * was made for it; the event goes to that VM's execution (found by the name derived from the job),
 * which releases the runner at once instead of idling until its timeout.
 */
function classifyCancelled(event: WorkflowJobEvent, repository: WorkflowJobPayload['repository'], config: TemplatesConfig): Classification {
  const queued = classifyQueued({ ...event, action: 'queued' }, repository, config);
  if (queued.decision === 'ignore') return ignore(`cancelled before a runner took it; ${queued.reason}`, queued.routine ?? false);
  const cancelled = { ...event, templateName: (queued.task.event.templateName ?? null) };
  return { decision: 'enqueue', reason: `cancelled before a runner took it: its VM (template ${cancelled.templateName}) is released`, task: { name: taskNameFor(cancelled), event: cancelled } };
}
