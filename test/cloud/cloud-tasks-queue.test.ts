import { createHash } from 'node:crypto';
import test from 'ava';
import { clientOptionsForEndpoint } from '../../handlers/cloud/client-options.ts';
import { cloudTaskIdFor, createCloudTasksQueue } from '../../handlers/cloud/cloud-tasks-queue.ts';
import { RunnerError } from '../../handlers/errors.ts';
import { taskNameFor } from '../../handlers/queue/job-event.ts';
import { jobEvent, queue, queueTask, stepsUrl, tasksServiceAccount, testLog } from './cloud-fixtures.ts';
import { startFakeCloudTasks } from './fake-cloud-tasks.ts';
import { googleError } from './fake-http.ts';

async function harness(queues: readonly string[] = [queue]) {
  const fake = await startFakeCloudTasks(queues);
  const logger = testLog();
  const tasks = createCloudTasksQueue({
    clientOptions: clientOptionsForEndpoint(fake.url),
    queue,
    targetUrl: `${stepsUrl}/dispatch`,
    serviceAccountEmail: tasksServiceAccount,
    log: logger.log,
  });
  return { fake, logger, tasks, close: async () => Promise.all([tasks.close(), fake.close()]) };
}

test('a job event becomes one task, named by the hash of its task name, posting the queue task with an OIDC token', async (t) => {
  const h = await harness();
  t.teardown(h.close);
  const task = queueTask();
  t.is(await h.tasks.enqueue(task), 'enqueued');
  const taskId = createHash('sha256').update(taskNameFor(task.event)).digest('hex');
  const created = h.fake.tasks.get(`${queue}/tasks/${taskId}`);
  t.like(created, {
    url: `${stepsUrl}/dispatch`,
    httpMethod: 1,
    headers: { 'content-type': 'application/json' },
    oidcToken: { serviceAccountEmail: tasksServiceAccount, audience: stepsUrl },
  });
  t.deepEqual(JSON.parse(created?.body ?? '{}'), task);
  const [sent] = h.fake.requests;
  t.is(sent?.path, `/v2/${queue}/tasks`);
  t.is(sent?.query, '$alt=json;enum-encoding=int');
  t.like(h.logger.lines().at(-1), { message: 'task created', task: task.name, taskId, jobId: task.event.jobId });
});

test('the same event twice is one task and a duplicate, not an error', async (t) => {
  const h = await harness();
  t.teardown(h.close);
  t.is(await h.tasks.enqueue(queueTask()), 'enqueued');
  t.is(await h.tasks.enqueue(queueTask(jobEvent({ deliveryId: 'redelivery-2' }))), 'duplicate');
  t.is(await h.tasks.enqueue(queueTask(jobEvent({ runAttempt: 2 }))), 'enqueued');
  t.is(await h.tasks.enqueue(queueTask(jobEvent({ action: 'in_progress', runnerName: 'r-1', templateName: null }))), 'enqueued');
  t.is(h.fake.tasks.size, 3);
  t.is(h.fake.requests.length, 4);
  t.true(h.logger.lines().some((line) => line['message'] === 'task refused as a duplicate'));
});

test('task ids are 64 hex characters and share no sequential prefix', (t) => {
  const first = cloudTaskIdFor(taskNameFor(jobEvent({ jobId: 100 })));
  const next = cloudTaskIdFor(taskNameFor(jobEvent({ jobId: 101 })));
  t.regex(first, /^[0-9a-f]{64}$/);
  t.not(first.slice(0, 8), next.slice(0, 8));
});

test('a refusal Cloud Tasks may lift later is retryable; the rest is fatal', async (t) => {
  const h = await harness();
  t.teardown(h.close);
  const cases = [
    [googleError(503, 'UNAVAILABLE', 'The service is currently unavailable.'), 'unavailable'],
    [googleError(500, 'INTERNAL', 'Internal error encountered.'), 'unavailable'],
    [googleError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded for quota metric Requests.'), 'rate_limited'],
    [googleError(403, 'PERMISSION_DENIED', 'The principal lacks cloudtasks.tasks.create.'), 'fatal'],
    [googleError(409, 'ABORTED', 'Concurrent modification.'), 'unavailable'],
  ] as const;
  for (const [fault, kind] of cases) {
    h.fake.faults.push(fault);
    const error = await t.throwsAsync(h.tasks.enqueue(queueTask()), { instanceOf: RunnerError });
    t.is(error?.kind, kind, fault.status.toString());
    t.regex(error?.message ?? '', new RegExp(`HTTP ${fault.status}`));
  }
  t.is(await h.tasks.enqueue(queueTask()), 'enqueued');
});

test('a missing queue is fatal, not a duplicate nor something to retry', async (t) => {
  const h = await harness([]);
  t.teardown(h.close);
  const error = await t.throwsAsync(h.tasks.enqueue(queueTask()), { instanceOf: RunnerError });
  t.is(error?.kind, 'fatal');
  t.regex(error?.message ?? '', /HTTP 404 NOT_FOUND: Queue does not exist/);
});

test('no answer at all is unavailable', async (t) => {
  const h = await harness();
  t.teardown(() => h.tasks.close());
  await h.fake.close();
  const error = await t.throwsAsync(h.tasks.enqueue(queueTask()), { instanceOf: RunnerError });
  t.is(error?.kind, 'unavailable');
  t.regex(error?.message ?? '', /ECONNREFUSED/);
});

test('a queue that is not a full queue name is refused at construction', (t) => {
  const error = t.throws(() => createCloudTasksQueue({ queue: 'jobs', targetUrl: `${stepsUrl}/dispatch`, serviceAccountEmail: tasksServiceAccount, log: testLog().log }), {
    instanceOf: RunnerError,
  });
  t.is(error?.kind, 'invalid');
});

test('the fake refuses what the library must not send: string enums, no enum-encoding, an unknown field', async (t) => {
  const h = await harness();
  t.teardown(h.close);
  const task = { name: `${queue}/tasks/abc`, httpRequest: { url: `${stepsUrl}/dispatch`, httpMethod: 1 } };
  const post = (query: string, body: unknown) =>
    fetch(`${h.fake.url}/v2/${queue}/tasks?${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((response) => response.status);
  t.is(await post('$alt=json;enum-encoding=int', { task: { ...task, httpRequest: { ...task.httpRequest, httpMethod: 'POST' } } }), 400);
  t.is(await post('$alt=json', { task }), 400);
  t.is(await post('$alt=json;enum-encoding=int', { task: { ...task, extra: 1 } }), 400);
  t.is(await post('$alt=json;enum-encoding=int', { task }), 200);
});
