import test from 'ava';
import { eventually, testTemplates, vmNames } from '../helpers/system.ts';
import { executionsFor, queueJob, resultOf, runOneJob, runReaper, startFaultWorld, whenRunning, type FaultWorld } from './fault-world.ts';
import { assertPromises } from './promises.ts';

/** Runs `act` with GitHub's deliveries recorded as failed (no webhook URL), then points GitHub back at us. */
async function withDeliveriesFailing(world: FaultWorld, act: () => Promise<unknown>): Promise<void> {
  world.github.setWebhookUrl(undefined);
  try {
    await act();
    await world.github.settled();
  } finally {
    world.github.setWebhookUrl(`${world.url}/webhook`);
  }
}

const failedDeliveries = (world: FaultWorld, action: string) => world.github.deliveries().filter((delivery) => delivery.action === action && delivery.statusCode === 0);

/*
 * A `completed` GitHub never sends leaves the execution waiting on a live VM: nothing else tells
 * it the job ended (a VM check sees the VM, the reaper sees an active execution). The execution's
 * own deadline, `maxRunDuration` after `in_progress`, ends it: here 5 s, by default 6 h. That is
 * the real bound for a completed event lost for good; Compute's own `maxRunDuration` (idle + max +
 * 10 min) is the backstop behind it.
 */
test('a completed event lost for good: the execution deletes the VM at the template\'s maxRunDuration', async (t) => {
  const world = await startFaultWorld({ templates: testTemplates('3s').replace('maxRunDuration: 1h', 'maxRunDuration: 5s') });
  t.teardown(() => world.system.close());
  const job = await queueJob(world);
  await whenRunning(world, job);
  await withDeliveriesFailing(world, () => world.github.completeJob(job.id));
  t.is(failedDeliveries(world, 'completed').length, 1);
  t.is(world.compute.counts().live, 1, 'the VM outlives its job');
  await assertPromises(t, world, [job], { withinMs: 20_000 });
  t.like(resultOf(executionsFor(world, job.id)[0]), { outcome: 'max_duration_exceeded', vm: 'deleted' });
});

test('a completed whose delivery failed is redelivered by the next reaper run, and the execution removes the VM', async (t) => {
  const world = await startFaultWorld();
  t.teardown(() => world.system.close());
  const job = await queueJob(world);
  await whenRunning(world, job);
  await withDeliveriesFailing(world, () => world.github.completeJob(job.id));
  t.is(world.compute.counts().live, 1, 'the VM outlives its job');
  const reaper = await runReaper(world);
  t.like(reaper.report['vms'], { found: 1, kept: { booting: 1 } });
  t.like(reaper.report['deliveries'], { redelivered: [{ action: 'completed' }] });
  await assertPromises(t, world, [job]);
  t.like(resultOf(executionsFor(world, job.id)[0]), { outcome: 'completed', ranJobId: job.id, vm: 'deleted' });
});

test('a queued delivery that failed is redelivered by the next reaper run, and the job gets its runner', async (t) => {
  const world = await startFaultWorld();
  t.teardown(() => world.system.close());
  world.github.setWebhookUrl('http://127.0.0.1:9/webhook'); // nothing listens there: "failed to connect to host"
  const job = await queueJob(world);
  world.github.setWebhookUrl(`${world.url}/webhook`);
  t.is(world.github.deliveries().filter((delivery) => delivery.action === 'queued' && delivery.statusCode === 0).length, 1);
  t.is(world.engine.listExecutions('runner').length, 0);
  let finished: Promise<void> | undefined;
  // The new execution's runner may be seen offline with no VM yet: the reaper then waits half an hour to look again.
  const finish = () =>
    (finished ??= (async () => {
      await whenRunning(world, job);
      await world.github.completeJob(job.id);
      await eventually(() => world.engine.listExecutions('runner').every((execution) => execution.state !== 'ACTIVE'), 20_000, 'the execution to end');
    })());
  const reaper = await runReaper(world, finish);
  await finish();
  t.like(reaper.report['deliveries'], { redelivered: [{ action: 'queued', failedWith: 'failed to connect to host' }] });
  await assertPromises(t, world, [job]);
  t.is(world.github.deliveries().filter((delivery) => delivery.action === 'queued' && delivery.redelivery).length, 1, 'redelivered once');
});

/*
 * Was a bug, fixed: an `in_progress` that never arrives makes the execution take a running job for an idle VM.
 * At the idle deadline it deletes the VM; delete-vm's deregister gets 422 (the runner is busy),
 * deletes the VM anyway ("its VM goes first") and the job fails on GitHub. Proposed fix: before
 * returning `idle`, await_job_end asks GitHub about the runner (a `check-runner` step, or a
 * `runnerBusy` field in check-vm): busy means the job started, so wait on with
 * `deadline = now + maxRunDurationSeconds`. The reaper's redelivery (every 5 min) hides this only
 * when the delivery failed on GitHub's side and the idle timeout is longer than the next run.
 */
test('an in_progress event lost for good: the idle timeout must not delete a VM whose runner is running the job', async (t) => {
  const world = await startFaultWorld({ templates: testTemplates('3s') });
  t.teardown(() => world.system.close());
  const job = await queueJob(world);
  await withDeliveriesFailing(world, () => whenRunning(world, job));
  t.is(failedDeliveries(world, 'in_progress').length, 1);
  const vm = world.github.job(job.id)?.runnerName ?? '';
  // Past the 3 s idle timeout: today the execution ends `idle` there; a fixed one waits on for the job.
  const execution = executionsFor(world, job.id)[0]!.name;
  await eventually(() => world.engine.getExecution(execution)?.state !== 'ACTIVE', 8_000, 'the idle deadline').catch(() => undefined);
  t.true(vmNames(world).includes(vm), 'the VM of a running job is kept');
  t.is(world.github.job(job.id)?.status, 'in_progress', 'the job still runs');
  await world.github.completeJob(job.id);
  await assertPromises(t, world, [job]);
});

test('the same job runs once although every event of it was delivered twice', async (t) => {
  const world = await startFaultWorld();
  t.teardown(() => world.system.close());
  const job = await runOneJob(world);
  await eventually(() => world.engine.listExecutions('runner').every((execution) => execution.state !== 'ACTIVE'), 20_000, 'the execution to end');
  for (const delivery of world.github.deliveries()) await world.github.redeliver(delivery.id);
  await world.embedded.queue.idle();
  await assertPromises(t, world, [job]);
});
