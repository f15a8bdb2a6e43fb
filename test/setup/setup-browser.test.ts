import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { loadConfig } from '../../handlers/config/load-config.ts';
import { createMemoryLogger } from '../../handlers/log/logger.ts';
import { startSystem } from '../../handlers/system/start-system.ts';
import { startComputeSimulator } from '../../simulators/compute/start-compute-simulator.ts';
import { startGitHubSimulator } from '../../simulators/github/start-github-simulator.ts';
import { hasChromium, launchBrowser } from '../helpers/browser.ts';
import { eventually, testTemplates } from '../helpers/system.ts';

const SETUP_TOKEN = 'setup-token-for-the-browser-test-0123456789';

/** Single-machine mode against a "real" GitHub (the simulator at GITHUB_API_URL) with no App yet. */
async function startWorld() {
  const dataDir = await mkdtemp(join(tmpdir(), 'setup-browser-'));
  const github = await startGitHubSimulator({ webUser: 'jane' });
  const compute = await startComputeSimulator();
  const logger = createMemoryLogger('debug');
  const env = { PORT: '0', RUNNER_TEMPLATES_YAML: testTemplates('30s'), GITHUB_API_URL: github.url, COMPUTE_API_ENDPOINT: compute.url, DATA_DIR: dataDir, SETUP_TOKEN };
  const config = loadConfig(env, () => {
    throw new Error('no files in tests');
  });
  const system = await startSystem(config, { log: logger.log });
  const close = async () => {
    await system.close();
    await Promise.all([github.close(), compute.close()]);
    await rm(dataDir, { recursive: true, force: true });
  };
  return { github, compute, system, logger, dataDir, close };
}

(hasChromium() ? test : test.skip)('a person creates and installs the App from /setup, and the next queued job gets a VM with its credentials', async (t) => {
  t.timeout(30_000);
  const started = Date.now();
  const world = await startWorld();
  const browser = await launchBrowser();
  t.teardown(async () => (await browser.close(), await world.close()));
  const oldAppId = world.github.appId;
  const page = await browser.newPage();

  await page.goto(`${world.system.url}/setup`);
  await page.fill('input[name=token]', 'not-the-token-at-all');
  await page.click('button[type=submit]');
  t.regex(await page.textContent('[role=alert]') ?? '', /not the setup token/);

  await page.fill('input[name=token]', SETUP_TOKEN);
  await page.check('input[value=organization]');
  await page.fill('input[name=organization]', 'acme');
  await page.fill('input[name=name]', 'acme-runners');
  await page.click('button[type=submit]');
  // The auto-submitted form lands on GitHub's "create App" page for the organization.
  await page.waitForURL(/\/organizations\/acme\/settings\/apps\/new\?state=/);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/apps\/acme-runners\/installations\/new$/);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/setup\/installed\?installation_id=\d+&setup_action=install/);
  t.regex(await page.textContent('#done') ?? '', /is created and its credentials are stored/);
  t.is(await page.textContent('#accounts'), 'acme');

  // The App is new, its credentials are stored owner-only, and /setup is closed without the token.
  t.not(world.github.appId, oldAppId);
  const file = join(world.dataDir, 'github-app.json');
  t.is((await stat(file)).mode & 0o777, 0o600);
  t.is(JSON.parse(await readFile(file, 'utf8')).appId, String(world.github.appId));
  await page.goto(`${world.system.url}/setup`);
  t.regex(await page.textContent('#configured') ?? '', new RegExp(`GitHub App ${world.github.appId}\\b`));

  // GitHub now delivers to the service, signed with the new App's secret; the service mints with its key.
  const job = await world.github.createJob({ owner: 'acme', repo: 'api', labels: ['self-hosted', 'linux', 'x64'] });
  const vm = await eventually(() => world.compute.instances().find((instance) => String(instance['name']).includes(String(job.id))), 15_000, 'a VM for the job');
  t.truthy(vm);
  const minted = world.github.requests().filter((r) => r.path.endsWith('/generate-jitconfig') && r.status === 201);
  t.is(minted.length, 1);
  t.is(world.github.deliveries().find((d) => d.event === 'workflow_job')?.statusCode, 202);
  const logs = world.logger.text();
  for (const secret of [SETUP_TOKEN, world.github.webhookSecret, world.github.privateKey.split('\n')[1]!]) t.false(logs.includes(secret));
  t.log(`whole flow in ${Date.now() - started} ms`);
});
