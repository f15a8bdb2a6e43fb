import test from 'ava';
import type { FaultRule } from '../../simulators/compute/sim-types.ts';
import { eventually } from '../helpers/system.ts';
import { executionsFor, queueJob, runOneJob, startFaultWorld, whenAwaiting, whenRunning, type FaultWorld } from './fault-world.ts';
import { assertPromises } from './promises.ts';

/**
 * One Compute Engine fault per case, injected into the simulator before the job is queued, or
 * once its runner runs it (`running`: what is left to call then is the dispatcher's lookups of the
 * VM and delete-vm). Each row: the job runs on one VM, and nothing of ours is left.
 */
interface Row {
  readonly what: string;
  readonly rule: FaultRule;
  readonly running?: true;
}

const fiveHundreds: Row[] = (['unavailable', 'internal'] as const).flatMap((kind): Row[] => {
  const status = kind === 'unavailable' ? 503 : 500;
  return [
    { what: `insert answered ${status}`, rule: { call: 'insert', kind } },
    { what: `the insert's operations.wait answered ${status}`, rule: { call: 'operationWait', kind } },
    { what: `the delete's operations.wait answered ${status}`, rule: { call: 'operationWait', kind }, running: true },
    { what: `aggregatedList by name (validate's look for the job's VM) answered ${status}`, rule: { call: 'aggregatedList', kind, filter: 'name =' } },
    { what: `aggregatedList by name (create-vm's look for the VM) answered ${status}`, rule: { call: 'aggregatedList', kind, filter: 'name =', times: 2 } },
    { what: `aggregatedList by name (the dispatcher's lookup of the VM an event names) answered ${status}`, rule: { call: 'aggregatedList', kind, filter: 'name =' }, running: true },
    { what: `aggregatedList (admission's count) answered ${status}`, rule: { call: 'aggregatedList', kind } },
    { what: `aggregatedList answered ${status} twice`, rule: { call: 'aggregatedList', kind, times: 2 } },
    { what: `delete answered ${status}`, rule: { call: 'delete', kind } },
  ];
});

const rows: Row[] = [
  ...fiveHundreds,
  { what: 'insert answered 429 rateLimitExceeded', rule: { call: 'insert', kind: 'rate_limit' } },
  { what: 'insert answered 403 rateLimitExceeded', rule: { call: 'insert', kind: 'rate_limit_403' } },
  { what: 'delete answered resourceNotReady', rule: { call: 'delete', kind: 'not_ready' } },
  { what: 'delete answered resourceNotReady past the client\'s own 3 retries', rule: { call: 'delete', kind: 'not_ready', times: 4 } },
  { what: 'operations.wait returned early, still RUNNING, three times', rule: { call: 'operationWait', kind: 'wait_early', times: 3 } },
];

for (const row of rows) {
  test(`Compute ${row.what}: the job still runs on one VM, and its VM and runner are removed`, async (t) => {
    const world = await startFaultWorld();
    t.teardown(() => world.system.close());
    if (!row.running) world.compute.faults.inject(row.rule);
    const job = await runOneJob(world, async (running) => {
      if (!row.running) return;
      await whenAwaiting(world, executionsFor(world, running.id)[0]!.name); // create-vm is done
      world.compute.faults.inject(row.rule);
    });
    await assertPromises(t, world, [job]);
    t.deepEqual(world.compute.faults.pending(), [], 'the fault was hit');
  });
}

/** Distinct requestIds of inserts: a repeated one is answered with its first operation, refusal included. */
function insertAttempts(world: FaultWorld): number {
  return new Set(world.compute.calls().filter((call) => call.call === 'insert').map((call) => call.query['requestId'])).size;
}

/**
 * After a round refused in every zone, create-vm answers 429 with Retry-After: 60 and the
 * workflow sleeps that minute (a new minute also gives the insert a new requestId: a repeat within
 * it would get the first, refused, operation back). The clock jumps over each sleep.
 */
async function refuseRounds(world: FaultWorld, rounds: number): Promise<void> {
  for (let round = 1; round <= rounds; round += 1) {
    await eventually(() => insertAttempts(world) >= 2 * round, 30_000, `refused round ${round}`);
    const wait = await eventually(() => world.clock.longestPendingSleep() >= 30_000 && world.clock.longestPendingSleep(), 30_000, `the wait after round ${round}`);
    world.clock.jump(wait + 1000);
  }
}

test('a stockout in every zone for two rounds: once capacity returns the job gets one VM, and all is removed', async (t) => {
  const world = await startFaultWorld();
  t.teardown(() => world.system.close());
  world.compute.faults.inject({ call: 'insert', kind: 'stockout', times: 4 });
  const job = await queueJob(world);
  await refuseRounds(world, 2);
  await whenRunning(world, job);
  await world.github.completeJob(job.id);
  await assertPromises(t, world, [job]);
  t.true(world.logger.lines().some((line) => line['message'] === 'no capacity in zone, trying the next'));
});

test('an insert refused for quota (403 quotaExceeded) in both zones: after the minute\'s wait the job gets one VM, and all is removed', async (t) => {
  const world = await startFaultWorld();
  t.teardown(() => world.system.close());
  world.compute.faults.inject({ call: 'insert', kind: 'quota', times: 2 });
  const job = await queueJob(world);
  await refuseRounds(world, 1);
  await whenRunning(world, job);
  await world.github.completeJob(job.id);
  await assertPromises(t, world, [job]);
});

test('a quota refused in the insert operation (QUOTA_EXCEEDED) in every zone: the next round gets the VM, and all is removed', async (t) => {
  const world = await startFaultWorld();
  t.teardown(() => world.system.close());
  world.compute.faults.inject({ call: 'insert', kind: 'quota_async', times: 2 });
  const job = await queueJob(world);
  await refuseRounds(world, 1);
  await whenRunning(world, job);
  await world.github.completeJob(job.id);
  await assertPromises(t, world, [job]);
});

test('a stockout in one zone for a while: every VM goes to the other zone, each job gets one, and all is removed', async (t) => {
  const world = await startFaultWorld();
  t.teardown(() => world.system.close());
  world.compute.faults.inject({ call: 'insert', kind: 'stockout', zone: 'us-central1-a', times: 3 });
  const jobs = await Promise.all([queueJob(world, 'one'), queueJob(world, 'two'), queueJob(world, 'three')]);
  await Promise.all(jobs.map((job) => whenRunning(world, job)));
  t.deepEqual(world.compute.instances().map((vm) => String(vm['zone']).split('/').pop()), ['us-central1-b', 'us-central1-b', 'us-central1-b']);
  for (const job of jobs) await world.github.completeJob(job.id);
  await assertPromises(t, world, jobs);
});
