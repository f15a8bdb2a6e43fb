import test from 'ava';
import { clientOptionsForEndpoint } from '../../handlers/cloud/client-options.ts';
import { createCloudWorkflowsExecutions } from '../../handlers/cloud/cloud-workflows-executions.ts';
import { eventually, executionEnd, startTestSystem } from '../helpers/system.ts';

test('a failed execution re-run through the Workflows client with its own argument finishes the job with one VM', async (t) => {
  const world = await startTestSystem();
  const executions = createCloudWorkflowsExecutions({ clientOptions: clientOptionsForEndpoint(world.url), project: 'local-project', location: 'local', workflow: 'runner', log: world.logger.log });
  try {
    world.github.fail({ method: 'POST', path: '/orgs/:org/actions/runners/generate-jitconfig', status: 422, times: 1 });
    const job = await world.github.createJob({ owner: 'octo-org', repo: 'app', labels: ['self-hosted', 'linux'] });
    const [failed] = await eventually(() => world.engine.listExecutions('runner').length === 1 && world.engine.listExecutions('runner'), 10_000, 'execution');
    const ended = await executionEnd(world, failed!.name);
    t.is(ended.state, 'FAILED');
    t.is(world.compute.counts().inserted, 0);

    const rerunId = await executions.rerunExecution(failed!.name.split('/').pop()!);
    t.not(rerunId, failed!.name.split('/').pop());
    const detail = await executions.getExecution(rerunId);
    t.is(detail.argument, ended.argument ?? null);
    await eventually(() => world.github.job(job.id)?.status === 'in_progress', 15_000, 'job in progress');
    await world.github.completeJob(job.id);
    const rerun = await executionEnd(world, detail.name);
    t.is(rerun.state, 'SUCCEEDED');
    t.is(world.compute.counts().inserted, 1);
    t.is(world.compute.counts().live, 0);
    await t.throwsAsync(executions.rerunExecution(rerunId), { message: /only FAILED, CANCELLED or UNAVAILABLE/ });
  } finally {
    await executions.close();
    await world.system.close();
  }
});
