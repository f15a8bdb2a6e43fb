import test from 'ava';
import { parseRunnerName } from '../../handlers/runner-name.ts';
import { workflowJobPayload } from '../fixtures/workflow-job.ts';
import { deliver } from '../helpers/deliver.ts';
import { eventually, executionEnd, startTestSystem, testTemplates, vmMetadata, vmNames } from '../helpers/system.ts';

test('duplicate deliveries of a queued job make one execution and one VM', async (t) => {
  const world = await startTestSystem({ connectRunners: false });
  try {
    const job = await world.github.createJob({ owner: 'octo-org', repo: 'app', labels: ['self-hosted', 'linux'] });
    await world.github.settled();
    const first = world.github.deliveries().find((delivery) => delivery.action === 'queued')!;
    for (let i = 0; i < 3; i += 1) await world.github.redeliver(first.id);
    await world.github.settled();
    await world.embedded.queue.idle();
    await eventually(() => world.compute.counts().inserted === 1, 10_000, 'the VM');
    t.is(world.engine.listExecutions('runner').length, 1);
    t.is(world.compute.counts().insertCalls, 1);
    t.true(vmNames(world)[0]?.endsWith(`-${job.id}-1`));
  } finally {
    await world.system.close();
  }
});

test('a job run on the VM made for another job ends that VM; the other VM lives until its own job ends on it', async (t) => {
  const world = await startTestSystem({ connectRunners: false });
  try {
    const job1 = await world.github.createJob({ owner: 'octo-org', repo: 'app', labels: ['self-hosted', 'linux'] });
    const job2 = await world.github.createJob({ owner: 'octo-org', repo: 'app', labels: ['self-hosted', 'linux'] });
    await eventually(() => world.compute.counts().live === 2 && world.compute.instances().every((vm) => vm['status'] === 'RUNNING'), 10_000, 'two VMs');
    const vmFor = (jobId: number) => vmNames(world).find((name) => parseRunnerName(name)?.jobId === jobId)!;
    const [vmA, vmB] = [vmFor(job1.id), vmFor(job2.id)];
    // GitHub gives the oldest queued job (job 1) to the first runner that connects: B, made for job 2.
    t.is((await world.github.runnerConnect(vmMetadata(world, vmB)['jit-config']!)).job?.id, job1.id);
    t.is((await world.github.runnerConnect(vmMetadata(world, vmA)['jit-config']!)).job?.id, job2.id);
    await world.github.completeJob(job2.id, 'success');
    await eventually(() => !vmNames(world).includes(vmA), 10_000, 'VM A deleted');
    t.true(vmNames(world).includes(vmB), 'B still runs job 1');
    await world.github.completeJob(job1.id, 'success');
    await eventually(() => world.compute.counts().live === 0, 10_000, 'VM B deleted');
    await eventually(() => world.engine.listExecutions('runner').every((execution) => execution.state !== 'ACTIVE'), 10_000, 'both executions ended');
    const results = world.engine.listExecutions('runner').map((execution) => JSON.parse(world.engine.getExecution(execution.name)!.result ?? '{}') as Record<string, unknown>);
    t.deepEqual(results.map((result) => [result['runnerName'], result['ranJobId']]).sort(), [[vmA, job2.id], [vmB, job1.id]].sort());
  } finally {
    await world.system.close();
  }
});

test('a job cancelled before pickup has its VM and runner removed at once, not at the idle timeout', async (t) => {
  // An idle timeout of 10 minutes: only the cancellation can end this within the test.
  const world = await startTestSystem({ connectRunners: false, templates: testTemplates('10m') });
  try {
    const job = await world.github.createJob({ owner: 'octo-org', repo: 'app', labels: ['self-hosted', 'linux'] });
    const name = await eventually(() => vmNames(world)[0], 10_000, 'the VM');
    const [execution] = world.engine.listExecutions('runner');
    await eventually(() => world.engine.listStepEntries(execution!.name)?.some((entry) => entry.step === 'await_event'), 10_000, 'await_start');
    const cancelledAt = Date.now();
    await world.github.cancelJob(job.id);
    const ended = await executionEnd(world, execution!.name);
    t.log(`cancellation to VM deleted: ${Date.now() - cancelledAt} ms`);
    t.is(ended.state, 'SUCCEEDED');
    t.like(JSON.parse(ended.result!), { outcome: 'cancelled', ranJobId: job.id });
    t.is(world.compute.counts().live, 0);
    t.false(world.github.runners().some((runner) => runner.name === name));
    t.true(world.logger.lines().some((line) => line['message'] === 'webhook delivery' && /cancelled before a runner took it: its VM/.test(String(line['reason']))));
  } finally {
    await world.system.close();
  }
});

test('completed arriving before in_progress ends the execution, and the late in_progress is dropped', async (t) => {
  const world = await startTestSystem({ connectRunners: false });
  try {
    const job = await world.github.createJob({ owner: 'octo-org', repo: 'app', labels: ['self-hosted', 'linux'] });
    const name = await eventually(() => vmNames(world)[0], 10_000, 'the VM');
    const [execution] = world.engine.listExecutions('runner');
    await eventually(() => world.engine.listStepEntries(execution!.name)?.some((entry) => entry.step === 'await_event'), 10_000, 'await_start');
    const event = (action: 'completed' | 'in_progress') => workflowJobPayload({ action, jobId: job.id, runnerName: name, installationId: world.github.install('octo-org').installationId });
    t.is((await deliver(world.url, world.github.webhookSecret, event('completed'))).status, 202);
    const ended = await executionEnd(world, execution!.name);
    t.like(JSON.parse(ended.result!), { outcome: 'completed', vm: 'deleted' });
    t.is((await deliver(world.url, world.github.webhookSecret, event('in_progress'))).status, 202);
    await world.embedded.queue.idle();
    t.true(world.logger.lines().some((line) => line['message'] === 'event dispatched' && line['action'] === 'in_progress' && /gone/.test(String(line['reason']))));
    t.is(world.compute.counts().live, 0);
  } finally {
    await world.system.close();
  }
});

test('a stockout in the first zone puts the VM in the second', async (t) => {
  const world = await startTestSystem();
  try {
    world.compute.faults.inject({ call: 'insert', kind: 'stockout', zone: 'us-central1-a', times: Infinity });
    const job = await world.github.createJob({ owner: 'octo-org', repo: 'app', labels: ['self-hosted', 'linux'] });
    await eventually(() => world.github.job(job.id)?.status === 'in_progress', 15_000, 'job in progress');
    t.deepEqual(world.compute.instances().map((vm) => String(vm['zone']).split('/').pop()), ['us-central1-b']);
    await world.github.completeJob(job.id);
    await eventually(() => world.compute.counts().live === 0, 10_000, 'VM deleted');
    t.pass();
  } finally {
    await world.system.close();
  }
});

test('a step failing after the VM exists still deletes the VM and fails the execution with the cause', async (t) => {
  const world = await startTestSystem({ connectRunners: false });
  try {
    await world.github.createJob({ owner: 'octo-org', repo: 'app', labels: ['self-hosted', 'linux'] });
    const name = await eventually(() => vmNames(world)[0], 10_000, 'the VM');
    const [execution] = world.engine.listExecutions('runner');
    await eventually(() => world.engine.listStepEntries(execution!.name)?.some((entry) => entry.step === 'await_event'), 10_000, 'await_start');
    // A callback whose body is not a runner event makes await_job_end fail on a missing key.
    const response = await fetch(vmMetadata(world, name)['callback-url']!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"unexpected": true}' });
    t.is(response.status, 200);
    const ended = await executionEnd(world, execution!.name);
    t.is(ended.state, 'FAILED');
    t.regex(JSON.stringify(ended.error), /KeyError/);
    t.is(world.compute.counts().live, 0);
    t.false(world.github.runners().some((runner) => runner.name === name));
  } finally {
    await world.system.close();
  }
});
