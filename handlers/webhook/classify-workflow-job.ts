import { z } from 'zod';
import type { TemplatesConfig } from '../config/types.ts';
import { taskNameFor, type QueueTask, type WorkflowJobEvent } from '../queue/job-event.ts';
import { parseRunnerName } from '../runner-name.ts';
import { checkAccess } from './check-access.ts';
import { matchTemplate } from './match-template.ts';

/** The fields we read; the rest of GitHub's payload passes through unread. */
const payloadSchema = z.object({
  action: z.string(),
  workflow_job: z.object({
    id: z.number().int(),
    run_id: z.number().int(),
    run_attempt: z.number().int().default(1),
    labels: z.array(z.string()),
    runner_name: z.string().nullable().optional(),
    conclusion: z.string().nullable().optional(),
  }),
  repository: z.object({
    name: z.string(),
    full_name: z.string(),
    private: z.boolean(),
    owner: z.object({ login: z.string(), type: z.string() }),
  }),
  installation: z.object({ id: z.number().int() }).optional(),
});

/** What the delivery's log line says about the job. */
export interface DeliveryFacts {
  readonly action: string;
  readonly jobId: number;
  readonly repository: string;
  readonly runnerName: string | null;
}

export type Classification =
  | { readonly decision: 'enqueue'; readonly reason: string; readonly task: QueueTask; readonly facts?: DeliveryFacts }
  | { readonly decision: 'ignore'; readonly reason: string; readonly facts?: DeliveryFacts };

export class MalformedPayloadError extends Error {
  override readonly name = 'MalformedPayloadError';
}

function ignore(reason: string): Classification {
  return { decision: 'ignore', reason };
}

function withFacts(classification: Classification, facts: DeliveryFacts): Classification {
  return { ...classification, facts };
}

/** Decides what a `workflow_job` delivery means for us, without any I/O. */
export function classifyWorkflowJob(payload: unknown, deliveryId: string, config: TemplatesConfig): Classification {
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) throw new MalformedPayloadError(`not a workflow_job payload: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
  const { action, workflow_job: job, repository, installation } = parsed.data;
  const facts = { action, jobId: job.id, repository: repository.full_name, runnerName: job.runner_name ?? null };
  if (action === 'waiting') return withFacts(ignore('job is waiting for approval; it gets a VM when it is queued'), facts);
  if (action !== 'queued' && action !== 'in_progress' && action !== 'completed') return withFacts(ignore(`action ${action} needs nothing`), facts);
  if (installation === undefined) return withFacts(ignore('delivery has no installation: the GitHub App must send it'), facts);
  const event: WorkflowJobEvent = {
    action,
    deliveryId,
    installationId: installation.id,
    owner: repository.owner.login,
    repo: repository.name,
    ownerIsOrganization: repository.owner.type === 'Organization',
    jobId: job.id,
    runId: job.run_id,
    runAttempt: job.run_attempt,
    labels: job.labels.map((label) => label.toLowerCase()),
    templateName: null,
    runnerName: job.runner_name ?? null,
    conclusion: job.conclusion ?? null,
  };
  return withFacts(action === 'queued' ? classifyQueued(event, repository, config) : classifyRunnerEvent(event), facts);
}

function classifyQueued(event: WorkflowJobEvent, repository: z.infer<typeof payloadSchema>['repository'], config: TemplatesConfig): Classification {
  const template = matchTemplate(event.labels, config.templates);
  if (template === null) return ignore(`no template serves labels [${event.labels.join(', ')}]`);
  const denied = checkAccess({ owner: repository.owner.login, fullName: repository.full_name, isPrivate: repository.private }, config.access);
  if (denied !== null) return ignore(denied);
  const queued = { ...event, templateName: template.name };
  return { decision: 'enqueue', reason: `template ${template.name}`, task: { name: taskNameFor(queued), event: queued } };
}

function classifyRunnerEvent(event: WorkflowJobEvent): Classification {
  if (event.runnerName === null) {
    return ignore(event.action === 'completed' ? 'cancelled before a runner took it; an idle VM is reclaimed by its idle timeout' : 'no runner named');
  }
  if (parseRunnerName(event.runnerName) === null) return ignore(`runner ${event.runnerName} is not ours`);
  return { decision: 'enqueue', reason: `runner ${event.runnerName}`, task: { name: taskNameFor(event), event } };
}
