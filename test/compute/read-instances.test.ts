import { InstancesClient } from '@google-cloud/compute';
import test from 'ava';
import { clientOptionsFor } from '../../handlers/compute/client-options.ts';
import { createComputeClient } from '../../handlers/compute/create-compute-client.ts';
import { createMemoryLogger } from '../../handlers/log/logger.ts';
import { startComputeSimulator } from '../../simulators/compute/start-compute-simulator.ts';
import { RunnerError } from '../../handlers/errors.ts';
import { gpuTemplate, jitConfig, project, requestFor, startHarness } from './compute-fixtures.ts';

test('get reads the VM back without its JIT config; a missing VM is null', async (t) => {
  const h = await startHarness();
  t.teardown(() => h.close());
  await h.compute.insertInstance(requestFor('runner-1'));
  const info = await h.compute.getInstance('runner-1', 'us-central1-a');
  t.like(info, { name: 'runner-1', zone: 'us-central1-a', status: 'RUNNING', spot: false, labels: { template: 'linux-small' } });
  t.is(info?.metadata['callback-url'], 'http://127.0.0.1:1/cb/abc');
  t.false('jit-config' in (info?.metadata ?? {}));
  t.false(JSON.stringify(info).includes(jitConfig));
  t.regex(info?.createdAt ?? '', /^\d{4}-\d\d-\d\dT/);
  t.is(await h.compute.getInstance('runner-2', 'us-central1-a'), null);
});

test('find asks once across zones, by name, and only answers with a VM in one of the given zones', async (t) => {
  const h = await startHarness();
  t.teardown(() => h.close());
  await h.compute.insertInstance(requestFor('runner-1', { zone: 'us-central1-f' }));
  await h.compute.insertInstance(requestFor('runner-10', { zone: 'us-central1-a' }));
  const found = await h.compute.findInstance('runner-1', ['us-central1-a', 'us-central1-b', 'us-central1-f']);
  t.like(found, { name: 'runner-1', zone: 'us-central1-f' });
  t.is(found?.metadata['callback-url'], 'http://127.0.0.1:1/cb/abc');
  const lists = h.sim.calls().filter((call) => call.call === 'aggregatedList');
  t.deepEqual(lists.map((call) => call.query['filter']), ['name = "runner-1"']);
  t.is(h.sim.calls().filter((call) => call.call === 'get').length, 0);
  t.is(await h.compute.findInstance('runner-1', ['us-central1-a', 'us-central1-b']), null, 'not in these zones');
  t.is(await h.compute.findInstance('runner-9', ['us-central1-a', 'us-central1-b']), null);
});

test('list returns the VMs carrying every label, across zones', async (t) => {
  const h = await startHarness();
  t.teardown(() => h.close());
  await h.compute.insertInstance(requestFor('runner-1', { zone: 'us-central1-a' }));
  await h.compute.insertInstance(requestFor('runner-2', { zone: 'us-central1-b' }));
  await h.compute.insertInstance(requestFor('runner-3', { zone: 'us-central1-f', template: gpuTemplate }));
  const small = await h.compute.listInstances({ 'managed-by': 'gcgr', template: 'linux-small' });
  t.deepEqual(small.map((info) => `${info.zone}/${info.name}`).sort(), ['us-central1-a/runner-1', 'us-central1-b/runner-2']);
  const gpu = await h.compute.listInstances({ template: 'linux-gpu' });
  t.like(gpu, [{ name: 'runner-3', spot: true }]);
  const lastList = h.sim.calls().filter((call) => call.call === 'aggregatedList').at(0);
  t.is(lastList?.query['filter'], 'labels.managed-by = "gcgr" AND labels.template = "linux-small"');
  t.deepEqual(await h.compute.listInstances({ template: 'none' }), []);
});

test('list follows pages', async (t) => {
  const h = await startHarness();
  t.teardown(() => h.close());
  for (const name of ['runner-1', 'runner-2', 'runner-3']) await h.compute.insertInstance(requestFor(name));
  const client = new InstancesClient(clientOptionsFor(h.sim.url, project));
  t.teardown(() => client.close());
  const names: string[] = [];
  for await (const [, list] of client.aggregatedListAsync({ project, maxResults: 2 }, { autoPaginate: false })) {
    for (const instance of list.instances ?? []) names.push(instance.name ?? '');
  }
  t.deepEqual(names.sort(), ['runner-1', 'runner-2', 'runner-3']);
  t.is(h.sim.calls().filter((call) => call.call === 'aggregatedList').length, 2);
});

test('a rate-limited list is rate_limited; a 503 on get is retried by the library', async (t) => {
  const h = await startHarness();
  t.teardown(() => h.close());
  h.sim.faults.inject({ call: 'aggregatedList', kind: 'rate_limit' });
  const error = await h.compute.listInstances({ template: 'x' }).catch((thrown: unknown) => thrown);
  t.true(error instanceof RunnerError);
  t.is((error as RunnerError).kind, 'rate_limited');
  h.sim.faults.inject({ call: 'get', kind: 'unavailable' });
  t.is(await h.compute.getInstance('runner-1', 'us-central1-a'), null);
  t.is(h.sim.calls().filter((call) => call.call === 'get').length, 2, 'get is idempotent: the library retried the 503');
});

test('a list that may be a few seconds old reuses the last one of the same labels; a failed one is not reused', async (t) => {
  const sim = await startComputeSimulator({ sweepIntervalMs: 0 });
  let now = 1_000_000;
  const compute = createComputeClient({ project, apiEndpoint: sim.url, log: createMemoryLogger().log, clock: { now: () => now } });
  t.teardown(async () => {
    await compute.close();
    await sim.close();
  });
  const lists = () => sim.calls().filter((call) => call.call === 'aggregatedList').length;
  const labels = { 'managed-by': 'gcgr', template: 'linux-small' };
  await compute.insertInstance(requestFor('runner-1'));
  const [first, concurrent] = await Promise.all([compute.listInstances(labels, { maxAgeMs: 5000 }), compute.listInstances(labels, { maxAgeMs: 5000 })]);
  t.is(lists(), 1, 'a list still in flight is shared');
  t.is(concurrent, first);
  await compute.insertInstance(requestFor('runner-2'));
  now += 5000;
  t.is((await compute.listInstances(labels, { maxAgeMs: 5000 })).length, 1, 'within the age: the earlier answer');
  t.is((await compute.listInstances(labels)).length, 2, 'no age given: always fresh');
  t.is((await compute.listInstances({ template: 'linux-small' }, { maxAgeMs: 5000 })).length, 2, 'other labels: their own list');
  t.is((await compute.listInstances(labels, { metadata: false, maxAgeMs: 5000 })).length, 2, 'without metadata: its own list');
  now += 1;
  sim.faults.inject({ call: 'aggregatedList', kind: 'rate_limit' });
  await t.throwsAsync(compute.listInstances(labels, { maxAgeMs: 5000 }));
  t.is((await compute.listInstances(labels, { maxAgeMs: 5000 })).length, 2, 'after a failure the next caller asks again');
  t.is(lists(), 6);
});
