import test from 'ava';
import { eventually, executionEnd, testTemplates, vmNames } from '../helpers/system.ts';
import { executionsFor, queueJob, resultOf, runOneJob, runReaper, startFaultWorld, whenAwaiting, whenRunning } from './fault-world.ts';
import { assertPromises } from './promises.ts';

/*
 * What the runner executions leave behind, and the reaper removes. The reaper never touches a VM
 * younger than its 10-minute boot grace (handlers/reaper/reaper-limits.ts, not injectable), and
 * looks at runners twice, half an hour apart: the world's clock jumps over both instead of
 * waiting, for the steps (the VM's age) and the engine (the reaper's sys.sleep) alike.
 */
const runnerPath = '/orgs/:org/actions/runners/:runner_id';
const ourRunners = (world: Awaited<ReturnType<typeof startFaultWorld>>) => world.github.runners().filter((runner) => runner.name.startsWith('ghr-'));

/* Bound: the first reaper run past the boot grace, ~15 min after the VM's creation (README). */
test('an execution cancelled while its job runs leaves its VM; the reaper removes it once past the boot grace, never before', async (t) => {
  const world = await startFaultWorld();
  t.teardown(() => world.system.close());
  const job = await runOneJob(world, async (running) => {
    const [execution] = executionsFor(world, running.id);
    await whenAwaiting(world, execution!.name);
    world.engine.cancelExecution(execution!.name);
  });
  const dropped = (line: Record<string, unknown>) => line['message'] === 'event dispatched' && line['action'] === 'completed' && line['reason'] === 'its execution has ended';
  await eventually(() => world.logger.lines().some(dropped), 10_000, 'the completed event dropped');
  t.is(world.compute.counts().live, 1, 'the VM outlives its execution');

  const early = await runReaper(world);
  t.like(early.report['vms'], { found: 1, removed: [], kept: { booting: 1 } });
  t.is(world.compute.counts().live, 1, 'a VM within the boot grace is never touched');

  world.clock.jump(11 * 60_000);
  const reaper = await runReaper(world);
  t.is(reaper.state, 'SUCCEEDED');
  const vm = world.github.job(job.id)?.runnerName;
  t.like(reaper.report['vms'], { found: 1, removed: [{ name: vm, vm: 'deleted' }] });
  await assertPromises(t, world, [job], { executionStates: ['CANCELLED'] });
});

test('a job outliving maxRunDuration: its busy runner (422) keeps nothing alive, the VM goes, GitHub fails the job and drops the runner', async (t) => {
  const world = await startFaultWorld({ templates: testTemplates('3s').replace('maxRunDuration: 1h', 'maxRunDuration: 3s') });
  t.teardown(() => world.system.close());
  const job = await queueJob(world);
  await whenRunning(world, job);
  const [execution] = executionsFor(world, job.id);
  const ended = await executionEnd(world, execution!.name, 20_000);
  t.like(resultOf(ended), { outcome: 'max_duration_exceeded', vm: 'deleted' });
  t.true(world.github.requests().some((request) => request.method === 'DELETE' && request.status === 422 && !request.faulted), 'GitHub said busy');
  await assertPromises(t, world, [{ job, conclusion: 'failure' }]);
});

/* Bound: the runner goes at the reaper's second look, 30 min after the first: ~35 min (README). */
test('delete-vm told twice that the runner is busy (422) deletes the VM; the reaper removes the runner at its second look', async (t) => {
  const world = await startFaultWorld({ connectRunners: false, templates: testTemplates('2s') });
  t.teardown(() => world.system.close());
  // Three refusals: the release asked on cancellation (which then keeps the VM, as for a runner
  // that took another job), and the two deregistrations of delete-vm at the idle timeout.
  world.github.fail({ method: 'DELETE', path: runnerPath, status: 422, times: 3 });
  const job = await queueJob(world);
  const name = await eventually(() => vmNames(world)[0], 20_000, 'the VM');
  await world.github.cancelJob(job.id); // no runner will take it: the VM idles out
  const ended = await executionEnd(world, executionsFor(world, job.id)[0]!.name, 20_000);
  t.like(resultOf(ended), { outcome: 'idle', runner: 'busy', vm: 'deleted' });
  t.deepEqual(ourRunners(world).map((runner) => runner.name), [name], 'the runner outlives its VM');

  const reaper = await runReaper(world);
  t.is(reaper.state, 'SUCCEEDED');
  t.like(reaper.report['runners'], { candidates: [{ name }] });
  t.like(reaper.report['staleRunners'], { removed: [{ name }] });
  await assertPromises(t, world, [{ job, neverRanBecause: /^idle/ }]);
});

/* Bound: delete-vm's whole retry budget (12 retries, ~14 min of backoff), then the next reaper run. */
test('Compute refusing every delete fails the execution after its retries; the next reaper run removes the VM', async (t) => {
  const world = await startFaultWorld();
  t.teardown(() => world.system.close());
  world.compute.faults.inject({ call: 'delete', kind: 'unavailable', times: Infinity });
  const job = await runOneJob(world);
  const [execution] = executionsFor(world, job.id);
  for (;;) {
    const state = await eventually(() => {
      const current = world.engine.getExecution(execution!.name)?.state;
      return current !== 'ACTIVE' ? current : world.clock.longestPendingSleep() > 0 && 'backing off';
    }, 20_000, 'the next retry');
    if (state !== 'backing off') break;
    world.clock.jump(121_000);
  }
  const failed = world.engine.getExecution(execution!.name);
  t.is(failed?.state, 'FAILED');
  t.regex(failed?.error?.payload ?? '', /503/);
  t.is(world.compute.counts().live, 1, 'the VM outlives its execution');
  t.is(world.compute.counts().deleteCalls, 13, 'one call and 12 retries');

  world.compute.faults.clear(); // Compute is back
  const reaper = await runReaper(world);
  t.like(reaper.report['vms'], { removed: [{ vm: 'deleted' }] });
  await assertPromises(t, world, [job], { executionStates: ['FAILED'] });
});

/*
 * Was a bug, fixed: delete-vm deregisters the runner before it deletes the VM, and any error but 422 stops it
 * there. While GitHub fails runner deletions (5xx, a rate limit) a finished job's VM stays up
 * through the whole retry budget (~14 min), then the execution fails and the VM waits for the
 * reaper, which deregisters first too: in a GitHub outage, for Compute's own maxRunDuration (idle
 * + max + 10 min). The README promises "seconds" for a VM whose job completed, and the DELETE is
 * moot for a JIT runner whose job completed (GitHub removes it). Proposed fix: in deleteVm, when
 * deregister throws `unavailable` or `rate_limited`, delete the VM anyway and then rethrow, so the
 * workflow retries the deregistration (the reaper's stale-runner sweep is the backstop, as for 422).
 */
test('GitHub refusing every runner deletion must not keep a finished job\'s VM: the VM goes within seconds, the runner after', async (t) => {
  const world = await startFaultWorld();
  t.teardown(() => world.system.close());
  world.github.fail({ method: 'DELETE', path: runnerPath, status: 503, times: Infinity });
  const job = await runOneJob(world);
  const gone = await eventually(() => world.compute.counts().live === 0, 10_000, 'the VM deleted').then(() => true, () => false);
  t.true(gone, 'the VM of a completed job is deleted while GitHub refuses to delete its runner');
  world.github.clearFaults(); // GitHub is back: the execution's next retry finishes the job
  await assertPromises(t, world, [job], { withinMs: 30_000 });
});

test('three jobs at once through a Compute and a GitHub that each fail a few calls: each job runs once and all is removed', async (t) => {
  const world = await startFaultWorld();
  t.teardown(() => world.system.close());
  world.compute.faults.inject({ call: 'insert', kind: 'unavailable', times: 2 });
  world.compute.faults.inject({ call: 'operationWait', kind: 'internal', times: 2 });
  world.compute.faults.inject({ call: 'delete', kind: 'rate_limit', times: 2 });
  world.github.fail({ method: 'POST', path: '/orgs/:org/actions/runners/generate-jitconfig', status: 502, times: 2 });
  world.github.fail({ method: 'DELETE', path: runnerPath, status: 503, times: 2 });
  const jobs = await Promise.all(['one', 'two', 'three'].map((repo) => queueJob(world, repo)));
  await Promise.all(jobs.map((job) => whenRunning(world, job)));
  await Promise.all(jobs.map((job) => world.github.completeJob(job.id)));
  await assertPromises(t, world, jobs, { withinMs: 30_000 });
  t.deepEqual(world.compute.faults.pending(), []);
  t.deepEqual(world.github.pendingFaults(), []);
});
