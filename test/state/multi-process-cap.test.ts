import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { createMemoryLogger } from '../../handlers/log/logger.ts';
import { startLocalWorld } from '../../handlers/system/local-world.ts';
import { startFirestoreSimulator } from '../../simulators/firestore/start-firestore-simulator.ts';
import { eventually, testTemplates } from '../helpers/system.ts';
import { startRoundRobinProxy } from './round-robin-proxy.ts';
import { startStepsProcess, type StepsProcess } from './steps-processes.ts';

const jobs = 100;
const maxRunners = 5;

/**
 * Three instances of the service in processes of their own, behind one address that spreads
 * webhooks across them, sharing the runner cap through the Firestore simulator; GitHub and
 * Compute Engine are simulated in this process, so their counts survive a killed instance.
 */
async function runBurst(t: ExecutionContext) {
  t.timeout(240_000);
  const logger = createMemoryLogger('warn');
  const world = await startLocalWorld({ github: true, compute: true, log: logger.log, bootDelayMs: 50, autoRunMs: 100 });
  const github = world.github!;
  const compute = world.compute!;
  // Firestore expires a transaction idle for 60 s (releasing its locks); a killed instance's open
  // transaction would hold the slots' document that long, so the simulator shortens it to 3 s.
  const firestore = await startFirestoreSimulator({ idleExpiryMs: 3000 });
  const dataDirs = [0, 1, 2].map((i) => mkdtempSync(join(tmpdir(), `ghr-multi-${i}-`)));
  const envOf = (i: number, port = '0') => ({
    PORT: port,
    DATA_DIR: dataDirs[i]!,
    GITHUB_API_URL: github.url,
    GITHUB_APP_ID: String(github.appId),
    GITHUB_APP_PRIVATE_KEY: github.privateKey,
    GITHUB_WEBHOOK_SECRET: github.webhookSecret,
    COMPUTE_API_ENDPOINT: compute.url,
    RUNNER_TEMPLATES_YAML: testTemplates('1m').replace('maxRunners: 50', `maxRunners: ${maxRunners}`),
    STATE_STORE: 'firestore',
    FIRESTORE_API_ENDPOINT: firestore.url,
  });
  const instances: StepsProcess[] = await Promise.all([0, 1, 2].map((i) => startStepsProcess(envOf(i))));
  const proxy = await startRoundRobinProxy(() => instances.map((instance) => instance.url));
  let live = 0;
  let peak = 0;
  compute.onInstanceStatus(({ status, previousStatus }) => {
    if (previousStatus === null) live += 1;
    if (status === 'DELETED') live -= 1;
    peak = Math.max(peak, live);
  });
  try {
    github.setWebhookUrl(`${proxy.url}/webhook`);
    const created = await Promise.all(Array.from({ length: jobs }, () => github.createJob({ owner: 'octo-org', repo: 'app', labels: ['self-hosted', 'linux'] })));
    const done = () => created.filter((job) => github.job(job.id)?.status === 'completed').length;
    await eventually(() => done() >= 20, 120_000, '20 jobs done');
    const port = new URL(instances[1]!.url).port;
    await instances[1]!.kill9();
    // The same port and data directory: its executions' callback URLs name this address.
    instances[1] = await startStepsProcess(envOf(1, port));
    await eventually(() => done() === jobs, 200_000, `every job done (${done()} so far)`);
    await eventually(() => compute.counts().live === 0, 30_000, 'every VM deleted');
    t.true(peak <= maxRunners, `peak ${peak}`);
    t.is(peak, maxRunners, 'the cap was reached');
    t.is(compute.counts().inserted, jobs, 'one VM per job, none twice');
    t.true(created.every((job) => github.job(job.id)?.conclusion === 'success'), 'every job ran to success');
    t.log(`${firestore.counts().commits} commits, ${firestore.counts().contended} transactions aborted by contention`);
  } catch (error) {
    for (const instance of instances) t.log(instance.output().slice(-3000));
    throw error;
  } finally {
    await Promise.all(instances.map((instance) => instance.kill9()));
    await proxy.close();
    await firestore.close();
    await world.close();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  }
}

// One run for both promises (CI time: three service processes and a hundred jobs take a minute):
// the cap holds from the first job to the last, across the kill and the restart.
test('three instances sharing the store, 100 jobs at once, maxRunners 5, one killed (-9) mid-burst and started again: never more than 5 VMs, every job runs once, none twice', (t) =>
  runBurst(t));
