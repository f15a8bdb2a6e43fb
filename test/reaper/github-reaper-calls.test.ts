import test from 'ava';
import { RunnerError } from '../../handlers/errors.ts';
import { nextCursor } from '../../handlers/github/deliveries.ts';
import { restSchemas } from '../github/openapi-schemas.ts';
import { startWorld } from '../github/helpers.ts';

test('lists the App\'s installations with their account type, through the App JWT', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  const installations = await world.github.listInstallations();
  t.deepEqual(installations, [
    { installationId: world.orgScope.installationId, owner: 'acme', ownerType: 'Organization' },
    { installationId: world.repoScope.installationId, owner: 'jane', ownerType: 'User' },
  ]);
  t.deepEqual(world.sim.requests().map((r) => [r.path, r.auth]), [['/app/installations', 'jwt']]);
});

test('lists an installation\'s repositories across pages of 100', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  for (let i = 0; i < 130; i += 1) world.sim.addRunner({ owner: 'jane', repo: `repo-${i}` }, { name: `r-${i}`, groupId: 1, labels: ['linux'] });
  await world.sim.createJob({ owner: 'acme', repo: 'api', labels: ['linux'] });
  const names = await world.github.listInstallationRepositories(world.repoScope.installationId);
  t.is(names.length, 130);
  t.is(new Set(names).size, 130);
  t.deepEqual(await world.github.listInstallationRepositories(world.orgScope.installationId), ['api'], 'each installation sees its own account only');
  const pages = world.sim.requests().filter((r) => r.path === '/installation/repositories').map((r) => r.query['page']);
  t.deepEqual(pages, ['1', '2', '1']);
});

// `GET /app/installations` is left out: the spec types its `account` as simple-user AND enterprise
// (allOf), which no account satisfies, GitHub's own answers included.
test('what the simulator answers on GET /installation/repositories matches the api.github.com OpenAPI schema', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  world.sim.addRunner({ owner: 'jane', repo: 'tools' }, { name: 'r', groupId: 1, labels: ['linux'] });
  await world.sim.createJob({ owner: 'jane', repo: 'site.github.io', labels: ['linux'], ownerType: 'User' });
  await world.github.listInstallationRepositories(world.repoScope.installationId);
  const schemas = restSchemas();
  const problems = world.sim.requests().filter((call) => call.path === '/installation/repositories').flatMap((call) => {
    const op = schemas.operation(call.method, call.path);
    if (op === undefined) return [`${call.method} ${call.path}: no such operation`];
    const errors = schemas.response(op, call.method, call.status, call.responseBody);
    return errors ? [`${call.method} ${op.template} ${call.status}: ${JSON.stringify(errors.slice(0, 3))}`] : [];
  });
  t.deepEqual(problems, []);
  t.is(world.sim.requests().filter((call) => call.path === '/installation/repositories').length, 1);
});

test('lists deliveries newest first down to the window, and redelivers one with a 202', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  for (let i = 0; i < 3; i += 1) await world.sim.createJob({ owner: 'acme', repo: 'api', labels: ['linux'] });
  const listing = await world.github.listDeliveries({ sinceMs: Date.now() - 60_000, maxPages: 5 });
  t.true(listing.complete);
  t.deepEqual(listing.deliveries.map((d) => d.id), world.sim.deliveries().map((d) => d.id).reverse());
  t.like(listing.deliveries[0], { event: 'workflow_job', action: 'queued', redelivery: false, statusCode: 0 });
  const none = await world.github.listDeliveries({ sinceMs: Date.now() + 60_000, maxPages: 5 });
  t.deepEqual(none, { deliveries: [], complete: true });
  await world.github.redeliver(listing.deliveries[0]!.id);
  await world.sim.settled();
  t.like(world.sim.deliveries().at(-1), { guid: listing.deliveries[0]!.guid, redelivery: true });
  t.is(world.sim.requests().at(-1)?.status, 202);
});

test('a page limit that ends before the window reports the listing incomplete', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  for (let i = 0; i < 101; i += 1) await world.sim.createJob({ owner: 'acme', repo: 'api', labels: ['linux'] });
  const listing = await world.github.listDeliveries({ sinceMs: 0, maxPages: 1 });
  t.deepEqual([listing.deliveries.length, listing.complete], [100, false]);
});

test('redelivering a delivery GitHub no longer has is not_found', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  const error = await t.throwsAsync(world.github.redeliver(12345), { instanceOf: RunnerError });
  t.is(error.kind, 'not_found');
});

test('the cursor is read from the rel="next" link only', (t) => {
  t.is(nextCursor('<https://api.github.com/app/hook/deliveries?per_page=100&cursor=v1_77>; rel="next"'), 'v1_77');
  t.is(nextCursor('<https://api.github.com/app/hook/deliveries?cursor=v1_1>; rel="prev"'), undefined);
  t.is(nextCursor(undefined), undefined);
});
