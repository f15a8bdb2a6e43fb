import { createMemoryLogger } from '../../handlers/log/logger.ts';
import { taskNameFor, type QueueTask, type WorkflowJobEvent } from '../../handlers/queue/job-event.ts';

// The fakes stand for Google: a client that looked for Application Default Credentials would fail
// here instead of quietly using a developer's own (each ava test file runs in its own process).
process.env['GOOGLE_APPLICATION_CREDENTIALS'] = '/nonexistent/application_default_credentials.json';

export const project = 'runners-test';
export const queue = `projects/${project}/locations/us-central1/queues/jobs`;
export const workflow = `projects/${project}/locations/us-central1/workflows/runner`;
export const stepsUrl = 'https://steps-abc123-uc.a.run.app';
export const tasksServiceAccount = `tasks-invoker@${project}.iam.gserviceaccount.com`;

/** A queued job as the webhook classifier makes it from GitHub's `workflow_job` example. */
export function jobEvent(overrides: Partial<WorkflowJobEvent> = {}): WorkflowJobEvent {
  return {
    action: 'queued',
    deliveryId: '7a1c2e40-6d2b-11f0-8a5e-0c8d3f1e2b77',
    installationId: 42,
    owner: 'octo-org',
    repo: 'app',
    ownerIsOrganization: true,
    jobId: 4_100_000_001,
    runId: 9_100_000_001,
    runAttempt: 1,
    labels: ['self-hosted', 'linux', 'x64'],
    templateName: 'linux-small',
    runnerName: null,
    conclusion: null,
    ...overrides,
  };
}

export function queueTask(event: WorkflowJobEvent = jobEvent()): QueueTask {
  return { name: taskNameFor(event), event };
}

export function testLog(): ReturnType<typeof createMemoryLogger> {
  return createMemoryLogger('debug');
}
