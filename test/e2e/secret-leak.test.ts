import test from 'ava';
import { deliver } from '../helpers/deliver.ts';
import { workflowJobPayload } from '../fixtures/workflow-job.ts';
import { eventually, executionEnd, startTestSystem, vmMetadata, vmNames } from '../helpers/system.ts';

test('no private key, webhook secret, installation token or JIT config appears in logs, responses or executions', async (t) => {
  const world = await startTestSystem({ connectRunners: false });
  const seen: string[] = [];
  const jitConfigs: string[] = [];
  try {
    // A full job, a failing mint, a bad signature and a malformed body, so error paths are covered too.
    const job = await world.github.createJob({ owner: 'octo-org', repo: 'app', labels: ['self-hosted', 'linux'] });
    const name = await eventually(() => vmNames(world)[0], 10_000, 'the VM');
    const vm = vmMetadata(world, name);
    jitConfigs.push(vm['jit-config']!);
    await world.github.runnerConnect(vm['jit-config']!);
    await world.github.completeJob(job.id);
    world.github.fail({ method: 'POST', path: '/orgs/:org/actions/runners/generate-jitconfig', status: 422, times: 2 });
    await world.github.createJob({ owner: 'octo-org', repo: 'app', labels: ['self-hosted', 'linux'] });
    seen.push(JSON.stringify((await deliver(world.url, 'wrong-secret', workflowJobPayload())).body));
    seen.push(JSON.stringify((await deliver(world.url, world.github.webhookSecret, 'not json')).body));
    const mint = await fetch(`${world.url}/steps/mint-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ installationId: world.github.install('octo-org').installationId, owner: 'octo-org', repo: 'app', ownerIsOrganization: true, jobId: 1, runAttempt: 1, templateName: 'linux', runnerName: 'ghr-linux-1-1' }),
    });
    seen.push(await mint.text());
    await world.embedded.queue.idle();
    for (const execution of world.engine.listExecutions('runner')) {
      await executionEnd(world, execution.name);
      seen.push(JSON.stringify(world.engine.getExecution(execution.name)), JSON.stringify(world.engine.listStepEntries(execution.name)));
    }
  } finally {
    await world.system.close();
  }
  seen.push(world.logger.text());
  const everything = seen.join('\n');
  const keyBody = world.github.privateKey.split('\n')[1]!;
  t.true(everything.length > 10_000, 'a full run was captured');
  t.false(everything.includes(keyBody), 'private key');
  t.false(everything.includes(world.github.webhookSecret), 'webhook secret');
  t.notRegex(everything, /ghs_[A-Za-z0-9]{16,}/, 'installation token');
  for (const jit of jitConfigs) t.false(everything.includes(jit), 'JIT config');
  t.notRegex(everything, /eyIu[A-Za-z0-9+/=]{40,}/, 'any encoded JIT config');
});
