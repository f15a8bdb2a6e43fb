import { InstancesClient } from '@google-cloud/compute';
import test from 'ava';
import { buildInstanceResource } from '../../handlers/compute/build-instance-resource.ts';
import { clientOptionsFor } from '../../handlers/compute/client-options.ts';
import { requestIdFor } from '../../handlers/compute/request-id.ts';
import type { InstanceStatusEvent } from '../../simulators/compute/sim-types.ts';
import { gpuTemplate, jitConfig, project, requestFor, startHarness } from './compute-fixtures.ts';

test('a VM goes PROVISIONING → STAGING → RUNNING over bootDelayMs, and listeners see each step', async (t) => {
  const h = await startHarness({ bootDelayMs: 1_000 });
  t.teardown(() => h.close());
  const events: InstanceStatusEvent[] = [];
  const running = new Promise<void>((resolve) => {
    h.sim.onInstanceStatus((event) => {
      events.push(event);
      if (event.status === 'RUNNING') resolve();
    });
  });
  const started = Date.now();
  await h.compute.insertInstance(requestFor('runner-1'));
  t.not((await h.compute.getInstance('runner-1', 'us-central1-a'))?.status, 'RUNNING', 'the insert operation is done before the VM runs');
  await running;
  t.true(Date.now() - started >= 1_000);
  t.is((await h.compute.getInstance('runner-1', 'us-central1-a'))?.status, 'RUNNING');
  t.deepEqual(events.map((event) => `${event.previousStatus ?? '-'}>${event.status}`), ['->PROVISIONING', 'PROVISIONING>STAGING', 'STAGING>RUNNING']);
});

test('a listener can read the metadata of a VM that reached RUNNING (as the GitHub simulator does)', async (t) => {
  const h = await startHarness();
  t.teardown(() => h.close());
  const seen: string[] = [];
  h.sim.onInstanceStatus((event) => {
    if (event.status !== 'RUNNING') return;
    const items = (event.instance?.['metadata'] as { items: { key: string; value: string }[] }).items;
    seen.push(items.find((item) => item.key === 'jit-config')?.value ?? '');
  });
  h.sim.onInstanceStatus(() => {
    throw new Error('a broken listener does not break the simulator');
  });
  await h.compute.insertInstance(requestFor('runner-1'));
  t.deepEqual(seen, [jitConfig]);
});

test('preempting a Spot VM with action DELETE removes it, as a compute.instances.preempted operation', async (t) => {
  const h = await startHarness();
  t.teardown(() => h.close());
  await h.compute.insertInstance(requestFor('runner-1', { template: gpuTemplate }));
  const operation = h.sim.preempt('runner-1', 'us-central1-a');
  t.like(operation, { operationType: 'compute.instances.preempted', status: 'DONE' });
  t.is(await h.compute.getInstance('runner-1', 'us-central1-a'), null);
  t.like(h.sim.counts(), { inserted: 1, deleted: 0, terminatedByCompute: 1, live: 0 });
  t.is(await h.compute.deleteInstance('runner-1', 'us-central1-a'), 'absent');
});

test('preempting a Spot VM with action STOP leaves it TERMINATED; an on-demand VM cannot be preempted', async (t) => {
  const h = await startHarness();
  t.teardown(() => h.close());
  const client = new InstancesClient(clientOptionsFor(h.sim.url, project));
  t.teardown(() => client.close());
  const instance = buildInstanceResource(requestFor('runner-1', { template: gpuTemplate }), project);
  instance.scheduling = { ...instance.scheduling, instanceTerminationAction: 'STOP' };
  await client.insert({ project, zone: 'us-central1-a', requestId: requestIdFor('runner-1', 'us-central1-a', true), instanceResource: instance });
  h.sim.preempt('runner-1', 'us-central1-a');
  t.is((await h.compute.getInstance('runner-1', 'us-central1-a'))?.status, 'TERMINATED');
  await h.compute.insertInstance(requestFor('runner-2'));
  t.throws(() => h.sim.preempt('runner-2', 'us-central1-a'), { message: /not a Spot VM/ });
});

test('a VM past its maxRunDuration is deleted by Compute', async (t) => {
  let now = Date.parse('2030-01-01T00:00:00Z');
  const h = await startHarness({ clock: { now: () => now } });
  t.teardown(() => h.close());
  await h.compute.insertInstance(requestFor('runner-1', { maxRunDurationSeconds: 3600 }));
  await h.compute.insertInstance(requestFor('runner-2', { maxRunDurationSeconds: 7200 }));
  now += 3600 * 1000;
  t.deepEqual(h.sim.expireOverdue(), ['runner-1']);
  t.is(await h.compute.getInstance('runner-1', 'us-central1-a'), null);
  t.is((await h.compute.getInstance('runner-2', 'us-central1-a'))?.status, 'RUNNING');
  t.true(h.sim.operations().some((operation) => operation['operationType'] === 'compute.instances.maxRunDurationReached'));
});

test('faults are consumed in order and listed while pending', async (t) => {
  const h = await startHarness();
  t.teardown(() => h.close());
  h.sim.faults.inject({ call: 'insert', zone: 'us-central1-b', kind: 'stockout', times: 2 });
  h.sim.faults.inject({ call: 'delete', name: 'runner-9', kind: 'not_ready' });
  await h.compute.insertInstance(requestFor('runner-1')).catch(() => undefined);
  t.deepEqual(h.sim.faults.pending().map((fault) => [fault.call, fault.times]), [['insert', 2], ['delete', 1]], 'another zone does not consume it');
  h.sim.faults.clear();
  t.deepEqual(h.sim.faults.pending(), []);
});
