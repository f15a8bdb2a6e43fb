import test from 'ava';
import { RunnerError } from '../../handlers/errors.ts';
import { requestFor, startHarness } from './compute-fixtures.ts';

test('a delete removes the VM and waits for its operation; deleting again is "absent"', async (t) => {
  const h = await startHarness();
  t.teardown(() => h.close());
  await h.compute.insertInstance(requestFor('runner-1'));
  t.is(await h.compute.deleteInstance('runner-1', 'us-central1-a'), 'deleted');
  t.is(h.sim.instance('runner-1', 'us-central1-a'), null);
  t.is(await h.compute.deleteInstance('runner-1', 'us-central1-a'), 'absent');
  t.like(h.sim.counts(), { deleteCalls: 2, deleted: 1, live: 0 });
});

test('a delete answered resourceNotReady is retried after a short pause', async (t) => {
  const h = await startHarness();
  t.teardown(() => h.close());
  await h.compute.insertInstance(requestFor('runner-1'));
  h.sim.faults.inject({ call: 'delete', kind: 'not_ready', times: 2 });
  t.is(await h.compute.deleteInstance('runner-1', 'us-central1-a'), 'deleted');
  t.deepEqual(h.sleeps, [1_000, 2_000]);
  t.is(h.sim.counts().deleteCalls, 3);
});

test('a VM not ready for longer than the retries is unavailable, for the workflow to retry', async (t) => {
  const h = await startHarness();
  t.teardown(() => h.close());
  await h.compute.insertInstance(requestFor('runner-1'));
  h.sim.faults.inject({ call: 'delete', kind: 'not_ready', times: Infinity });
  const error = await h.compute.deleteInstance('runner-1', 'us-central1-a').catch((thrown: unknown) => thrown);
  t.true(error instanceof RunnerError);
  t.is((error as RunnerError).kind, 'unavailable');
  t.regex((error as RunnerError).message, /resourceNotReady/);
  t.is(h.sim.counts().deleteCalls, 4, 'one attempt and three retries');
});

test('a delete while the insert is still running meets resourceNotReady from the simulator itself', async (t) => {
  const h = await startHarness({ operationDelayMs: 200 }, 100);
  t.teardown(() => h.close());
  const provisioning = new Promise<void>((resolve) => h.sim.onInstanceStatus((event) => {
    if (event.status === 'PROVISIONING') resolve();
  }));
  const inserting = h.compute.insertInstance(requestFor('runner-1'));
  await provisioning;
  const deleting = h.compute.deleteInstance('runner-1', 'us-central1-a');
  t.is(await inserting, 'created');
  t.is(await deleting, 'deleted');
  t.true(h.sleeps.length >= 1, 'the first delete was refused and retried');
  t.is(h.sim.counts().live, 0);
});

test('a 503 on delete is unavailable, not retried by the client', async (t) => {
  const h = await startHarness();
  t.teardown(() => h.close());
  await h.compute.insertInstance(requestFor('runner-1'));
  h.sim.faults.inject({ call: 'delete', kind: 'unavailable' });
  const error = await h.compute.deleteInstance('runner-1', 'us-central1-a').catch((thrown: unknown) => thrown);
  t.is((error as RunnerError).kind, 'unavailable');
  t.is(await h.compute.deleteInstance('runner-1', 'us-central1-a'), 'deleted');
});
