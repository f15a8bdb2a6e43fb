import test from 'ava';
import { ManualClock } from '../../workflows/engine/clock.ts';
import type { HttpTransport } from '../../workflows/engine/http-transport.ts';
import { newEngine, runWorkflow } from './helpers.ts';

// The workflow posts its callback URL to "the VM", which is where a real runner learns it.
const awaitingWorkflow = (sleepSeconds: number, timeout: number) => `
- create:
    call: events.create_callback_endpoint
    args: { http_callback_method: POST }
    result: callback
- tell_vm:
    call: http.post
    args:
      url: http://vm.test/callback
      body:
        url: \${callback.url}
- pause:
    call: sys.sleep
    args: { seconds: ${sleepSeconds} }
- wait:
    call: events.await_callback
    args:
      callback: \${callback}
      timeout: ${timeout}
    result: received
- done:
    return: \${received}
`;

function recordingVm(): HttpTransport & { urls: string[] } {
  const vm = async (request: Parameters<HttpTransport>[0]) => {
    vm.urls.push((JSON.parse(request.body ?? '{}') as { url: string }).url);
    return { status: 200, headers: {}, body: '' };
  };
  vm.urls = [] as string[];
  return vm;
}

test('events.await_callback raises TimeoutError when nothing arrives in time', async (t) => {
  const { error, clock } = await runWorkflow(awaitingWorkflow(0, 30), { http: recordingVm() });
  t.like(error, { tags: ['TimeoutError'] });
  t.deepEqual(clock.sleeps, [0, 30_000]);
});

test('the callback URL is the engine base URL plus the v1 callback path', async (t) => {
  const clock = new ManualClock();
  const vm = recordingVm();
  const engine = newEngine(clock, vm);
  engine.deploy('wf', awaitingWorkflow(0, 60), 'wf.yaml');
  const execution = engine.createExecution('wf');
  await clock.advance(0);
  t.regex(vm.urls[0] ?? '', new RegExp(`^http://127\\.0\\.0\\.1:9/engine/v1/${execution.name}/callbacks/[0-9a-f-]{36}$`));
  engine.cancelExecution(execution.name);
});

test('a callback sent before the await is buffered and then received with its request', async (t) => {
  const clock = new ManualClock();
  const vm = recordingVm();
  const engine = newEngine(clock, vm);
  engine.deploy('wf', awaitingWorkflow(10, 60), 'wf.yaml');
  const execution = engine.createExecution('wf');
  await clock.advance(1000);
  const callbackId = (vm.urls[0] ?? '').split('/').at(-1) ?? '';
  const status = engine.deliverCallback(execution.name, callbackId, {
    method: 'POST',
    body: { action: 'in_progress', runner: 'vm-1' },
    headers: { 'content-type': 'application/json' },
    query: { attempt: ['1'] },
  });
  t.is(status, 200);
  await clock.runUntilIdle();
  const done = await engine.awaitExecution(execution.name);
  t.is(done.state, 'SUCCEEDED');
  const received = JSON.parse(done.result ?? 'null') as Record<string, unknown>;
  t.like(received, {
    type: 'HTTP',
    http_request: { method: 'POST', body: { action: 'in_progress', runner: 'vm-1' }, query: { attempt: ['1'] } },
    received_time: '2025-01-01T00:00:01.000Z',
  });
});

test('a callback with another method, to an unknown endpoint or execution, is 404', async (t) => {
  const clock = new ManualClock();
  const vm = recordingVm();
  const engine = newEngine(clock, vm);
  engine.deploy('wf', awaitingWorkflow(0, 60), 'wf.yaml');
  const execution = engine.createExecution('wf');
  await clock.advance(0);
  const callbackId = (vm.urls[0] ?? '').split('/').at(-1) ?? '';
  t.is(engine.deliverCallback(execution.name, callbackId, { method: 'GET' }), 404);
  t.is(engine.deliverCallback(execution.name, 'no-such-callback', { method: 'POST' }), 404);
  t.is(engine.deliverCallback('no-such-execution', callbackId, { method: 'POST' }), 404);
  t.is(engine.deliverCallback(execution.name, callbackId, { method: 'POST', body: 'plain text' }), 200);
  await clock.runUntilIdle();
  const done = await engine.awaitExecution(execution.name);
  t.like(JSON.parse(done.result ?? 'null'), { http_request: { body: 'plain text' } });
  t.is(engine.deliverCallback(execution.name, callbackId, { method: 'POST' }), 404, 'finished executions take no callbacks');
});

test('await_callback needs the map create_callback_endpoint returned', async (t) => {
  const { error } = await runWorkflow(`
- wait:
    call: events.await_callback
    args: { callback: { url: "http://elsewhere/callbacks/x" }, timeout: 1 }
`);
  t.like(error, { tags: ['ValueError'] });
});
