import { taskNameFor, type JobQueue } from '../queue/job-event.ts';
import type { Classification } from './classify-workflow-job.ts';

const actions = new Set(['queued', 'in_progress', 'completed']);
const field = (object: unknown, key: string): unknown => (typeof object === 'object' && object !== null ? (object as Record<string, unknown>)[key] : undefined);

/**
 * A delivery whose task name the queue already holds, answered as the queue would answer it
 * (`duplicate of task …`) without checking the payload's shape and classifying it again: the name
 * (job id, run attempt, action) was taken by a delivery of the same job that passed both. Redeliveries
 * and duplicated events are routine, so the line is at debug; the first delivery's line holds the
 * decision. null when the queue cannot tell at once (Cloud Tasks) or the name is not taken.
 */
export function knownDuplicate(queue: JobQueue, payload: unknown): Classification | null {
  if (!queue.taken) return null;
  const action = field(payload, 'action');
  const job = field(payload, 'workflow_job');
  const jobId = field(job, 'id');
  const runAttempt = field(job, 'run_attempt') ?? 1;
  if (typeof action !== 'string' || !actions.has(action) || !Number.isSafeInteger(jobId) || !Number.isSafeInteger(runAttempt)) return null;
  const name = taskNameFor({ action: action as 'queued', jobId: jobId as number, runAttempt: runAttempt as number });
  if (!queue.taken(name)) return null;
  const repository = field(field(payload, 'repository'), 'full_name');
  const runnerName = field(job, 'runner_name');
  return {
    decision: 'ignore',
    reason: `duplicate of task ${name}`,
    routine: true,
    facts: { action, jobId: jobId as number, repository: typeof repository === 'string' ? repository : '', runnerName: typeof runnerName === 'string' ? runnerName : null },
  };
}
