import test, { type ExecutionContext } from 'ava';
import type { EmbeddedEngine } from '../../workflows/engine/engine.ts';
import { eventually } from '../helpers/system.ts';
import { bootEngine, clockAt, startMs, startRecordingServer, tempDataDir } from './replay-helpers.ts';

/** Resolves once the execution's current step is `step`: it has done everything before it. */
const reach = (engine: EmbeddedEngine, name: string, step: string) =>
  eventually(() => engine.getExecution(name)?.status?.currentSteps.some((current) => current.step === step), 5000, step);

// Calls out, hands out a callback URL, then waits 10 s for the callback.
const awaitSource = `
main:
  params: [args]
  steps:
    - first:
        call: http.post
        args: { url: '\${args.server + "/first"}', body: { n: 1 } }
        result: first
    - make_callback:
        call: events.create_callback_endpoint
        args: { http_callback_method: POST }
        result: callback
    - announce:
        call: http.post
        args: { url: '\${args.server + "/announce"}', body: { url: '\${callback.url}' } }
    - wait:
        try:
          call: events.await_callback
          args: { callback: '\${callback}', timeout: 10 }
          result: received
        except:
          as: e
          steps:
            - timed_out:
                return: { outcome: timeout, at: '\${sys.now()}', first: '\${first.body.ok}' }
    - done:
        return: { outcome: called, body: '\${received.http_request.body}', first: '\${first.body.ok}' }
`;

async function crashWhileWaiting(t: ExecutionContext) {
  const server = await startRecordingServer();
  t.teardown(() => server.close());
  const dir = tempDataDir(t);
  const before = bootEngine(dir, clockAt(0), awaitSource);
  const started = before.engine.createExecution('wf', JSON.stringify({ server: server.url }));
  await reach(before.engine, started.name, 'wait');
  await before.clock.advance(4000);
  t.deepEqual(server.paths(), ['/first', '/announce']);
  const announced = JSON.parse(server.received[1]!.body) as { url: string };
  // The crash: the first engine is dropped as it is; the next one starts 4 s later on the same file.
  const after = bootEngine(dir, clockAt(4000), awaitSource);
  await after.engine.recovered;
  return { server, started, announced, after };
}

test('an execution waiting 10 s for a callback, crashed at 4 s, times out at 10 s, not 14 s', async (t) => {
  const { server, started, after } = await crashWhileWaiting(t);
  t.is(after.engine.getExecution(started.name)?.state, 'ACTIVE');
  await after.clock.advance(5999);
  t.is(after.engine.getExecution(started.name)?.state, 'ACTIVE');
  await after.clock.advance(1);
  const execution = await after.engine.awaitExecution(started.name);
  t.is(execution.state, 'SUCCEEDED');
  t.deepEqual(JSON.parse(execution.result!), { outcome: 'timeout', at: (startMs + 10_000) / 1000, first: 1 });
  t.deepEqual(server.paths(), ['/first', '/announce'], 'the calls made before the crash are not sent again');
});

test('a callback sent to the URL handed out before the crash reaches the restarted execution', async (t) => {
  const { server, started, announced, after } = await crashWhileWaiting(t);
  const callbackId = announced.url.slice(announced.url.lastIndexOf('/') + 1);
  t.true(announced.url.includes(started.name));
  t.is(after.engine.deliverCallback(started.name, callbackId, { method: 'POST', body: { action: 'in_progress' } }), 200);
  const execution = await after.engine.awaitExecution(started.name);
  t.deepEqual(JSON.parse(execution.result!), { outcome: 'called', body: { action: 'in_progress' }, first: 1 });
  t.deepEqual(server.paths(), ['/first', '/announce']);
  t.is(after.engine.listExecutions('wf').length, 1);
});

// Hands out the URL, sleeps 30 s, then awaits: a callback sent during the sleep is buffered.
const sleepSource = `
main:
  params: [args]
  steps:
    - make_callback:
        call: events.create_callback_endpoint
        result: callback
    - announce:
        call: http.post
        args: { url: '\${args.server + "/announce"}', body: { url: '\${callback.url}' } }
    - nap:
        call: sys.sleep
        args: { seconds: 30 }
    - wait:
        call: events.await_callback
        args: { callback: '\${callback}', timeout: 5 }
        result: received
    - done:
        return: { body: '\${received.http_request.body}', url: '\${callback.url}' }
`;

test('a callback buffered before the crash is not lost, and a sleep resumes for the time it had left', async (t) => {
  const server = await startRecordingServer();
  t.teardown(() => server.close());
  const dir = tempDataDir(t);
  const before = bootEngine(dir, clockAt(0), sleepSource);
  const started = before.engine.createExecution('wf', JSON.stringify({ server: server.url }));
  await reach(before.engine, started.name, 'nap');
  const { url } = JSON.parse(server.received[0]!.body) as { url: string };
  const callbackId = url.slice(url.lastIndexOf('/') + 1);
  t.is(before.engine.deliverCallback(started.name, callbackId, { method: 'POST', body: 'early' }), 200);
  await before.clock.advance(20_000);
  const after = bootEngine(dir, clockAt(20_000), sleepSource);
  await after.engine.recovered;
  await after.clock.advance(9_999);
  t.is(after.engine.getExecution(started.name)?.state, 'ACTIVE', 'still asleep: 10 s were left');
  await after.clock.advance(1);
  const execution = await after.engine.awaitExecution(started.name);
  t.is(execution.state, 'SUCCEEDED', JSON.stringify(execution.error));
  t.is(JSON.parse(execution.result!).body, 'early');
  t.is(JSON.parse(execution.result!).url, url, 'the same callback URL');
  t.deepEqual(server.paths(), ['/announce']);
});

test('an HTTP call in flight at the crash is sent again with the same request, once', async (t) => {
  const server = await startRecordingServer(['/first']);
  t.teardown(() => server.close());
  const dir = tempDataDir(t);
  const before = bootEngine(dir, clockAt(0), awaitSource);
  const started = before.engine.createExecution('wf', JSON.stringify({ server: server.url }));
  await eventually(() => server.received.length === 1, 5000, 'the first call');
  const after = bootEngine(dir, clockAt(1000), awaitSource);
  await after.engine.recovered;
  await reach(after.engine, started.name, 'wait');
  t.deepEqual(server.paths(), ['/first', '/first', '/announce']);
  t.is(server.received[0]!.body, server.received[1]!.body);
  await after.clock.advance(10_000);
  t.is((await after.engine.awaitExecution(started.name)).state, 'SUCCEEDED');
});

test('a finished execution keeps its state, result and steps across a restart, and is not run again', async (t) => {
  const server = await startRecordingServer();
  t.teardown(() => server.close());
  const dir = tempDataDir(t);
  const before = bootEngine(dir, clockAt(0), awaitSource);
  const started = before.engine.createExecution('wf', JSON.stringify({ server: server.url }));
  await reach(before.engine, started.name, 'wait');
  await before.clock.advance(10_000);
  const ended = await before.engine.awaitExecution(started.name);
  const steps = before.engine.listStepEntries(started.name);
  before.store.close();
  const after = bootEngine(dir, clockAt(60_000), awaitSource);
  await after.engine.recovered;
  t.deepEqual(after.engine.getExecution(started.name), ended);
  t.deepEqual(after.engine.listStepEntries(started.name), steps);
  t.is(server.received.length, 2);
  t.is(after.engine.getExecution(started.name)?.workflowRevisionId, ended.workflowRevisionId, 'the same source redeployed keeps its revision');
});

test('a request id given again, also after a restart, returns the execution it first started', async (t) => {
  const dir = tempDataDir(t);
  const server = await startRecordingServer();
  t.teardown(() => server.close());
  const argument = JSON.stringify({ server: server.url });
  const before = bootEngine(dir, clockAt(0), sleepSource);
  const first = before.engine.createExecution('wf', argument, { requestId: 'job-1-1-queued' });
  t.is(before.engine.createExecution('wf', argument, { requestId: 'job-1-1-queued' }).name, first.name);
  const after = bootEngine(dir, clockAt(1000), sleepSource);
  t.is(after.engine.createExecution('wf', argument, { requestId: 'job-1-1-queued' }).name, first.name);
  t.is(after.engine.listExecutions('wf').length, 1);
  const later = bootEngine(dir, clockAt(3_600_000), sleepSource);
  t.not(later.engine.createExecution('wf', argument, { requestId: 'job-1-1-queued' }).name, first.name, 'forgotten after an hour');
});
