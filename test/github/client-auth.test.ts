import test from 'ava';
import { request } from '@octokit/request';
import { RunnerError } from '../../handlers/errors.ts';
import { createGitHubClient } from '../../handlers/github/create-github-client.ts';
import { createMemoryLogger } from '../../handlers/log/logger.ts';
import { generateAppKeyPair } from '../../simulators/github/app-jwt.ts';
import { manualClock, startWorld } from './helpers.ts';

test('many calls share one installation token: the auth cache mints one per installation', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  for (let i = 0; i < 5; i += 1) {
    await world.github.generateJitConfig(world.orgScope, { name: `gh-${i}`, runnerGroupId: 1, labels: ['linux'] });
    await world.github.findRunnerByName(world.orgScope, `gh-${i}`);
  }
  await Promise.all([world.github.listRunners(world.orgScope, 'gh-'), world.github.listRunners(world.orgScope, 'x')]);
  t.is(world.sim.tokensMinted(), 1);
  await world.github.listRunners(world.repoScope, 'gh-');
  t.is(world.sim.tokensMinted(), 2);
});

test('a token GitHub revoked early is replaced once and the call succeeds', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  await world.github.listRunners(world.orgScope, '');
  world.sim.revokeTokens();
  t.deepEqual(await world.github.listRunners(world.orgScope, ''), []);
  t.is(world.sim.tokensMinted(), 2);
});

test('the simulator refuses a JWT signed with another key, and the client reports it as fatal', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  const wrongKey = generateAppKeyPair().privateKey;
  const github = createGitHubClient({ appId: world.sim.appId, privateKey: wrongKey, apiUrl: world.sim.url, log: createMemoryLogger().log });
  const error = await t.throwsAsync(github.listRunners(world.orgScope, ''), { instanceOf: RunnerError });
  t.is(error.kind, 'fatal');
  t.regex(error.message, /access_tokens answered 401: A JSON web/);
  t.is(world.sim.tokensMinted(), 0);
});

test('the simulator refuses a JWT of another App id', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  const github = createGitHubClient({ appId: 1, privateKey: world.sim.privateKey, apiUrl: world.sim.url, log: createMemoryLogger().log });
  await t.throwsAsync(github.listRunners(world.orgScope, ''), { message: /401/ });
});

test('the simulator refuses an expired JWT with the message GitHub sends', async (t) => {
  const clock = manualClock();
  clock.advance(60 * 60 * 1000); // GitHub's clock is an hour ahead of ours: our 10-minute JWT is expired there.
  const world = await startWorld({ clock });
  t.teardown(world.close);
  const error = await t.throwsAsync(world.github.listRunners(world.orgScope, ''), { instanceOf: RunnerError });
  t.regex(error.message, /'Expiration time' claim \('exp'\) must be a numeric value/);
});

test('API routes refuse an App JWT and unknown tokens with 401 Bad credentials', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  const call = request.defaults({ baseUrl: world.sim.url });
  const error = await t.throwsAsync(call('GET /orgs/{org}/actions/runners', { org: 'acme', headers: { authorization: 'token ghs_unknown' } }));
  t.is((error as unknown as { status: number }).status, 401);
  t.regex(error.message, /Bad credentials/);
});

test('an installation GitHub does not know is fatal, never mistaken for an absent runner or job', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  const gone = { installationId: 1, owner: 'acme' };
  const deleting = await t.throwsAsync(world.github.deleteRunner(gone, 5), { instanceOf: RunnerError });
  t.is(deleting.kind, 'fatal');
  const job = await t.throwsAsync(world.github.getJob({ ...gone, repo: 'api', jobId: 5 }), { instanceOf: RunnerError });
  t.is(job.kind, 'fatal');
});
