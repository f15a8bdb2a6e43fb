import test from 'ava';
import { eventually, executionEnd, startTestSystem } from '../helpers/system.ts';

type Json = Record<string, unknown>;

/** VM life as the Compute simulator recorded it: its insert operation's start to its delete operation's end. */
function simulatorVmSeconds(operations: readonly Json[], name: string): number {
  const of = (type: string) => operations.find((operation) => operation['operationType'] === type && String(operation['targetLink']).endsWith(`/instances/${name}`));
  const [inserted, deleted] = [of('insert'), of('delete')];
  return (Date.parse(String(deleted?.['endTime'])) - Date.parse(String(inserted?.['insertTime']))) / 1000;
}

test('one job run end to end is counted once at every stage, with the queue time GitHub recorded and the VM-seconds Compute recorded', async (t) => {
  const world = await startTestSystem();
  try {
    const job = await world.github.createJob({ owner: 'octo-org', repo: 'app', labels: ['self-hosted', 'linux'] });
    await eventually(() => world.github.job(job.id)?.status === 'in_progress', 15_000, 'job in progress');
    await world.github.completeJob(job.id, 'success');
    const [execution] = world.engine.listExecutions('runner');
    t.is((await executionEnd(world, execution!.name)).state, 'SUCCEEDED');
    const metrics = world.metrics;
    for (const name of ['jobs_queued', 'vms_created', 'jobs_started', 'jobs_completed']) t.is(metrics.count(name, { template: 'linux' }), 1, name);
    t.is(metrics.count('jobs_completed', { conclusion: 'success' }), 1);
    t.is(metrics.count('admission_wait_seconds'), 1);
    t.is(metrics.count('jobs_skipped'), 0);

    const simulated = world.github.job(job.id)!;
    t.is(metrics.total('queue_time_seconds'), (Date.parse(simulated.startedAt) - Date.parse(simulated.createdAt)) / 1000);
    t.is(metrics.total('job_duration_seconds'), (Date.parse(simulated.completedAt!) - Date.parse(simulated.startedAt)) / 1000);
    const runnerName = String(JSON.parse(world.engine.getExecution(execution!.name)!.result!)['runnerName']);
    const recorded = simulatorVmSeconds(world.compute.operations(), runnerName);
    t.true(Math.abs(metrics.total('vm_seconds') - recorded) < 0.25, `metric ${metrics.total('vm_seconds')} s, simulator ${recorded} s`);
    // e2-standard-2 with a 50 GB pd-balanced disk: $0.067006 + 50 × $0.10 / 730 an hour.
    t.true(Math.abs(metrics.total('vm_cost_usd') - (metrics.total('vm_seconds') * (0.067006 + 5 / 730)) / 3600) < 1e-5);
  } finally {
    await world.system.close();
  }
});

test('a step that fails on a GitHub 5xx is counted as a GitHub API error, and a rate limit as a wait of the time GitHub asked for', async (t) => {
  const world = await startTestSystem();
  try {
    world.github.fail({ method: 'POST', path: '/orgs/:org/actions/runners/generate-jitconfig', status: 429, headers: { 'retry-after': '1' }, times: 1 });
    world.github.fail({ method: 'POST', path: '/orgs/:org/actions/runners/generate-jitconfig', status: 502, times: 1 });
    const job = await world.github.createJob({ owner: 'octo-org', repo: 'app', labels: ['self-hosted', 'linux'] });
    await eventually(() => world.github.job(job.id)?.status === 'in_progress', 20_000, 'job in progress');
    t.is(world.metrics.count('rate_limit_waits', { service: 'github' }), 1);
    t.is(world.metrics.total('rate_limit_wait_seconds'), 1);
    t.is(world.metrics.count('api_errors', { service: 'github', kind: 'unavailable' }), 1);
    t.is(world.metrics.count('api_errors', { service: 'github', kind: 'rate_limited' }), 1);
  } finally {
    await world.system.close();
  }
});
