import test from 'ava';
import { createComputeClient } from '../../handlers/compute/create-compute-client.ts';
import { RunnerError } from '../../handlers/errors.ts';
import { createMemoryLogger } from '../../handlers/log/logger.ts';
import { requestIdFor } from '../../handlers/compute/request-id.ts';
import { jitConfig, project, requestFor, startHarness } from './compute-fixtures.ts';

async function insertError(promise: Promise<unknown>): Promise<RunnerError> {
  const error = await promise.then(
    () => new Error('expected the insert to fail'),
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof RunnerError)) throw error;
  return error;
}

test('an insert creates the VM and waits for its operation', async (t) => {
  const h = await startHarness();
  t.teardown(() => h.close());
  t.is(await h.compute.insertInstance(requestFor('runner-1')), 'created');
  t.is(h.sim.instance('runner-1', 'us-central1-a')?.['status'], 'RUNNING');
  t.deepEqual(h.sim.calls().map((call) => call.call), ['insert', 'operationWait']);
  t.false(h.logText().includes(jitConfig), 'the JIT config is never logged');
});

test('a retried insert with the same requestId returns the first operation and creates nothing', async (t) => {
  const h = await startHarness();
  t.teardown(() => h.close());
  t.is(await h.compute.insertInstance(requestFor('runner-1')), 'created');
  t.is(await h.compute.insertInstance(requestFor('runner-1')), 'created');
  t.is(h.sim.counts().inserted, 1);
  t.is(h.sim.counts().live, 1);
});

test('an instance of that name already in the zone is "exists"', async (t) => {
  const h = await startHarness();
  t.teardown(() => h.close());
  await h.compute.insertInstance(requestFor('runner-1'));
  const again = requestFor('runner-1', { requestId: requestIdFor('runner-1', 'us-central1-a', false, 1) });
  t.is(await h.compute.insertInstance(again), 'exists');
  t.is(h.sim.counts().inserted, 1);
});

test('a stockout, reported in the finished operation, is a capacity error', async (t) => {
  const h = await startHarness();
  t.teardown(() => h.close());
  h.sim.faults.inject({ call: 'insert', zone: 'us-central1-a', kind: 'stockout' });
  const error = await insertError(h.compute.insertInstance(requestFor('runner-1')));
  t.is(error.kind, 'capacity');
  t.regex(error.message, /ZONE_RESOURCE_POOL_EXHAUSTED/);
  t.is(h.sim.counts().live, 0);
  t.is(await h.compute.insertInstance(requestFor('runner-1', { zone: 'us-central1-b' })), 'created', 'the next zone is tried');
});

test('a stockout with details and an asynchronous quota are capacity errors too', async (t) => {
  const h = await startHarness();
  t.teardown(() => h.close());
  h.sim.faults.inject({ call: 'insert', kind: 'stockout_details' });
  h.sim.faults.inject({ call: 'insert', kind: 'quota_async' });
  t.is((await insertError(h.compute.insertInstance(requestFor('runner-1')))).kind, 'capacity');
  const quota = await insertError(h.compute.insertInstance(requestFor('runner-2')));
  t.is(quota.kind, 'capacity');
  t.regex(quota.message, /QUOTA_EXCEEDED/);
});

test('after a stockout the same requestId gets the old failure back; the next round tries again', async (t) => {
  const h = await startHarness();
  t.teardown(() => h.close());
  h.sim.faults.inject({ call: 'insert', kind: 'stockout' });
  t.is((await insertError(h.compute.insertInstance(requestFor('runner-1')))).kind, 'capacity');
  t.is((await insertError(h.compute.insertInstance(requestFor('runner-1')))).kind, 'capacity');
  const nextRound = requestFor('runner-1', { requestId: requestIdFor('runner-1', 'us-central1-a', false, 1) });
  t.is(await h.compute.insertInstance(nextRound), 'created');
});

test('a synchronous 403 quota error is a capacity error', async (t) => {
  const h = await startHarness();
  t.teardown(() => h.close());
  h.sim.faults.inject({ call: 'insert', zone: 'us-central1-a', kind: 'quota' });
  const error = await insertError(h.compute.insertInstance(requestFor('runner-1')));
  t.is(error.kind, 'capacity');
  t.regex(error.message, /HTTP 403/);
  t.deepEqual(h.sim.calls().map((call) => call.call), ['insert'], 'no operation to wait for');
});

test('a 503 surfaces as unavailable, and the retry succeeds without a second VM', async (t) => {
  const h = await startHarness();
  t.teardown(() => h.close());
  h.sim.faults.inject({ call: 'insert', kind: 'unavailable' });
  t.is((await insertError(h.compute.insertInstance(requestFor('runner-1')))).kind, 'unavailable');
  t.is(await h.compute.insertInstance(requestFor('runner-1')), 'created');
  t.is(h.sim.counts().inserted, 1);
});

test('a 429 and a 403 rateLimitExceeded are rate_limited', async (t) => {
  const h = await startHarness();
  t.teardown(() => h.close());
  h.sim.faults.inject({ call: 'insert', kind: 'rate_limit' });
  h.sim.faults.inject({ call: 'insert', kind: 'rate_limit_403' });
  t.is((await insertError(h.compute.insertInstance(requestFor('runner-1')))).kind, 'rate_limited');
  t.is((await insertError(h.compute.insertInstance(requestFor('runner-1')))).kind, 'rate_limited');
});

test('a template the API refuses is invalid, and the 400 message is kept', async (t) => {
  const h = await startHarness();
  t.teardown(() => h.close());
  const request = requestFor('runner-1', { labels: { Template: 'Linux' } });
  const error = await insertError(h.compute.insertInstance(request));
  t.is(error.kind, 'invalid');
  t.regex(error.message, /HTTP 400 .*Label key 'Template'/);
});

test('wait answering before DONE is looped on until the operation finishes', async (t) => {
  const h = await startHarness({ operationDelayMs: 60 });
  t.teardown(() => h.close());
  h.sim.faults.inject({ call: 'operationWait', kind: 'wait_early', times: 3 });
  t.is(await h.compute.insertInstance(requestFor('runner-1')), 'created');
  t.is(h.sim.calls().filter((call) => call.call === 'operationWait').length, 4);
  t.is(h.sleeps.length, 3, 'a pause after each early answer');
});

test('an operation that never finishes in time is unavailable (retry with the same requestId)', async (t) => {
  const h = await startHarness({ operationDelayMs: 60_000, waitTimeoutMs: 20 });
  t.teardown(() => h.close());
  const impatient = createComputeClient({ project, apiEndpoint: h.sim.url, log: createMemoryLogger().log, timings: { operationTimeoutMs: 100, operationPollDelayMs: 1 } });
  t.teardown(() => impatient.close());
  const error = await insertError(impatient.insertInstance(requestFor('runner-1')));
  t.is(error.kind, 'unavailable');
  t.regex(error.message, /not done after 100 ms/);
});
