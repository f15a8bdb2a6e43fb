import test from 'ava';
import { request } from '@octokit/request';
import { RunnerError } from '../../handlers/errors.ts';
import { createGitHubClient } from '../../handlers/github/create-github-client.ts';
import { createMemoryLogger } from '../../handlers/log/logger.ts';
import type { FaultSpec } from '../../simulators/github/types.ts';
import { appKey, manualClock, startWorld } from './helpers.ts';

const LIST = '/orgs/{org}/actions/runners';

async function failingList(fault: Omit<FaultSpec, 'path'>, clientClock = manualClock()) {
  const world = await startWorld({ clientClock });
  world.sim.fail({ method: 'GET', path: LIST, ...fault });
  try {
    await world.github.listRunners(world.orgScope, '');
    throw new Error('expected a failure');
  } catch (error) {
    if (!(error instanceof RunnerError)) throw error;
    return error;
  } finally {
    await world.close();
  }
}

test('429 with Retry-After is rate_limited with retryAfterSeconds from the header', async (t) => {
  const error = await failingList({ status: 429, headers: { 'retry-after': '37' } });
  t.is(error.kind, 'rate_limited');
  t.is(error.retryAfterSeconds, 37);
});

test('403 secondary rate limit without Retry-After is rate_limited for the minute GitHub asks', async (t) => {
  const error = await failingList({ status: 403 });
  t.is(error.kind, 'rate_limited');
  t.is(error.retryAfterSeconds, 60);
});

test('403 with no primary quota left waits until x-ratelimit-reset', async (t) => {
  const clock = manualClock(1_750_000_000_000);
  const reset = String(1_750_000_000 + 125);
  const headers = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset };
  const error = await failingList({ status: 403, headers, body: { message: 'API rate limit exceeded for installation.' } }, clock);
  t.is(error.kind, 'rate_limited');
  t.is(error.retryAfterSeconds, 125);
});

test('403 for a missing permission is fatal, not a rate limit', async (t) => {
  const error = await failingList({ status: 403, body: { message: 'Resource not accessible by integration' } });
  t.is(error.kind, 'fatal');
});

test('5xx answers are unavailable', async (t) => {
  for (const status of [500, 502, 503]) t.is((await failingList({ status })).kind, 'unavailable');
});

test('a dropped connection is unavailable', async (t) => {
  const error = await failingList({ drop: true });
  t.is(error.kind, 'unavailable');
  t.regex(error.message, /failed to connect/);
});

test('a 500 while minting the installation token is unavailable', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  world.sim.fail({ method: 'POST', path: '/app/installations/:id/access_tokens', status: 500 });
  const error = await t.throwsAsync(world.github.listRunners(world.orgScope, ''), { instanceOf: RunnerError });
  t.is(error.kind, 'unavailable');
});

test('errors and logs never carry the installation token, the JIT config or the private key', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  const tokens: string[] = [];
  const spy = request.defaults({
    request: {
      fetch: (url: string, init: RequestInit) => {
        const auth = new Headers(init.headers).get('authorization');
        if (auth?.startsWith('token ')) tokens.push(auth.slice(6));
        return fetch(url, init);
      },
    },
  });
  const logs = createMemoryLogger();
  const github = createGitHubClient({ appId: world.sim.appId, privateKey: appKey(), apiUrl: world.sim.url, log: logs.log, request: spy });
  const config = await github.generateJitConfig(world.orgScope, { name: 'gh-1', runnerGroupId: 1, labels: ['linux'] });
  // A server that echoes the credential back: the message is scrubbed when the error is built.
  const echo = { message: `token ${tokens[0]} is not valid; ${tokens[0]}` };
  const faults: FaultSpec[] = [
    { path: LIST, status: 401, times: 2, body: echo },
    { path: LIST, status: 500, body: echo },
    { path: LIST, status: 422, body: echo },
    { path: LIST, drop: true },
  ];
  const errors: unknown[] = [];
  for (const fault of faults) {
    world.sim.fail(fault);
    errors.push(await t.throwsAsync(github.listRunners(world.orgScope, '')));
  }
  t.true(tokens.length > 0);
  const texts = errors.map((e) => `${String(e)} ${JSON.stringify(e)} ${(e as Error).stack ?? ''}`).join('\n') + logs.text();
  for (const secret of [...tokens, config.encodedJitConfig, appKey(), 'PRIVATE KEY']) t.false(texts.includes(secret), secret.slice(0, 12));
  t.true(errors.every((e) => (e as Error).cause === undefined));
});

test('a GitHub that does not answer in time is unavailable', async (t) => {
  const world = await startWorld();
  t.teardown(world.close);
  const github = createGitHubClient({ appId: world.sim.appId, privateKey: appKey(), apiUrl: world.sim.url, log: createMemoryLogger().log, timeoutMs: 200 });
  world.sim.fail({ path: LIST, delayMs: 1_000 });
  const error = await t.throwsAsync(github.listRunners(world.orgScope, ''), { instanceOf: RunnerError });
  t.is(error.kind, 'unavailable');
});
