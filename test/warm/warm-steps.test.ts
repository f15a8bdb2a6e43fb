import test from 'ava';
import { checkVm } from '../../handlers/steps/check-vm.ts';
import { createVm } from '../../handlers/steps/create-vm.ts';
import { deleteVm } from '../../handlers/steps/delete-vm.ts';
import { mintToken } from '../../handlers/steps/mint-token.ts';
import { validate } from '../../handlers/steps/validate.ts';
import type { WarmRunnerArgument } from '../../handlers/warm/warm-argument.ts';
import { startStepWorld, type StepWorld } from '../steps/step-world.ts';

const pad = (n: number) => String(n).padStart(2, '0');
/** A one-hour window starting two hours from now (UTC): the pool is closed while the test runs. */
function closedWindow(): string {
  const opens = new Date(Date.now() + 2 * 3600_000);
  return `      schedule:\n        timeZone: UTC\n        from: "${pad(opens.getUTCHours())}:00"\n        to: "${pad((opens.getUTCHours() + 1) % 24)}:00"\n`;
}

const templates = (maxRunners = 3, schedule = '') => `
defaults:
  zones: [us-central1-a]
  idleTimeout: 5m
  maxRunDuration: 1h
templates:
  - name: linux
    labels: [self-hosted, linux]
    maxRunners: ${maxRunners}
    warmPool:
      minIdle: 2
      maxIdleAge: 30m
      owner: acme
${schedule}`;

async function pooledWorld(maxRunners = 3, schedule = ''): Promise<StepWorld> {
  const world = await startStepWorld({ templates: templates(maxRunners, schedule) });
  world.github.install('acme', 'Organization');
  return world;
}

const warmStarts = (world: StepWorld) => world.startedExecutions.filter((argument): argument is WarmRunnerArgument => 'warm' in argument);

/** Runs a started warm execution's first steps as runner.yaml does: validate, mint-token, create-vm. */
async function bootWarm(world: StepWorld, argument: WarmRunnerArgument, executionId: string) {
  const plan = await world.run(validate, { ...argument, executionId });
  if (!plan.proceed) return plan;
  const minted = await world.run(mintToken, { ...argument, runnerName: plan.runnerName });
  await world.run(createVm, { ...argument, sealedJitConfig: minted.sealedJitConfig, callbackUrl: 'http://127.0.0.1:1/callbacks/x', executionId });
  return plan;
}

test('tending opens each seat once, with a warm execution registered at the organization', async (t) => {
  const world = await pooledWorld();
  try {
    const [report] = await world.deps.warmPools.tend();
    t.deepEqual(report, { template: 'linux', target: 2, started: ['ghr-linux-w0-1', 'ghr-linux-w1-1'], closed: [] });
    const [first] = warmStarts(world);
    t.like(first, { warm: { seat: 0, generation: 1 }, templateName: 'linux', runnerName: 'ghr-linux-w0-1', owner: 'acme', ownerIsOrganization: true });
    t.false('repo' in first!, 'an organization runner names no repository');
    const [again] = await world.deps.warmPools.tend();
    t.deepEqual(again!.started, [], 'a second tending finds every seat filled by a starting runner');
    t.is(warmStarts(world).length, 2);
    world.assertNoSecrets(t);
  } finally {
    await world.close();
  }
});

test('a warm runner waits up to maxIdleAge, its VM is labelled by seat, and a replaced one no longer goes on', async (t) => {
  const world = await pooledWorld();
  try {
    await world.deps.warmPools.tend();
    const argument = warmStarts(world)[0]!;
    const plan = await bootWarm(world, argument, 'exec-w0');
    t.like(plan, { proceed: true, runnerName: 'ghr-linux-w0-1', idleTimeoutSeconds: 1800 });
    const instance = world.compute.instances().find((candidate) => candidate['name'] === 'ghr-linux-w0-1')!;
    t.like(instance['labels'], { 'warm-seat': '0', owner: 'acme', template: 'linux' });
    t.false('job-id' in (instance['labels'] as object));
    t.is(world.vmMetadata('ghr-linux-w0-1')['idle-timeout'], '1800');
    t.false((await world.run(checkVm, { templateName: 'linux', runnerName: 'ghr-linux-w0-1' })).retire);

    // A job takes it: the seat gets generation 2, and a re-run of the first execution stands down.
    t.is(await world.deps.warmPools.replace('ghr-linux-w0-1', 'took a job'), 'ghr-linux-w0-2');
    t.is(await world.deps.warmPools.replace('ghr-linux-w0-1', 'took a job'), null, 'the same event twice replaces once');
    t.deepEqual(warmStarts(world).map((started) => started.runnerName), ['ghr-linux-w0-1', 'ghr-linux-w1-1', 'ghr-linux-w0-2']);
    t.like(await world.run(validate, { ...argument, executionId: 'exec-rerun' }), { proceed: false });
  } finally {
    await world.close();
  }
});

test('a queued job claims an idle warm runner: its execution asks again until the job is taken, then stands down and frees the claim', async (t) => {
  const world = await pooledWorld();
  try {
    await world.deps.warmPools.tend();
    const job = await world.queueJob();
    const claims = await Promise.all([world.deps.warmPools.claim('linux', job.jobId), world.deps.warmPools.claim('linux', job.jobId)]);
    t.deepEqual(claims, [true, true], 'the same job claiming twice holds one claim');
    const other = await world.queueJob();
    t.true(await world.deps.warmPools.claim('linux', other.jobId));
    const third = await world.queueJob();
    t.false(await world.deps.warmPools.claim('linux', third.jobId), 'two seats, two claims: the third job makes its own VM');

    const waiting = await world.run(validate, { ...job, executionId: 'exec-job' });
    t.like(waiting, { proceed: false, recheckSeconds: 5 });
    t.is(world.compute.counts().inserted, 0);

    await world.github.cancelJob(job.jobId);
    t.like(await world.run(validate, { ...job, executionId: 'exec-job' }), { proceed: false });
    t.is(await world.deps.warmPools.claimOf('linux', job.jobId), null);
    t.true(await world.deps.warmPools.claim('linux', third.jobId), 'the claim it gave back serves the next job');
  } finally {
    await world.close();
  }
});

test('a warm runner finding the template full closes its seat, which reopens when a VM of the template is deleted', async (t) => {
  const world = await pooledWorld(2);
  try {
    t.true((await world.deps.slots.take('linux', 'ghr-linux-99-1', 2)).taken, 'a job holds one of the two slots');
    await world.deps.warmPools.tend();
    const [first, second] = warmStarts(world);
    t.like(await bootWarm(world, first!, 'exec-w0'), { proceed: true });
    t.like(await bootWarm(world, second!, 'exec-w1'), { proceed: false, reason: 'template linux has no free runner slot for a warm runner' });
    t.false(await world.deps.warmPools.holdsSeat('ghr-linux-w1-1'));

    await world.run(deleteVm, { ...first, runnerName: first!.runnerName });
    const reopened = warmStarts(world).map((started) => started.runnerName);
    t.deepEqual(reopened.slice(2).sort(), ['ghr-linux-w0-2', 'ghr-linux-w1-2'], 'the deleted runner replaced, the closed seat reopened');
  } finally {
    await world.close();
  }
});

test('a failed warm execution is not replaced at once (no loop of failing runners); tending refills its seat later', async (t) => {
  const world = await pooledWorld();
  try {
    await world.deps.warmPools.tend();
    const [first] = warmStarts(world);
    await world.run(deleteVm, { ...first, runnerName: first!.runnerName, failed: true });
    t.is(warmStarts(world).length, 2);
    t.true(await world.deps.warmPools.holdsSeat(first!.runnerName), 'the seat waits for tending');
  } finally {
    await world.close();
  }
});

test('outside its schedule tending closes the seats, and a warm runner learns at its next VM check to retire', async (t) => {
  const open = await pooledWorld();
  const closedAt = await pooledWorld(3, closedWindow());
  try {
    t.deepEqual((await closedAt.deps.warmPools.tend())[0]!.started, [], 'a closed pool opens nothing');
    t.false(await closedAt.deps.warmPools.claim('linux', 1), 'and takes no claim');

    // A pool that was open has a booted warm runner; then its schedule closes it.
    await open.deps.warmPools.tend();
    await bootWarm(open, warmStarts(open)[0]!, 'exec-w0');
    await open.deps.warmPools.close('ghr-linux-w0-1');
    t.true((await open.run(checkVm, { templateName: 'linux', runnerName: 'ghr-linux-w0-1' })).retire);
  } finally {
    await open.close();
    await closedAt.close();
  }
});
