/** The part of a `workflow_job` delivery that the rest of the system needs: small, and no secrets. */
export interface WorkflowJobEvent {
  readonly action: 'queued' | 'in_progress' | 'completed';
  readonly deliveryId: string;
  readonly installationId: number;
  readonly owner: string;
  readonly repo: string;
  readonly ownerIsOrganization: boolean;
  readonly jobId: number;
  readonly runId: number;
  readonly runAttempt: number;
  /** Lowercased `runs-on` labels. */
  readonly labels: readonly string[];
  /** The template chosen for a queued job; null for the other actions. */
  readonly templateName: string | null;
  /** The runner that took the job (in_progress, completed); null when cancelled before pickup. */
  readonly runnerName: string | null;
  readonly conclusion: string | null;
  /** GitHub's times (ISO 8601), for the metrics: queued, taken by a runner, finished. */
  readonly createdAt?: string | null;
  readonly startedAt?: string | null;
  readonly completedAt?: string | null;
}

/** One unit of durable work; `name` is the dedupe key, so the same name is accepted once. */
export interface QueueTask {
  readonly name: string;
  readonly event: WorkflowJobEvent;
}

export type EnqueueOutcome = 'enqueued' | 'duplicate';

/** Durable hand-off from the webhook: Cloud Tasks on Google Cloud, in-process when embedded. */
export interface JobQueue {
  enqueue(task: QueueTask): Promise<EnqueueOutcome>;
  /** Whether a task of this name was accepted and its name is still kept, answered at once; absent where that needs a call (Cloud Tasks). */
  taken?(name: string): boolean;
}

/** Job id + run attempt + action: a redelivery or a duplicated event maps to the same task. */
export function taskNameFor(event: Pick<WorkflowJobEvent, 'jobId' | 'runAttempt' | 'action'>): string {
  return `job-${event.jobId}-${event.runAttempt}-${event.action}`;
}
