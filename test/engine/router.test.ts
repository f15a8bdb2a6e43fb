import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import express from 'express';
import { ManualClock } from '../../workflows/engine/clock.ts';
import { EmbeddedEngine } from '../../workflows/engine/engine.ts';
import { createEngineRouter } from '../../workflows/engine/router.ts';

const source = `
main:
  params: [args]
  steps:
    - create:
        call: events.create_callback_endpoint
        result: callback
    - tell_vm:
        call: http.post
        args:
          url: \${sys.get_env("VM_URL")}
          body:
            url: \${callback.url}
    - wait:
        call: events.await_callback
        args:
          callback: \${callback}
          timeout: 600
        result: received
    - done:
        return: \${received.http_request.body}
`;

interface Harness {
  base: string;
  api: string;
  engine: EmbeddedEngine;
  clock: ManualClock;
  server: Server;
  /** Callback URLs the executions posted to the fake VM, newest last. */
  callbackUrls: string[];
}

async function start(): Promise<Harness> {
  const app = express();
  const callbackUrls: string[] = [];
  app.post('/vm', express.json(), (req, res) => {
    callbackUrls.push((req.body as { url: string }).url);
    res.json({});
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const base = `${origin}/engine`;
  const clock = new ManualClock();
  const engine = new EmbeddedEngine({ callbackBaseUrl: base, projectId: 'proj', location: 'europe-west1', clock });
  app.use('/engine', createEngineRouter(engine));
  engine.deploy('runner', source, 'runner.yaml', { VM_URL: `${origin}/vm` });
  const api = `${base}/v1/projects/proj/locations/europe-west1/workflows/runner/executions`;
  return { base, api, engine, clock, server, callbackUrls };
}

async function call(url: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Lets the execution reach its await (a pending timer), after posting its callback URL to the fake VM. */
async function untilWaiting(h: Harness, count: number): Promise<string> {
  for (let i = 0; i < 200 && (h.callbackUrls.length < count || h.clock.pendingTimers < count); i++) await h.clock.advance(0);
  return h.callbackUrls[count - 1] ?? '';
}

test('an execution created over HTTP takes a callback over HTTP and succeeds', async (t) => {
  const h = await start();
  t.teardown(() => h.server.close());
  const created = await call(h.api, { method: 'POST', body: JSON.stringify({ argument: JSON.stringify({ job: 1 }) }) });
  t.is(created.status, 200);
  t.is(created.body['state'], 'ACTIVE');
  const name = created.body['name'] as string;
  const callbackUrl = await untilWaiting(h, 1);
  t.true(callbackUrl.startsWith(`${h.base}/v1/${name}/callbacks/`));
  const delivered = await call(callbackUrl, { method: 'POST', body: JSON.stringify({ status: 'completed' }) });
  t.is(delivered.status, 200);
  await h.engine.awaitExecution(name);
  const got = await call(`${h.base}/v1/${name}`);
  t.like(got.body, { state: 'SUCCEEDED', result: '{"status":"completed"}', argument: '{"job":1}' });
  const entries = await call(`${h.base}/v1/${name}/stepEntries`);
  t.deepEqual((entries.body['stepEntries'] as Array<{ step: string }>).map((e) => e.step), ['create', 'tell_vm', 'wait', 'done']);
  const listed = await call(`${h.api}?view=BASIC`);
  t.deepEqual((listed.body['executions'] as Array<{ name: string }>).map((e) => e.name), [name]);
});

test('a callback to a finished execution is 404 with a Google-shaped error', async (t) => {
  const h = await start();
  t.teardown(() => h.server.close());
  const created = await call(h.api, { method: 'POST', body: '{}' });
  const name = created.body['name'] as string;
  const url = await untilWaiting(h, 1);
  await h.clock.runUntilIdle();
  t.is((await h.engine.awaitExecution(name)).state, 'FAILED', 'the await timed out');
  const late = await call(url, { method: 'POST', body: '{}' });
  t.is(late.status, 404);
  t.deepEqual(late.body, { error: { code: 404, message: 'no active callback endpoint at this URL', status: 'NOT_FOUND' } });
});

test(':cancel cancels over HTTP, and cancelling again is FAILED_PRECONDITION', async (t) => {
  const h = await start();
  t.teardown(() => h.server.close());
  const name = (await call(h.api, { method: 'POST', body: '{}' })).body['name'] as string;
  await untilWaiting(h, 1);
  const cancelled = await call(`${h.base}/v1/${name}:cancel`, { method: 'POST', body: '{}' });
  t.like(cancelled, { status: 200, body: { state: 'CANCELLED' } });
  const again = await call(`${h.base}/v1/${name}:cancel`, { method: 'POST', body: '{}' });
  t.like(again, { status: 400, body: { error: { status: 'FAILED_PRECONDITION' } } });
});

test('unknown workflows, executions and projects are 404; bad bodies are 400', async (t) => {
  const h = await start();
  t.teardown(() => h.server.close());
  const wrongWorkflow = await call(h.api.replace('/runner/', '/nope/'), { method: 'POST', body: '{}' });
  t.like(wrongWorkflow, { status: 404, body: { error: { code: 404, status: 'NOT_FOUND' } } });
  t.is((await call(`${h.api}/00000000-0000-0000-0000-000000000000`)).status, 404);
  t.is((await call(h.api.replace('/proj/', '/other/'))).status, 404);
  const badJson = await call(h.api, { method: 'POST', body: '{not json' });
  t.like(badJson, { status: 400, body: { error: { status: 'INVALID_ARGUMENT' } } });
  const badArgument = await call(h.api, { method: 'POST', body: JSON.stringify({ argument: { not: 'a string' } }) });
  t.like(badArgument, { status: 400, body: { error: { status: 'INVALID_ARGUMENT' } } });
});
