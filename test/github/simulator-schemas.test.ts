import test from 'ava';
import { createAppAuth } from '@octokit/auth-app';
import { request } from '@octokit/request';
import { startReceiver, startWorld, type World } from './helpers.ts';
import { restSchemas, webhookSchemas } from './openapi-schemas.ts';

/** Drives every route the simulator serves, through the real octokit libraries. */
async function exercise(world: World): Promise<void> {
  const { sim, github, orgScope, repoScope } = world;
  const job = await sim.createJob({ owner: 'acme', repo: 'api', labels: ['linux'] });
  sim.addRunner({ owner: 'acme' }, { name: 'gh-stale', groupId: 1, labels: ['linux'] });
  const config = await github.generateJitConfig(orgScope, { name: 'gh-stale', runnerGroupId: 1, labels: ['linux'], workFolder: '_w' });
  await github.generateJitConfig(repoScope, { name: 'gh-repo', runnerGroupId: 1, labels: ['linux'] });
  await sim.runnerConnect(config.encodedJitConfig);
  await github.getJob({ ...orgScope, repo: 'api', jobId: job.id });
  await github.getJob({ ...orgScope, repo: 'api', jobId: 1 });
  await github.deleteRunner(orgScope, config.runnerId).catch(() => undefined); // busy: 422
  await sim.completeJob(job.id);
  await github.findRunnerByName(repoScope, 'gh-repo');
  await github.listRunners(repoScope, 'gh-');
  await github.deleteRunner(repoScope, 999).catch(() => undefined); // 404
  await github.generateJitConfig(orgScope, { name: 'x', runnerGroupId: undefined as unknown as number, labels: ['l'] }).catch(() => undefined);
  await appRoutes(world);
  await manifestConversion(world);
}

/**
 * The manifest flow: GitHub's "create App" page redirects back with a one-time code, which converts
 * once (https://docs.github.com/rest/apps/apps#create-a-github-app-from-a-manifest). Last: the new
 * App replaces the simulated one.
 */
async function manifestConversion(world: World): Promise<void> {
  const manifest = JSON.stringify({
    name: 'acme-runners',
    url: 'https://runners.example.test',
    hook_attributes: { url: 'https://runners.example.test/webhook' },
    redirect_url: 'https://runners.example.test/setup/created',
    default_events: ['workflow_job'],
    default_permissions: { actions: 'read', metadata: 'read', organization_self_hosted_runners: 'write' },
  });
  const created = await fetch(`${world.sim.url}/organizations/acme/settings/apps/new?state=s1`, { method: 'POST', body: new URLSearchParams({ manifest, confirm: 'yes' }), redirect: 'manual' });
  const code = new URL(created.headers.get('location') ?? '').searchParams.get('code') ?? '';
  await request('POST /app-manifests/{code}/conversions', { baseUrl: world.sim.url, code });
  await request('POST /app-manifests/{code}/conversions', { baseUrl: world.sim.url, code }).catch(() => undefined); // used once: 404
}

/** The App-JWT routes: installation lookups and the webhook deliveries API. */
async function appRoutes(world: World): Promise<void> {
  const auth = createAppAuth({ appId: world.sim.appId, privateKey: world.sim.privateKey });
  const jwt = request.defaults({ baseUrl: world.sim.url, headers: { authorization: `bearer ${(await auth({ type: 'app' })).token}` } });
  await jwt('GET /repos/{owner}/{repo}/installation', { owner: 'jane', repo: 'tools' });
  await jwt('GET /orgs/{org}/installation', { org: 'acme' });
  await jwt('GET /app/installations/{installation_id}', { installation_id: world.orgScope.installationId });
  const { data: page } = await jwt('GET /app/hook/deliveries', { per_page: 2 });
  const deliveryId = Number(page[0]!.id);
  await jwt('GET /app/hook/deliveries/{delivery_id}', { delivery_id: deliveryId });
  await jwt('POST /app/hook/deliveries/{delivery_id}/attempts', { delivery_id: deliveryId });
  await world.sim.settled();
  await releaseRoutes(world);
}

/** actions/runner's latest release, with the installation token and without credentials; 404 elsewhere. */
async function releaseRoutes(world: World): Promise<void> {
  await world.github.getLatestRelease(world.orgScope.installationId, 'actions', 'runner');
  world.sim.publishRunnerRelease({ version: '2.340.0', sha256: { x64: 'a'.repeat(64) }, withDigests: false });
  await request('GET /repos/{owner}/{repo}/releases/latest', { baseUrl: world.sim.url, owner: 'actions', repo: 'runner' });
  await world.github.getLatestRelease(world.orgScope.installationId, 'acme', 'api').catch(() => undefined); // 404
}

test('what the simulator receives and answers matches the api.github.com OpenAPI schemas', async (t) => {
  const receiver = await startReceiver();
  const world = await startWorld({ webhookUrl: receiver.url });
  t.teardown(async () => (await world.close(), await receiver.close()));
  await exercise(world);
  const schemas = restSchemas();
  const problems: string[] = [];
  const checked = new Set<string>();
  for (const call of world.sim.requests()) {
    const op = schemas.operation(call.method, call.path);
    if (op === undefined) {
      problems.push(`${call.method} ${call.path}: no such operation in the spec`);
      continue;
    }
    // A body the schema refuses must have been refused by the simulator too, and only then.
    const requestErrors = call.body === null ? null : schemas.request(op, call.body);
    if ((requestErrors !== null) !== (call.status === 422 && op.template.endsWith('generate-jitconfig'))) {
      problems.push(`${call.method} ${op.template} ${call.status}: request ${JSON.stringify(requestErrors)}`);
    }
    const responseErrors = schemas.response(op, call.method, call.status, call.responseBody);
    if (responseErrors === undefined && call.status !== 204) problems.push(`${call.method} ${op.template}: ${call.status} undocumented`);
    if (responseErrors) problems.push(`${call.method} ${op.template} ${call.status}: ${JSON.stringify(responseErrors.slice(0, 3))}`);
    checked.add(`${call.method} ${op.template} ${call.status}`);
  }
  t.deepEqual(problems, []);
  const expected = [
    'POST /orgs/{org}/actions/runners/generate-jitconfig 409',
    'POST /orgs/{org}/actions/runners/generate-jitconfig 201',
    'POST /orgs/{org}/actions/runners/generate-jitconfig 422',
    'POST /repos/{owner}/{repo}/actions/runners/generate-jitconfig 201',
    'GET /orgs/{org}/actions/runners 200',
    'GET /repos/{owner}/{repo}/actions/runners 200',
    'DELETE /orgs/{org}/actions/runners/{runner_id} 204',
    'DELETE /orgs/{org}/actions/runners/{runner_id} 422',
    'GET /repos/{owner}/{repo}/actions/jobs/{job_id} 200',
    'POST /app/installations/{installation_id}/access_tokens 201',
    'GET /repos/{owner}/{repo}/installation 200',
    'GET /orgs/{org}/installation 200',
    'GET /app/installations/{installation_id} 200',
    'GET /app/hook/deliveries 200',
    'GET /app/hook/deliveries/{delivery_id} 200',
    'POST /app/hook/deliveries/{delivery_id}/attempts 202',
    'POST /app-manifests/{code}/conversions 201',
    'POST /app-manifests/{code}/conversions 404',
    'GET /repos/{owner}/{repo}/releases/latest 200',
    'GET /repos/{owner}/{repo}/releases/latest 404',
  ];
  for (const operation of expected) t.true(checked.has(operation), operation);
});

test('the workflow_job payloads the simulator sends match the openapi-webhooks schemas', async (t) => {
  const receiver = await startReceiver();
  const world = await startWorld({ webhookUrl: receiver.url });
  t.teardown(async () => (await world.close(), await receiver.close()));
  const job = await world.sim.createJob({ owner: 'acme', repo: 'api', labels: ['linux'] });
  const cancelled = await world.sim.createJob({ owner: 'jane', repo: 'tools', labels: ['linux'], ownerType: 'User', private: false });
  await world.sim.cancelJob(cancelled.id);
  const config = await world.github.generateJitConfig(world.orgScope, { name: 'gh-1', runnerGroupId: 1, labels: ['linux'] });
  await world.sim.runnerConnect(config.encodedJitConfig);
  await world.sim.completeJob(job.id, 'failure');
  const validate = webhookSchemas();
  const payloads = receiver.payloads();
  t.deepEqual(payloads.map((p) => p['action']), ['queued', 'queued', 'completed', 'in_progress', 'completed']);
  for (const payload of payloads) t.is(validate(payload), null, String(payload['action']));
});
