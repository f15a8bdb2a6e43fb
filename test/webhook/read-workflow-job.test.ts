import test from 'ava';
import { MalformedPayloadError, readWorkflowJob } from '../../handlers/webhook/read-workflow-job.ts';
import { workflowJobPayload } from '../fixtures/workflow-job.ts';

test('reads the fields the classification uses from a real payload', (t) => {
  const read = readWorkflowJob(workflowJobPayload({ jobId: 7, labels: ['self-hosted', 'Linux'], owner: 'octocat', ownerType: 'User', isPrivate: false }));
  t.like(read, { action: 'queued', installationId: 42 });
  t.like(read.job, { id: 7, runAttempt: 1, labels: ['self-hosted', 'Linux'], runnerName: null });
  t.deepEqual(read.repository, { name: 'app', fullName: 'octocat/app', isPrivate: false, ownerLogin: 'octocat', ownerType: 'User' });
});

test('a missing run_attempt is the first attempt; a missing installation is undefined', (t) => {
  const payload = workflowJobPayload({ installationId: null });
  delete (payload['workflow_job'] as Record<string, unknown>)['run_attempt'];
  const read = readWorkflowJob(payload);
  t.is(read.job.runAttempt, 1);
  t.is(read.installationId, undefined);
});

test('a field of the wrong type is malformed, named by its path', (t) => {
  const cases: [string, (payload: Record<string, unknown>) => void][] = [
    ['action', (payload) => void Object.assign(payload, { action: 1 })],
    ['workflow_job.id', (payload) => void Object.assign(payload['workflow_job'] as object, { id: 1.5 })],
    ['workflow_job.labels', (payload) => void Object.assign(payload['workflow_job'] as object, { labels: ['linux', 2] })],
    ['workflow_job.runner_name', (payload) => void Object.assign(payload['workflow_job'] as object, { runner_name: 3 })],
    ['repository.private', (payload) => void Object.assign(payload['repository'] as object, { private: 'yes' })],
    ['repository.owner', (payload) => void Object.assign(payload['repository'] as object, { owner: null })],
    ['installation', (payload) => void Object.assign(payload, { installation: null })],
  ];
  for (const [path, spoil] of cases) {
    const payload = workflowJobPayload();
    spoil(payload);
    const error = t.throws(() => readWorkflowJob(payload), { instanceOf: MalformedPayloadError });
    t.true(error?.message.includes(path), `${path}: ${error?.message}`);
  }
  for (const payload of [null, [], 'queued', 42]) t.throws(() => readWorkflowJob(payload), { instanceOf: MalformedPayloadError });
});
