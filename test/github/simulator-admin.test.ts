import test from 'ava';
import { createAppAuth } from '@octokit/auth-app';
import { request } from '@octokit/request';
import { startReceiver, startWorld } from './helpers.ts';

async function admin(url: string, method: string, path: string, body?: unknown) {
  const init: RequestInit = { method, headers: { 'content-type': 'application/json' } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const response = await fetch(`${url}${path}`, init);
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : (JSON.parse(text) as Record<string, unknown>) };
}

test('the /_sim routes drive a job from queued to completed over HTTP', async (t) => {
  const receiver = await startReceiver();
  const world = await startWorld();
  t.teardown(async () => (await world.close(), await receiver.close()));
  t.is((await admin(world.sim.url, 'PUT', '/_sim/webhook', { url: receiver.url })).status, 204);
  const created = await admin(world.sim.url, 'POST', '/_sim/jobs', { owner: 'acme', repo: 'api', labels: ['linux'] });
  t.is(created.status, 201);
  const config = await world.github.generateJitConfig(world.orgScope, { name: 'gh-1', runnerGroupId: 1, labels: ['linux'] });
  const connected = await admin(world.sim.url, 'POST', '/_sim/runners/connect', { encodedJitConfig: config.encodedJitConfig });
  t.like(connected.body, { runner: { name: 'gh-1', status: 'online', busy: true }, job: { id: created.body?.['id'] } });
  const done = await admin(world.sim.url, 'POST', `/_sim/jobs/${String(created.body?.['id'])}/complete`, { conclusion: 'success' });
  t.like(done.body, { status: 'completed', conclusion: 'success' });
  t.deepEqual(receiver.payloads().map((p) => p['action']), ['queued', 'in_progress', 'completed']);
  const state = await admin(world.sim.url, 'GET', '/_sim/state');
  t.like(state.body, { tokensMinted: 1, runners: [] });
});

test('a fault set over HTTP answers the next call, then the route works again', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  const fault = { method: 'GET', path: '/orgs/:org/actions/runners', status: 429, headers: { 'retry-after': '5' } };
  t.is((await admin(world.sim.url, 'POST', '/_sim/faults', fault)).status, 201);
  await t.throwsAsync(world.github.listRunners(world.orgScope, ''), { message: /429/ });
  t.deepEqual(await world.github.listRunners(world.orgScope, ''), []);
  const recorded = (await admin(world.sim.url, 'GET', '/_sim/requests')).body as unknown as { status: number; faulted: boolean }[];
  t.deepEqual(recorded.slice(-2).map((r) => [r.status, r.faulted]), [[429, true], [200, false]]);
});

test('control routes refuse bad input with 400 and a reason', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  const missing = await admin(world.sim.url, 'POST', '/_sim/jobs', { owner: 'acme', labels: ['x'] });
  t.like(missing, { status: 400, body: { message: '"repo" is required' } });
  const unknown = await admin(world.sim.url, 'POST', '/_sim/runners/connect', { encodedJitConfig: 'bm9wZQ==' });
  t.is(unknown.status, 400);
});

test('the deliveries API pages newest first with a cursor, and a redelivery answers 202', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  for (let i = 0; i < 5; i += 1) await world.sim.createJob({ owner: 'acme', repo: 'api', labels: ['linux'] });
  const auth = createAppAuth({ appId: world.sim.appId, privateKey: world.sim.privateKey });
  const { token } = await auth({ type: 'app' });
  const app = request.defaults({ baseUrl: world.sim.url, headers: { authorization: `bearer ${token}` } });
  const ids: number[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await app('GET /app/hook/deliveries', { per_page: 2, ...(cursor === undefined ? {} : { cursor }) });
    ids.push(...page.data.map((d) => Number(d.id)));
    cursor = /cursor=([^&>]+)/.exec(page.headers.link ?? '')?.[1];
    if (cursor === undefined) break;
  }
  t.deepEqual(ids, world.sim.deliveries().map((d) => d.id).reverse());
  const attempt = await app('POST /app/hook/deliveries/{delivery_id}/attempts', { delivery_id: ids[4]! });
  t.is(attempt.status, 202);
  await world.sim.settled();
  t.like(world.sim.deliveries().at(-1), { redelivery: true, guid: world.sim.deliveries()[0]?.guid });
  await t.throwsAsync(request(`GET ${world.sim.url}/app/hook/deliveries`, { headers: { authorization: 'bearer nope' } }), {
    message: /A JSON web token could not be decoded/,
  });
});
