import test from 'ava';
import { eventually, executionEnd, startTestSystem, testTemplates, vmNames } from '../helpers/system.ts';

const spotTemplates = testTemplates('30s').replace('    maxRunners: 50', '    maxRunners: 50\n    spot: true\n    vmCheckInterval: 1s');

function provisioningModels(world: Awaited<ReturnType<typeof startTestSystem>>): string[] {
  return world.compute
    .calls()
    .filter((call) => call.call === 'insert')
    .map((call) => String(((call.body as { scheduling?: { provisioningModel?: string } }).scheduling?.provisioningModel) ?? 'STANDARD'));
}

async function preemptRunningJob(world: Awaited<ReturnType<typeof startTestSystem>>, jobId: number) {
  const running = await eventually(() => world.github.job(jobId)?.status === 'in_progress' && world.github.job(jobId), 15_000, 'job running');
  const vm = world.compute.instances().find((instance) => instance['name'] === running.runnerName)!;
  world.compute.preempt(String(vm['name']), String(vm['zone']).split('/').pop()!);
  return String(vm['name']);
}

test('a job whose spot VM is preempted is re-run once, and the re-run attempt gets an on-demand VM', async (t) => {
  const world = await startTestSystem({ templates: spotTemplates });
  try {
    const job = await world.github.createJob({ owner: 'octo-org', repo: 'app', labels: ['self-hosted', 'linux'] });
    const lostVm = await preemptRunningJob(world, job.id);
    const first = world.engine.listExecutions('runner').at(-1);
    const ended = await executionEnd(world, first!.name, 20_000);
    t.like(JSON.parse(ended.result ?? '{}'), { outcome: 'preempted', runnerName: lostVm, ranJobId: job.id, rerun: true });
    const attempt2 = await eventually(() => world.github.jobs().find((candidate) => candidate.runId === job.runId && candidate.runAttempt === 2), 10_000, 'the re-run attempt');
    await eventually(() => world.github.job(attempt2.id)?.status === 'in_progress', 15_000, 're-run attempt running');
    t.deepEqual(provisioningModels(world), ['SPOT', 'STANDARD']);
    await world.github.completeJob(attempt2.id);
    await eventually(() => world.compute.counts().live === 0 && world.engine.listExecutions('runner').every((execution) => execution.state !== 'ACTIVE'), 15_000, 'all done');
    t.is(world.github.jobs().filter((candidate) => candidate.runId === job.runId).length, 2, 're-run once');
    t.false(vmNames(world).includes(lostVm));
  } finally {
    await world.system.close();
  }
});

test('two preemptions of a template within the window pause spot for it: the next job gets on-demand', async (t) => {
  const world = await startTestSystem({ templates: spotTemplates });
  try {
    for (const owner of ['octo-org', 'octo-org']) {
      const job = await world.github.createJob({ owner, repo: 'app', labels: ['self-hosted', 'linux'] });
      await preemptRunningJob(world, job.id);
      const rerun = await eventually(() => world.github.jobs().find((candidate) => candidate.runId === job.runId && candidate.runAttempt === 2), 20_000, 'the re-run');
      await eventually(() => world.github.job(rerun.id)?.status === 'in_progress', 15_000, 're-run running');
      await world.github.completeJob(rerun.id);
    }
    await eventually(() => world.logger.lines().some((line) => line['message'] === 'repeated spot preemptions: spot paused for the template'), 10_000, 'spot paused');
    await world.github.createJob({ owner: 'octo-org', repo: 'other', labels: ['self-hosted', 'linux'] });
    await eventually(() => provisioningModels(world).length === 5, 15_000, 'five inserts');
    t.deepEqual(provisioningModels(world), ['SPOT', 'STANDARD', 'SPOT', 'STANDARD', 'STANDARD'], 'the re-runs and then every new job avoid spot');
  } finally {
    await world.system.close();
  }
});
