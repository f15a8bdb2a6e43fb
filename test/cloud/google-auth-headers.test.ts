import test from 'ava';
import { GoogleAuth, OAuth2Client } from 'google-auth-library';
import { createGoogleAuthHeaders } from '../../handlers/cloud/google-auth-headers.ts';
import { createHttpCallbackSender, executionOfCallback } from '../../handlers/dispatch/http-callback-sender.ts';
import type { RunnerEvent } from '../../handlers/dispatch/ports.ts';
import { RunnerError } from '../../handlers/errors.ts';
import type { ExecutionState } from '../../handlers/reaper/ports.ts';
import './cloud-fixtures.ts'; // no Application Default Credentials in tests
import { googleError, startFakeServer, type Reply } from './fake-http.ts';

const accessToken = 'ya29.a0AfB_fake-access-token-for-tests-0123456789';
const event: RunnerEvent = { action: 'in_progress', jobId: 4_100_000_001, runId: 9_000_000_001, runAttempt: 1, installationId: 42, owner: 'octo-org', repo: 'app', runnerName: 'ghr-linux-4100000001-1', conclusion: null };
const callbackPath = '/v1/projects/p/locations/us-central1/workflows/runner/executions/e1/callbacks/cb1';

/** A fake token endpoint and callback endpoint; an OAuth2Client refreshing its token from the first. */
async function harness(callbackReply: Reply = { status: 200, body: { received: true } }, tokenReply?: Reply, state: ExecutionState = 'ACTIVE') {
  const server = await startFakeServer((request) => {
    if (request.path === '/token') return tokenReply ?? { status: 200, body: { access_token: accessToken, expires_in: 3599, token_type: 'Bearer' } };
    return callbackReply;
  });
  const client = new OAuth2Client({ clientId: 'client-id', clientSecret: 'client-secret', endpoints: { oauth2TokenUrl: `${server.url}/token` } });
  client.setCredentials({ refresh_token: 'refresh-token' });
  let getClientCalls = 0;
  const auth = new GoogleAuth({ authClient: client });
  const counted = { getClient: () => ((getClientCalls += 1), auth.getClient()) };
  const asked: string[] = [];
  const executionStates = { state: async (id: string) => (asked.push(id), state) };
  const endpoints = { base: server.url, location: 'us-central1', workflow: 'runner' };
  const sender = createHttpCallbackSender({ endpoints, authHeaders: createGoogleAuthHeaders(counted), executionStates });
  return { server, sender, asked, getClientCalls: () => getClientCalls, callbackUrl: `${server.url}${callbackPath}` };
}

test('a callback post carries an access token from the credentials, fetched once and reused', async (t) => {
  const h = await harness();
  t.teardown(() => h.server.close());
  t.is(await h.sender.send(h.callbackUrl, event), 'delivered');
  t.is(await h.sender.send(h.callbackUrl, event), 'delivered');
  const posts = h.server.requests.filter((request) => request.path === callbackPath);
  t.is(posts.length, 2);
  for (const post of posts) {
    t.is(post.headers['authorization'], `Bearer ${accessToken}`);
    t.is(post.headers['content-type'], 'application/json');
    t.deepEqual(JSON.parse(post.body), event);
  }
  t.is(h.server.requests.filter((request) => request.path === '/token').length, 1, 'the token is cached');
  t.is(h.getClientCalls(), 1, 'the auth client is made once');
});

test('a callback answered 404 means the execution has ended: gone', async (t) => {
  const h = await harness(googleError(404, 'NOT_FOUND', 'callback not found'));
  t.teardown(() => h.server.close());
  t.is(await h.sender.send(h.callbackUrl, event), 'gone');
});

test('a callback answered 429 is rate_limited, to be retried', async (t) => {
  const h = await harness(googleError(429, 'RESOURCE_EXHAUSTED', 'too many callbacks'));
  t.teardown(() => h.server.close());
  const error = await t.throwsAsync(h.sender.send(h.callbackUrl, event), { instanceOf: RunnerError });
  t.is(error?.kind, 'rate_limited');
});

test('a token endpoint that fails is unavailable, and the message holds no credential', async (t) => {
  const h = await harness(undefined, { status: 503, body: { error: 'temporarily_unavailable' } });
  t.teardown(() => h.server.close());
  const error = await t.throwsAsync(h.sender.send(h.callbackUrl, event), { instanceOf: RunnerError });
  t.is(error?.kind, 'unavailable');
  t.false(error?.message.includes('refresh-token') ?? true);
  t.false(error?.message.includes('client-secret') ?? true);
  t.is(h.server.requests.filter((request) => request.path === callbackPath).length, 0);
});

test('no credentials at all is fatal, and the next call looks again', async (t) => {
  let attempts = 0;
  const auth = new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] });
  const headers = createGoogleAuthHeaders({ getClient: () => ((attempts += 1), auth.getClient()) });
  for (let call = 0; call < 2; call += 1) {
    const error = await t.throwsAsync(headers(), { instanceOf: RunnerError });
    t.is(error?.kind, 'fatal');
    t.regex(error?.message ?? '', /no Google credentials/);
  }
  t.is(attempts, 2);
  const byDefault = await t.throwsAsync(createGoogleAuthHeaders()(), { instanceOf: RunnerError });
  t.is(byDefault?.kind, 'fatal');
});

test('a callback URL that is not our runner workflow\'s gets nothing, not even a request', async (t) => {
  const h = await harness();
  t.teardown(() => h.server.close());
  for (const url of [
    `${h.server.url}/v1/projects/p/locations/us-central1/workflows/other/executions/e1/callbacks/cb1`,
    `${h.server.url}/v1/projects/p/locations/europe-west1/workflows/runner/executions/e1/callbacks/cb1`,
    `${h.server.url}/steal-token`,
    'https://attacker.example/v1/projects/p/locations/us-central1/workflows/runner/executions/e1/callbacks/cb1',
  ]) {
    t.is(await h.sender.send(url, event), 'not_ours', url);
  }
  t.is(h.server.requests.length, 0, 'no token fetched, no request sent');
});

test('a callback refused with a 4xx by an execution that has ended is gone, not retried', async (t) => {
  const h = await harness(googleError(400, 'FAILED_PRECONDITION', 'execution is not active'), undefined, 'ENDED');
  t.teardown(() => h.server.close());
  t.is(await h.sender.send(h.callbackUrl, event), 'gone');
  t.deepEqual(h.asked, ['e1']);
});

test('a 4xx from a still active execution is refused (dropped, its own checks end it); an unknown state is retried', async (t) => {
  const active = await harness(googleError(400, 'INVALID_ARGUMENT', 'bad callback'), undefined, 'ACTIVE');
  t.teardown(() => active.server.close());
  t.is(await active.sender.send(active.callbackUrl, event), 'refused');
  const unknown = await harness(googleError(400, 'INVALID_ARGUMENT', 'bad callback'), undefined, 'UNKNOWN');
  t.teardown(() => unknown.server.close());
  const error = await t.throwsAsync(unknown.sender.send(unknown.callbackUrl, event), { instanceOf: RunnerError });
  t.is(error?.kind, 'unavailable');
});

test('a 403 right after a deploy (IAM still propagating) is retried, without asking the state', async (t) => {
  const h = await harness(googleError(403, 'PERMISSION_DENIED', 'workflows.callbacks.send denied'));
  t.teardown(() => h.server.close());
  const error = await t.throwsAsync(h.sender.send(h.callbackUrl, event), { instanceOf: RunnerError });
  t.is(error?.kind, 'unavailable');
  t.deepEqual(h.asked, []);
});

test('the embedded engine\'s callbacks may live in any process of ours, so any origin is taken, but only at a callback path and never with a credential', async (t) => {
  const endpoints = { base: null, location: 'local', workflow: 'runner' };
  t.is(executionOfCallback('http://127.0.0.1:4001/v1/projects/p/locations/local/workflows/runner/executions/abc/callbacks/cb1', endpoints), 'abc');
  t.is(executionOfCallback('http://127.0.0.1:4001/v1/projects/p/locations/local/workflows/reaper/executions/abc/callbacks/cb1', endpoints), null);
  t.is(executionOfCallback('http://127.0.0.1:4001/steal-token', endpoints), null);
  t.is(executionOfCallback('not a url', endpoints), null);
  t.throws(() => createHttpCallbackSender({ endpoints, authHeaders: async () => ({}), executionStates: { state: async () => 'ACTIVE' } }), { message: /must name the one origin/ });
});
