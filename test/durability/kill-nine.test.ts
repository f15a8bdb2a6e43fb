import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { createMemoryLogger } from '../../handlers/log/logger.ts';
import { startLocalWorld } from '../../handlers/system/local-world.ts';
import type { Execution } from '../../workflows/engine/execution-record.ts';
import { eventually, testTemplates } from '../helpers/system.ts';
import { startApp, type AppProcess } from './app-process.ts';

const executionsPath = '/v1/projects/local-project/locations/local/workflows/runner/executions';

async function executions(app: AppProcess): Promise<Execution[]> {
  const response = await fetch(`${app.url}${executionsPath}?view=FULL`);
  return ((await response.json()) as { executions: Execution[] }).executions;
}

/** Waiting for its runner: its VM exists and its innermost step is a callback wait (await_*). */
const waitingForRunner = (execution: Execution | undefined) => /^await/.test(execution?.status?.currentSteps.at(-1)?.step ?? '');

// The simulators run in this process, as the real GitHub and Compute Engine run outside the
// product: they keep their state across the kill, so the test can count what was done twice.
test('kill -9 while an execution waits for its runner to start: after a restart the job runs and ends with one VM, one JIT config, the VM deleted', async (t) => {
  const logger = createMemoryLogger('warn');
  const world = await startLocalWorld({ github: true, compute: true, log: logger.log, connectRunners: false });
  const github = world.github!;
  const compute = world.compute!;
  const dataDir = mkdtempSync(join(tmpdir(), 'ghr-kill9-'));
  const env = {
    DATA_DIR: dataDir,
    GITHUB_API_URL: github.url,
    GITHUB_APP_ID: String(github.appId),
    GITHUB_APP_PRIVATE_KEY: github.privateKey,
    GITHUB_WEBHOOK_SECRET: github.webhookSecret,
    COMPUTE_API_ENDPOINT: compute.url,
    RUNNER_TEMPLATES_YAML: testTemplates('5m'),
  };
  let app = await startApp({ ...env, PORT: '0' });
  try {
    github.setWebhookUrl(`${app.url}/webhook`);
    const job = await github.createJob({ owner: 'octo-org', repo: 'app', labels: ['self-hosted', 'linux'] });
    await eventually(() => compute.counts().live === 1, 20_000, 'the VM');
    const waiting = await eventually(async () => (await executions(app)).find(waitingForRunner), 10_000, 'an execution waiting for its runner');

    await app.kill9();
    // The same port: the VM's metadata holds the callback URL of this address.
    app = await startApp({ ...env, PORT: new URL(app.url).port });
    const resumed = (await executions(app)).find((execution) => execution.name === waiting.name);
    t.true(waitingForRunner(resumed), 'resumed where it waited, under the same id');

    const vm = compute.instances()[0];
    const items = (vm?.['metadata'] as { items: { key: string; value: string }[] }).items;
    await github.runnerConnect(items.find((item) => item.key === 'jit-config')!.value);
    await eventually(() => github.job(job.id)?.status === 'in_progress', 15_000, 'the job taken by the runner');
    await github.settled(); // in_progress delivered to the restarted app
    await github.completeJob(job.id, 'success');
    const done = await eventually(async () => {
      const execution = (await executions(app)).find((candidate) => candidate.name === waiting.name);
      return execution?.state !== 'ACTIVE' && execution;
    }, 15_000, 'the end of the execution');

    t.is(done.state, 'SUCCEEDED', `${JSON.stringify(done.error)}\n${app.output().slice(-3000)}`);
    t.like(JSON.parse(done.result ?? '{}'), { outcome: 'completed', ranJobId: job.id, vm: 'deleted' });
    t.is(compute.counts().insertCalls, 1, 'one VM insert');
    t.is(github.requests().filter((request) => request.path.endsWith('/generate-jitconfig')).length, 1, 'one JIT config');
    t.is(compute.counts().live, 0, 'the VM is deleted');
    t.is((await executions(app)).length, 1, 'no second execution');
  } catch (error) {
    t.log(app.output().slice(-4000));
    t.log(JSON.stringify(await executions(app)).slice(0, 3000));
    throw error;
  } finally {
    await app.kill9();
    await world.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
