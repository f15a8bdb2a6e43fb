import test from 'ava';
import { verify } from '@octokit/webhooks-methods';
import { startReceiver, startWorld } from './helpers.ts';

async function worldWithReceiver(status?: () => number) {
  const receiver = await startReceiver(status);
  const world = await startWorld({ webhookUrl: receiver.url, webhookSecret: 'It’s a Secret to Everybody' });
  return { world, receiver, close: async () => (await world.close(), await receiver.close()) };
}

const mint = (world: Awaited<ReturnType<typeof startWorld>>, name: string, labels: string[]) =>
  world.github.generateJitConfig(world.orgScope, { name, runnerGroupId: 1, labels });

test('createJob sends a signed workflow_job.queued delivery with the installation id', async (t) => {
  const { world, receiver, close } = await worldWithReceiver();
  t.teardown(close);
  const job = await world.sim.createJob({ owner: 'acme', repo: 'api', labels: ['self-hosted', 'linux'] });
  const [delivery] = receiver.received;
  t.truthy(delivery);
  t.true(await verify('It’s a Secret to Everybody', delivery!.body, String(delivery!.headers['x-hub-signature-256'])));
  t.like(delivery!.headers, { 'x-github-event': 'workflow_job', 'content-type': 'application/json' });
  t.regex(String(delivery!.headers['x-github-delivery']), /^[0-9a-f-]{36}$/);
  t.is(delivery!.headers['x-github-hook-installation-target-id'], String(world.sim.appId));
  const payload = JSON.parse(delivery!.body) as Record<string, unknown>;
  t.like(payload, { action: 'queued', installation: { id: world.orgScope.installationId } });
  t.like(payload['workflow_job'], { id: job.id, status: 'queued', labels: ['self-hosted', 'linux'], runner_name: null });
  t.like(payload['repository'], { name: 'api', full_name: 'acme/api', private: true, owner: { login: 'acme', type: 'Organization' } });
  t.is(world.sim.deliveries()[0]?.statusCode, 202);
});

test('a connecting runner takes the oldest queued job whose labels it has, compared case-insensitively', async (t) => {
  const { world, receiver, close } = await worldWithReceiver();
  t.teardown(close);
  const gpu = await world.sim.createJob({ owner: 'acme', repo: 'api', labels: ['gpu'] });
  const first = await world.sim.createJob({ owner: 'acme', repo: 'api', labels: ['Linux'] });
  await world.sim.createJob({ owner: 'acme', repo: 'web', labels: ['linux'] });
  const config = await mint(world, 'gh-a', ['self-hosted', 'linux']);
  const { job } = await world.sim.runnerConnect(config.encodedJitConfig);
  t.is(job?.id, first.id);
  t.is(world.sim.job(gpu.id)?.status, 'queued');
  const last = receiver.payloads().at(-1);
  t.like(last, { action: 'in_progress', workflow_job: { id: first.id, runner_name: 'gh-a', runner_id: config.runnerId } });
  t.like(world.sim.runners().find((r) => r.id === config.runnerId), { status: 'online', busy: true });
});

test('the runner made for job A can take job B: an idle runner takes the next job created', async (t) => {
  const { world, close } = await worldWithReceiver();
  t.teardown(close);
  const config = await mint(world, 'gh-made-for-a', ['linux']);
  await world.sim.runnerConnect(config.encodedJitConfig);
  const jobB = await world.sim.createJob({ owner: 'acme', repo: 'api', labels: ['linux'] });
  t.like(world.sim.job(jobB.id), { status: 'in_progress', runnerName: 'gh-made-for-a' });
});

test('completing a job sends completed and removes the JIT runner', async (t) => {
  const { world, receiver, close } = await worldWithReceiver();
  t.teardown(close);
  const job = await world.sim.createJob({ owner: 'acme', repo: 'api', labels: ['linux'] });
  const config = await mint(world, 'gh-b', ['linux']);
  await world.sim.runnerConnect(config.encodedJitConfig);
  await world.sim.completeJob(job.id, 'success');
  t.deepEqual(receiver.payloads().map((p) => p['action']), ['queued', 'in_progress', 'completed']);
  t.like(receiver.payloads().at(-1)?.['workflow_job'], { conclusion: 'success', runner_name: 'gh-b' });
  t.is(await world.github.findRunnerByName(world.orgScope, 'gh-b'), null);
});

test('a job cancelled before pickup completes as cancelled with runner_name null', async (t) => {
  const { world, receiver, close } = await worldWithReceiver();
  t.teardown(close);
  const job = await world.sim.createJob({ owner: 'jane', repo: 'tools', labels: ['linux'], ownerType: 'User' });
  await world.sim.cancelJob(job.id);
  t.like(receiver.payloads().at(-1), { action: 'completed', workflow_job: { status: 'completed', conclusion: 'cancelled', runner_name: null } });
  t.like(receiver.payloads().at(-1), { repository: { owner: { type: 'User' } } });
  t.false('organization' in (receiver.payloads().at(-1) ?? {}));
});

test('a JIT config connects once, and not after its runner was deleted', async (t) => {
  const { world, close } = await worldWithReceiver();
  t.teardown(close);
  const config = await mint(world, 'gh-c', ['linux']);
  await world.sim.runnerConnect(config.encodedJitConfig);
  await t.throwsAsync(world.sim.runnerConnect(config.encodedJitConfig), { message: /already used/ });
  const other = await mint(world, 'gh-d', ['linux']);
  await world.github.deleteRunner(world.orgScope, other.runnerId);
  await t.throwsAsync(world.sim.runnerConnect(other.encodedJitConfig), { message: /no registered runner/ });
});

test('auto-run completes a taken job after the delay', async (t) => {
  const { world, receiver, close } = await worldWithReceiver();
  t.teardown(close);
  world.sim.setAutoRun(20);
  const job = await world.sim.createJob({ owner: 'acme', repo: 'api', labels: ['linux'] });
  await world.sim.runnerConnect((await mint(world, 'gh-e', ['linux'])).encodedJitConfig);
  for (let waited = 0; world.sim.job(job.id)?.status !== 'completed' && waited < 5_000; waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await world.sim.settled();
  t.is(world.sim.job(job.id)?.conclusion, 'success');
  t.is(receiver.payloads().at(-1)?.['action'], 'completed');
});

test('every delivery is recorded with its status code, failures included', async (t) => {
  let status = 500;
  const { world, close } = await worldWithReceiver(() => status);
  t.teardown(close);
  await world.sim.createJob({ owner: 'acme', repo: 'api', labels: ['linux'] });
  status = 200;
  const failed = world.sim.deliveries()[0]!;
  const again = await world.sim.redeliver(failed.id);
  t.like(failed, { statusCode: 500, status: 'Invalid HTTP Response: 500', redelivery: false });
  t.like(again, { statusCode: 200, status: 'OK', redelivery: true, guid: failed.guid, body: failed.body });
});

test('with no webhook URL, deliveries are recorded but not sent', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  await world.sim.createJob({ owner: 'acme', repo: 'api', labels: ['linux'] });
  t.like(world.sim.deliveries()[0], { statusCode: 0, url: null, action: 'queued' });
});
