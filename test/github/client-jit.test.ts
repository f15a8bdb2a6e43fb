import test from 'ava';
import { RunnerError } from '../../handlers/errors.ts';
import { createGitHubClient } from '../../handlers/github/create-github-client.ts';
import { createMemoryLogger } from '../../handlers/log/logger.ts';
import { appKey, startWorld } from './helpers.ts';

const request = { name: 'gh-runner-123-1', runnerGroupId: 7, labels: ['self-hosted', 'linux', 'small'] };

test('mints a JIT config at org scope with the name, labels, runner group and work folder', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  const config = await world.github.generateJitConfig(world.orgScope, { ...request, workFolder: '_w' });
  const [call] = world.sim.requests().filter((r) => r.path.endsWith('/generate-jitconfig'));
  t.is(call?.path, '/orgs/acme/actions/runners/generate-jitconfig');
  t.deepEqual(call?.body, { name: request.name, runner_group_id: 7, labels: request.labels, work_folder: '_w' });
  t.true(config.encodedJitConfig.length > 100);
  const runner = world.sim.runners().find((r) => r.id === config.runnerId);
  t.deepEqual(runner?.labels.map((l) => l.name), request.labels);
  t.is(runner?.groupId, 7);
});

test('mints a JIT config at repository scope when the scope names a repository', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  const config = await world.github.generateJitConfig(world.repoScope, request);
  const paths = world.sim.requests().map((r) => `${r.method} ${r.path}`);
  t.true(paths.includes('POST /repos/jane/tools/actions/runners/generate-jitconfig'));
  t.deepEqual(world.sim.runners().find((r) => r.id === config.runnerId)?.scope, { owner: 'jane', repo: 'tools' });
});

test('a runner of the same name is deleted and the config minted again, once', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  const stale = world.sim.addRunner({ owner: 'acme' }, { name: request.name, groupId: 7, labels: ['old'] });
  const config = await world.github.generateJitConfig(world.orgScope, request);
  t.not(config.runnerId, stale.id);
  const calls = world.sim.requests().map((r) => `${r.method} ${r.path} ${r.status}`);
  t.deepEqual(calls.slice(-4), [
    'POST /orgs/acme/actions/runners/generate-jitconfig 409',
    'GET /orgs/acme/actions/runners 200',
    `DELETE /orgs/acme/actions/runners/${stale.id} 204`,
    'POST /orgs/acme/actions/runners/generate-jitconfig 201',
  ]);
  t.is(world.sim.requests().find((r) => r.method === 'GET')?.query['name'], request.name);
  t.true(world.logs.text().includes('already exists'));
});

test('a second 409 is not retried again: the client throws conflict after two mints', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  world.sim.fail({ method: 'POST', path: '/orgs/:org/actions/runners/generate-jitconfig', status: 409, times: 2 });
  const error = await t.throwsAsync(world.github.generateJitConfig(world.orgScope, request), { instanceOf: RunnerError });
  t.is(error.kind, 'conflict');
  t.is(world.sim.requests().filter((r) => r.method === 'POST' && r.path.endsWith('generate-jitconfig')).length, 2);
});

test('a stale runner that is still busy makes the mint fail as busy', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  world.sim.addRunner({ owner: 'acme' }, { name: request.name, groupId: 7, labels: ['x'], online: true, busy: true });
  const error = await t.throwsAsync(world.github.generateJitConfig(world.orgScope, request), { instanceOf: RunnerError });
  t.is(error.kind, 'busy');
});

test('GitHub answers 422 without runner_group_id and the client reports it as invalid', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  // The interface requires a group; an undefined one drops out of the JSON body, as a bad template would.
  const noGroup = { ...request, runnerGroupId: undefined as unknown as number };
  const error = await t.throwsAsync(world.github.generateJitConfig(world.orgScope, noGroup), { instanceOf: RunnerError });
  t.is(error.kind, 'invalid');
  t.regex(error.message, /runner_group_id/);
  t.is(world.sim.requests().at(-1)?.status, 422);
});

test('org routes of a user account answer 404, reported as not_found', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  const userAsOrg = { installationId: world.repoScope.installationId, owner: 'jane' };
  const error = await t.throwsAsync(world.github.generateJitConfig(userAsOrg, request), { instanceOf: RunnerError });
  t.is(error.kind, 'not_found');
});

test('works against a GitHub Enterprise Server style base URL ending in /api/v3', async (t) => {
  const world = await startWorld({ basePath: '/api/v3' });
  t.teardown(world.close);
  t.true(world.sim.url.endsWith('/api/v3'));
  const github = createGitHubClient({ appId: world.sim.appId, privateKey: appKey(), apiUrl: `${world.sim.url}/`, log: createMemoryLogger().log });
  const config = await github.generateJitConfig(world.orgScope, request);
  t.true(config.runnerId > 0);
});
