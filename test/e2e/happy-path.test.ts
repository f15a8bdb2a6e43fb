import test from 'ava';
import { eventually, startTestSystem } from '../helpers/system.ts';

test('a queued job gets a VM that runs it, and the VM and runner are gone after it completes', async (t) => {
  const { system, github, compute, engine } = await startTestSystem();
  try {
    const job = await github.createJob({ owner: 'octo-org', repo: 'app', labels: ['self-hosted', 'linux'] });
    const running = await eventually(() => github.job(job.id)?.status === 'in_progress' && github.job(job.id), 15_000, 'job in progress');
    t.regex(running.runnerName ?? '', /^ghr-linux-\d+-1$/);
    t.is(compute.counts().live, 1);
    const [execution] = engine.listExecutions('runner');
    t.is(execution?.state, 'ACTIVE');
    await github.completeJob(job.id, 'success');
    const done = await eventually(() => {
      const current = engine.getExecution(execution!.name);
      return current?.state !== 'ACTIVE' && current;
    }, 15_000, 'execution end');
    t.is(done.state, 'SUCCEEDED', JSON.stringify(done.error));
    t.like(JSON.parse(done.result ?? '{}'), { outcome: 'completed', runnerName: running.runnerName, ranJobId: job.id, conclusion: 'success', vm: 'deleted' });
    t.is(compute.counts().live, 0);
    t.is(compute.counts().inserted, 1);
    t.false(github.runners().some((runner) => runner.name === running.runnerName));
    const steps = engine.listStepEntries(execution!.name)?.map((entry) => entry.step) ?? [];
    for (const step of ['validate_job', 'create_callback', 'mint_token', 'create_vm', 'await_event', 'check_event', 'delete_vm']) t.true(steps.includes(step), step);
  } finally {
    await system.close();
  }
});
