import test from 'ava';
import { RunnerError } from '../../handlers/errors.ts';
import { startWorld } from './helpers.ts';

test('deleting a registered runner answers deleted, and a second delete answers absent', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  const runner = world.sim.addRunner({ owner: 'acme' }, { name: 'gh-1', groupId: 1, labels: ['linux'] });
  t.is(await world.github.deleteRunner(world.orgScope, runner.id), 'deleted');
  t.is(await world.github.deleteRunner(world.orgScope, runner.id), 'absent');
  t.deepEqual(world.sim.requests().map((r) => r.status).slice(-2), [204, 404]);
});

test('deleting a runner that is running a job throws busy (GitHub answers 422)', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  const config = await world.github.generateJitConfig(world.repoScope, { name: 'gh-2', runnerGroupId: 1, labels: ['linux'] });
  await world.sim.createJob({ owner: 'jane', repo: 'tools', labels: ['linux'], ownerType: 'User' });
  const { job } = await world.sim.runnerConnect(config.encodedJitConfig);
  t.truthy(job);
  const error = await t.throwsAsync(world.github.deleteRunner(world.repoScope, config.runnerId), { instanceOf: RunnerError });
  t.is(error.kind, 'busy');
  t.is(world.sim.requests().at(-1)?.status, 422);
});

test('finds a runner by exact name with the name filter, and null when there is none', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  world.sim.addRunner({ owner: 'acme' }, { name: 'gh-10', groupId: 1, labels: ['linux'] });
  world.sim.addRunner({ owner: 'acme' }, { name: 'gh-1', groupId: 1, labels: ['linux'], online: true });
  const found = await world.github.findRunnerByName(world.orgScope, 'gh-1');
  t.like(found, { name: 'gh-1', status: 'online', busy: false, labels: ['linux'] });
  t.is(await world.github.findRunnerByName(world.orgScope, 'gh-3'), null);
  t.is(world.sim.requests().at(-1)?.query['name'], 'gh-3');
});

test('lists the runners whose names start with a prefix across pages of 100', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  for (let i = 0; i < 230; i += 1) {
    const name = i % 2 === 0 ? `gh-${i}` : `other-${i}`;
    world.sim.addRunner({ owner: 'jane', repo: 'tools' }, { name, groupId: 1, labels: ['linux'] });
  }
  const runners = await world.github.listRunners(world.repoScope, 'gh-');
  t.is(runners.length, 115);
  t.true(runners.every((r) => r.name.startsWith('gh-')));
  const pages = world.sim.requests().filter((r) => r.method === 'GET').map((r) => [r.query['page'], r.query['per_page']]);
  t.deepEqual(pages, [['1', '100'], ['2', '100'], ['3', '100']]);
});

test('gets a job as GitHub sees it, and null for a job GitHub does not know', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  const job = await world.sim.createJob({ owner: 'acme', repo: 'api', labels: ['linux'] });
  const ref = { installationId: world.orgScope.installationId, owner: 'acme', repo: 'api', jobId: job.id };
  t.deepEqual(await world.github.getJob(ref), { status: 'queued', conclusion: null, runnerName: null, runAttempt: 1 });
  const config = await world.github.generateJitConfig(world.orgScope, { name: 'gh-9', runnerGroupId: 1, labels: ['Linux'] });
  await world.sim.runnerConnect(config.encodedJitConfig);
  t.like(await world.github.getJob(ref), { status: 'in_progress', runnerName: 'gh-9' });
  await world.sim.completeJob(job.id, 'failure');
  t.like(await world.github.getJob(ref), { status: 'completed', conclusion: 'failure', runnerName: 'gh-9' });
  t.is(await world.github.getJob({ ...ref, jobId: 1 }), null);
});
