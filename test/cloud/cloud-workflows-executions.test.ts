import test, { type ExecutionContext } from 'ava';
import { clientOptionsForEndpoint } from '../../handlers/cloud/client-options.ts';
import { createCloudWorkflowsExecutions, type CallLogLevel } from '../../handlers/cloud/cloud-workflows-executions.ts';
import { RunnerError } from '../../handlers/errors.ts';
import { jobEvent, project, testLog, workflow } from './cloud-fixtures.ts';
import { googleError } from './fake-http.ts';
import { startFakeWorkflows } from './fake-workflows.ts';

async function harness(t: ExecutionContext, options: { workflows?: readonly string[]; callLogLevel?: CallLogLevel } = {}) {
  const fake = await startFakeWorkflows(options.workflows ?? [workflow]);
  const logger = testLog();
  const executions = createCloudWorkflowsExecutions({
    clientOptions: clientOptionsForEndpoint(fake.url),
    project,
    location: 'us-central1',
    workflow: 'runner',
    log: logger.log,
    ...(options.callLogLevel ? { callLogLevel: options.callLogLevel } : {}),
  });
  t.teardown(() => executions.close());
  t.teardown(() => fake.close());
  return { fake, logger, executions };
}

test('a queued job starts an execution whose argument is the job event as JSON', async (t) => {
  const h = await harness(t);
  const event = jobEvent();
  const id = await h.executions.start(event);
  t.is(id, 'e0001');
  const [sent] = h.fake.requests;
  t.is(sent?.method, 'POST');
  t.is(sent?.path, `/v1/${workflow}/executions`);
  const body = JSON.parse(sent?.body ?? '{}') as Record<string, unknown>;
  t.deepEqual(JSON.parse(body['argument'] as string), event);
  t.false('callLogLevel' in body, 'the workflow keeps its own call logging level');
  t.like(h.logger.lines().at(-1), { message: 'execution started', executionId: id, jobId: event.jobId, deliveryId: event.deliveryId });
});

test('a call logging level, when configured, is sent by name', async (t) => {
  const h = await harness(t, { callLogLevel: 'LOG_ERRORS_ONLY' });
  await h.executions.start(jobEvent());
  t.is((JSON.parse(h.fake.requests[0]?.body ?? '{}') as Record<string, unknown>)['callLogLevel'], 'LOG_ERRORS_ONLY');
});

test('get reads state, argument, result, error, steps and times', async (t) => {
  const h = await harness(t);
  const id = await h.executions.start(jobEvent());
  Object.assign(h.fake.executions.get(id)!, {
    state: 'FAILED',
    endTime: '2025-01-01T00:05:00.250Z',
    error: { payload: '{"message":"create_vm failed","code":503}', context: 'HTTP server responded with error code 503', stackTrace: { elements: [{ routine: 'main', step: 'create_vm' }] } },
  });
  const detail = await h.executions.getExecution(id);
  t.like(detail, {
    id,
    name: `${workflow}/executions/${id}`,
    state: 'FAILED',
    startTime: '2025-01-01T00:00:00.000Z',
    endTime: '2025-01-01T00:05:00.250Z',
    result: null,
    error: { payload: '{"message":"create_vm failed","code":503}', context: 'HTTP server responded with error code 503', steps: ['main.create_vm'] },
    workflowRevisionId: '000001-abc',
  });
  t.deepEqual(JSON.parse(detail.argument ?? ''), jobEvent());
  t.is(h.fake.requests.at(-1)?.path, `/v1/${workflow}/executions/${id}`);
  t.deepEqual(await h.executions.getExecution(`${workflow}/executions/${id}`), detail, 'the full name works too');
});

test('an unknown execution is not_found', async (t) => {
  const h = await harness(t);
  const error = await t.throwsAsync(h.executions.getExecution('nope'), { instanceOf: RunnerError });
  t.is(error?.kind, 'not_found');
});

test('list gives one page, newest first, filtered by state, with the token of the next', async (t) => {
  const h = await harness(t);
  for (let jobId = 1; jobId <= 5; jobId += 1) await h.executions.start(jobEvent({ jobId }));
  for (const id of ['e0001', 'e0003', 'e0004']) h.fake.executions.get(id)!.state = 'FAILED';
  const first = await h.executions.listExecutions({ state: 'FAILED', pageSize: 2 });
  t.deepEqual(first.executions.map((execution) => [execution.id, execution.state]), [['e0004', 'FAILED'], ['e0003', 'FAILED']]);
  t.is(first.nextPageToken, '2');
  const seen = h.fake.requests.at(-1);
  t.is(seen?.path, `/v1/${workflow}/executions`);
  t.is(seen?.params.get('filter'), 'state="FAILED"');
  t.is(seen?.params.get('pageSize'), '2');
  const second = await h.executions.listExecutions({ state: 'FAILED', pageSize: 2, pageToken: first.nextPageToken ?? '' });
  t.deepEqual(second, { executions: [{ id: 'e0001', name: `${workflow}/executions/e0001`, state: 'FAILED', startTime: '2025-01-01T00:00:00.000Z', endTime: null }], nextPageToken: null });
  t.is((await h.executions.listExecutions()).executions.length, 5);
});

test("re-running a failed execution starts a new one with the failed one's argument", async (t) => {
  const h = await harness(t);
  const event = jobEvent({ jobId: 77 });
  const failed = await h.executions.start(event);
  h.fake.executions.get(failed)!.state = 'FAILED';
  const rerun = await h.executions.rerunExecution(failed);
  t.not(rerun, failed);
  t.is(h.fake.executions.get(rerun)?.argument, h.fake.executions.get(failed)?.argument);
  t.deepEqual(JSON.parse(h.fake.executions.get(rerun)?.argument ?? ''), event);
  t.like(h.logger.lines().at(-1), { message: 'execution re-run', executionId: rerun, rerunOf: failed });
});

test('an execution still running or succeeded is not re-run', async (t) => {
  const h = await harness(t);
  const active = await h.executions.start(jobEvent());
  const error = await t.throwsAsync(h.executions.rerunExecution(active), { instanceOf: RunnerError });
  t.is(error?.kind, 'conflict');
  h.fake.executions.get(active)!.state = 'SUCCEEDED';
  await t.throwsAsync(h.executions.rerunExecution(active), { instanceOf: RunnerError });
  t.is(h.fake.executions.size, 1);
});

test('Workflows refusals: 503 and no answer are unavailable, 429 rate_limited, a missing workflow fatal', async (t) => {
  const h = await harness(t);
  h.fake.faults.push(googleError(503, 'UNAVAILABLE', 'The service is currently unavailable.'), googleError(429, 'RESOURCE_EXHAUSTED', 'Too many active executions.'));
  const unavailable = await t.throwsAsync(h.executions.start(jobEvent()), { instanceOf: RunnerError });
  t.like(unavailable, { kind: 'unavailable', message: `Workflows createExecution in ${workflow}: HTTP 503 UNAVAILABLE: The service is currently unavailable.` });
  const limited = await t.throwsAsync(h.executions.start(jobEvent()), { instanceOf: RunnerError });
  t.is(limited?.kind, 'rate_limited');
  const missing = await harness(t, { workflows: [] });
  t.is((await t.throwsAsync(missing.executions.start(jobEvent()), { instanceOf: RunnerError }))?.kind, 'fatal');
  await h.fake.close();
  const refused = await t.throwsAsync(h.executions.start(jobEvent()), { instanceOf: RunnerError });
  t.like(refused, { kind: 'unavailable' });
  t.regex(refused?.message ?? '', /ECONNRE(SET|FUSED)/); // a pooled keep-alive socket resets
});

test('the runner cap counts QUEUED executions too: the service queues those past its concurrency quota, and each will make a VM', async (t) => {
  const h = await harness(t);
  for (let jobId = 1; jobId <= 3; jobId += 1) await h.executions.start(jobEvent({ jobId }));
  h.fake.executions.get('e0002')!.state = 'QUEUED';
  h.fake.executions.get('e0003')!.state = 'SUCCEEDED';
  const argumentsOfActive = await h.executions.activeArguments();
  t.deepEqual(argumentsOfActive.map((argument) => (JSON.parse(argument) as { jobId: number }).jobId).sort(), [1, 2]);
  const seen = h.fake.requests.at(-1);
  t.is(seen?.params.get('filter'), 'state="ACTIVE" OR state="QUEUED"');
  t.is(seen?.params.get('view'), 'FULL');
});
