import test from 'ava';
import { parseRunnerName } from '../../handlers/runner-name.ts';
import { ManualClock } from '../../workflows/engine/clock.ts';
import { eventually, startTestSystem, testTemplates, trackPeakVms, vmNames } from '../helpers/system.ts';

// The simulator's VMs take this long from insert to a connected runner: what a warm runner saves.
const bootDelayMs = 1500;

const pooled = (minIdle: number, maxRunners: number) =>
  testTemplates('30s').replace('maxRunners: 50', `maxRunners: ${maxRunners}\n    warmPool:\n      minIdle: ${minIdle}\n      owner: octo-org`);

const isWarm = (name: string) => parseRunnerName(name)?.warm !== undefined;

async function tend(url: string): Promise<unknown> {
  const response = await fetch(`${url}/steps/tend-warm-pools`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  return response.json();
}

test('a job lands on a warm runner at once, makes no VM of its own, and the pool is refilled while it runs', async (t) => {
  const world = await startTestSystem({ templates: pooled(2, 10), bootDelayMs, autoRunMs: 400 });
  try {
    world.github.install('octo-org', 'Organization');
    await tend(world.url);
    const online = () => world.github.runners().filter((runner) => isWarm(runner.name) && runner.status === 'online' && !runner.busy);
    await eventually(() => online().length === 2, 15_000, 'two idle warm runners');
    const before = new Set(vmNames(world));

    const queuedAt = Date.now();
    const job = await world.github.createJob({ owner: 'octo-org', repo: 'app', labels: ['self-hosted', 'linux'] });
    const started = await eventually(() => world.github.job(job.id)?.status !== 'queued' && world.github.job(job.id), 5_000, 'job taken');
    const queueMs = Date.now() - queuedAt;
    t.log(`queued → taken on a warm runner: ${queueMs} ms (a VM boots in ${bootDelayMs} ms here)`);
    t.true(queueMs < bootDelayMs, `${queueMs} ms`);
    t.true(before.has(started.runnerName!), 'taken by a runner that was already there');

    // The pool is back to two idle runners: a new generation for the seat that was taken.
    await eventually(() => online().length === 2, 15_000, 'the pool refilled');
    await eventually(() => world.github.job(job.id)?.status === 'completed', 10_000, 'job done');
    await eventually(() => !vmNames(world).includes(started.runnerName!), 10_000, 'the warm runner that ran the job is deleted');
    const inserted = world.compute.instances().map((instance) => String(instance['name']));
    t.true(vmNames(world).every(isWarm), `no VM made for the job itself: ${inserted.join(', ')}`);
    t.is(world.compute.counts().inserted, 3, 'two warm VMs and one replacement');
    // The job's own execution waited on its claim and then stood down.
    await eventually(() => world.logger.lines().some((line) => line['message'] === 'job claimed a warm runner'), 5_000, 'claim logged');
  } finally {
    await world.system.close();
  }
});

test('warm runners count against maxRunners: jobs beyond the pool still get VMs, never more than the cap', async (t) => {
  const world = await startTestSystem({ templates: pooled(2, 3), bootDelayMs: 200, autoRunMs: 300, admissionRetrySeconds: 0.1 });
  const vms = trackPeakVms(world);
  try {
    world.github.install('octo-org', 'Organization');
    await tend(world.url);
    await eventually(() => world.github.runners().filter((runner) => isWarm(runner.name) && runner.status === 'online').length === 2, 15_000, 'two warm runners');
    const jobs = await Promise.all(Array.from({ length: 8 }, () => world.github.createJob({ owner: 'octo-org', repo: 'app', labels: ['self-hosted', 'linux'] })));
    await eventually(() => jobs.every((job) => world.github.job(job.id)?.status === 'completed'), 40_000, 'every job done');
    t.true(vms.peak() <= 3, `peak ${vms.peak()}`);
    // Once the burst is over the pool fills again up to its two idle runners.
    await eventually(() => world.github.runners().filter((runner) => isWarm(runner.name) && runner.status === 'online' && !runner.busy).length === 2, 15_000, 'the pool refilled');
    t.true(world.compute.counts().live <= 3);
  } finally {
    await world.system.close();
  }
});

test('a warm runner unused for maxIdleAge is deleted and its seat gets a fresh one', async (t) => {
  const engineClock = new ManualClock(Date.now());
  const world = await startTestSystem({ templates: pooled(1, 5).replace('owner: octo-org', 'owner: octo-org\n      maxIdleAge: 5m'), engineClock });
  try {
    world.github.install('octo-org', 'Organization');
    await tend(world.url);
    await eventually(() => world.github.runners().some((runner) => runner.name === 'ghr-linux-w0-1' && runner.status === 'online'), 10_000, 'the first warm runner');
    await eventually(() => engineClock.pendingTimers > 0, 10_000, 'its execution waiting');
    await engineClock.advance(60_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    t.true(vmNames(world).includes('ghr-linux-w0-1'), 'past the 30 s idle timeout of job runners, a warm one keeps waiting');
    await engineClock.advance(4 * 60_000 + 1000);
    await eventually(() => vmNames(world).includes('ghr-linux-w0-2') && !vmNames(world).includes('ghr-linux-w0-1'), 10_000, 'the old runner gone, a fresh one in its seat');
    t.false(world.github.runners().some((runner) => runner.name === 'ghr-linux-w0-1'), 'the old runner deregistered');
  } finally {
    await world.system.close();
  }
});
