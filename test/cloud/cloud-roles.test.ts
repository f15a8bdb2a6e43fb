import { generateKeyPairSync } from 'node:crypto';
import test from 'ava';
import { loadConfig } from '../../handlers/config/load-config.ts';
import { createMemoryLogger } from '../../handlers/log/logger.ts';
import { startSystem } from '../../handlers/system/start-system.ts';
import { deliver } from '../helpers/deliver.ts';
import { testTemplates } from '../helpers/system.ts';

const cloud = {
  PORT: '0',
  RUNNER_TEMPLATES_YAML: testTemplates(),
  WORKFLOW_ENGINE: 'cloud',
  WORKFLOW_LOCATION: 'us-central1',
  WORKFLOW_NAME: 'runner',
  GOOGLE_CLOUD_PROJECT: 'my-project-1',
  STEPS_URL: 'https://steps.example.com',
  TASKS_QUEUE: 'projects/my-project-1/locations/us-central1/queues/jobs',
  TASKS_SERVICE_ACCOUNT: 'tasks@my-project-1.iam.gserviceaccount.com',
  // Never called here: nothing reaches Compute Engine while the services only start.
  COMPUTE_API_ENDPOINT: 'http://127.0.0.1:9',
};

async function startRole(env: Record<string, string>) {
  const config = loadConfig({ ...cloud, ...env }, () => {
    throw new Error('no files in tests');
  });
  const system = await startSystem(config, { log: createMemoryLogger('info').log });
  return system;
}

const status = async (url: string, init?: RequestInit) => (await fetch(url, init)).status;

test('the webhook role of Cloud Run starts from its configuration alone: webhook and health, no steps, no dispatch', async (t) => {
  const system = await startRole({ SERVICE_ROLE: 'webhook', GITHUB_WEBHOOK_SECRET: 's3cret' });
  t.teardown(() => system.close());
  t.is(system.embedded, null);
  t.is(await status(`${system.url}/healthz`), 200);
  t.like(await deliver(system.url, 's3cret', { zen: 'Keep it logically awesome.' }, 'ping'), { status: 200, body: { decision: 'ignore', reason: 'pong' } });
  t.is(await status(`${system.url}/steps/validate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }), 404);
  t.is(await status(`${system.url}/dispatch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }), 404);
});

test('the steps role of Cloud Run starts from its configuration alone: steps and dispatch, no webhook', async (t) => {
  const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const system = await startRole({ SERVICE_ROLE: 'steps', GITHUB_APP_ID: '1', GITHUB_APP_PRIVATE_KEY: privateKey, STEP_SEAL_KEY: Buffer.alloc(32, 1).toString('base64') });
  t.teardown(() => system.close());
  t.is(system.embedded, null);
  t.is(await status(`${system.url}/healthz`), 200);
  t.is(await status(`${system.url}/steps/validate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }), 400, 'validate is served, and refuses an empty job');
  t.is(await status(`${system.url}/dispatch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }), 400, 'dispatch is served, and refuses a body that is no task');
  t.is(await status(`${system.url}/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }), 404);
});
