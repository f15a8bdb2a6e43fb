import { createHash } from 'node:crypto';
import { CloudTasksClient } from '@google-cloud/tasks';
import { RunnerError } from '../errors.ts';
import type { Log } from '../log/logger.ts';
import type { EnqueueOutcome, JobQueue, QueueTask } from '../queue/job-event.ts';
import { classifyGoogleError, isAlreadyExists } from './classify-google-error.ts';

export type CloudTasksClientOptions = NonNullable<ConstructorParameters<typeof CloudTasksClient>[0]>;

export interface CloudTasksQueueOptions {
  /** From `clientOptionsForEndpoint`; absent → Cloud Tasks itself over REST with ADC. */
  readonly clientOptions?: CloudTasksClientOptions;
  /** `projects/P/locations/L/queues/Q`. */
  readonly queue: string;
  /** Where Cloud Tasks delivers each task: `<STEPS_URL>/dispatch`. */
  readonly targetUrl: string;
  /** The service account whose OIDC token Cloud Tasks attaches (it needs run.invoker on steps). */
  readonly serviceAccountEmail: string;
  /** The OIDC token's audience; default the target's origin, which is what Cloud Run checks. */
  readonly audience?: string;
  readonly log: Log;
}

export interface CloudTasksQueue extends JobQueue {
  close(): Promise<void>;
}

const queuePattern = /^projects\/[^/]+\/locations\/[^/]+\/queues\/[^/]+$/;

/**
 * The task id for a queue task's name. Hashed because Cloud Tasks shards by task id, and ids that
 * share a sequential prefix (ours start `job-<increasing id>`) raise its latency and error rates;
 * Google advises hashed ids. 64 hex characters, within the id's `[A-Za-z0-9_-]{1,500}`.
 */
export function cloudTaskIdFor(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

/**
 * `JobQueue` on Cloud Tasks: one named task per job event, delivered by POST to the steps
 * service's `/dispatch` with an OIDC token. The name is the dedupe: Cloud Tasks refuses a name it
 * has seen with ALREADY_EXISTS, which is a duplicate, not an error. The window is bounded: a name
 * stays taken while its task exists and for about 1 hour after it was executed or deleted (9 days
 * for queues made with queue.yaml), so a redelivery later than that is enqueued again; the
 * dispatcher and the step endpoints are idempotent for exactly that case.
 */
export function createCloudTasksQueue(options: CloudTasksQueueOptions): CloudTasksQueue {
  if (!queuePattern.test(options.queue)) {
    throw new RunnerError('invalid', `Cloud Tasks queue must be projects/P/locations/L/queues/Q, got ${options.queue}`);
  }
  const audience = options.audience ?? new URL(options.targetUrl).origin;
  const client = new CloudTasksClient(options.clientOptions ?? { fallback: true });
  const log = options.log.child({ component: 'cloud-tasks' });
  return {
    async enqueue(task: QueueTask): Promise<EnqueueOutcome> {
      const taskId = cloudTaskIdFor(task.name);
      const fields = { task: task.name, taskId, deliveryId: task.event.deliveryId, jobId: task.event.jobId, action: task.event.action };
      try {
        await client.createTask({
          parent: options.queue,
          task: {
            name: `${options.queue}/tasks/${taskId}`,
            httpRequest: {
              url: options.targetUrl,
              httpMethod: 'POST',
              headers: { 'content-type': 'application/json' },
              // bytes: the library sends them base64-encoded, as the REST API requires.
              body: Buffer.from(JSON.stringify(task)),
              oidcToken: { serviceAccountEmail: options.serviceAccountEmail, audience },
            },
          },
        });
      } catch (error) {
        if (!isAlreadyExists(error)) throw classifyGoogleError(error, `Cloud Tasks createTask ${taskId}`);
        log.info(fields, 'task refused as a duplicate');
        return 'duplicate';
      }
      log.info(fields, 'task created');
      return 'enqueued';
    },
    close: () => client.close(),
  };
}
