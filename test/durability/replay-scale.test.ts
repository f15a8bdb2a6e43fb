import { randomBytes } from 'node:crypto';
import test from 'ava';
import type { HttpTransport } from '../../workflows/engine/http-transport.ts';
import { bootEngine, clockAt, tempDataDir } from './replay-helpers.ts';

// runner.yaml's shape up to await_start: three step calls (the mint answer carries a sealed JIT
// config of about 2.5 KB), a callback endpoint, a wait of 10 minutes; then one more call.
const source = `
main:
  params: [job]
  steps:
    - validate:
        call: http.post
        args: { url: https://steps.test/steps/validate, body: '\${job}' }
        result: plan
    - make_callback:
        call: events.create_callback_endpoint
        result: callback
    - mint:
        call: http.post
        args:
          url: https://steps.test/steps/mint-token
          body:
            jobId: \${job.jobId}
            runnerName: \${plan.body.runnerName}
        result: token
    - create_vm:
        call: http.post
        args:
          url: https://steps.test/steps/create-vm
          body:
            jobId: \${job.jobId}
            sealed: \${token.body.sealedJitConfig}
            callbackUrl: \${callback.url}
    - await_start:
        call: events.await_callback
        args: { callback: '\${callback}', timeout: 600 }
        result: received
    - delete_vm:
        call: http.post
        args: { url: https://steps.test/steps/delete-vm, body: '\${job}' }
    - done:
        return: '\${received.http_request.body}'
`;

const sealed = `v1.${randomBytes(1900).toString('base64url')}`;

interface Calls {
  count: number;
  /** Callback URL by job id, as create-vm received it. */
  callbackUrls: Map<number, string>;
}

function stepsTransport(calls: Calls): HttpTransport {
  return async (request) => {
    calls.count += 1;
    const step = request.url.slice(request.url.lastIndexOf('/') + 1);
    const job = JSON.parse(request.body ?? '{}') as { jobId: number; callbackUrl?: string };
    if (job.callbackUrl) calls.callbackUrls.set(job.jobId, job.callbackUrl);
    const bodies: Record<string, unknown> = {
      validate: { proceed: true, runnerName: `ghr-linux-${job.jobId}-1`, idleTimeoutSeconds: 600, maxRunDurationSeconds: 21_600 },
      'mint-token': { runnerId: job.jobId, runnerName: `ghr-linux-${job.jobId}-1`, sealedJitConfig: sealed },
      'create-vm': { status: 'created', runnerName: `ghr-linux-${job.jobId}-1`, zone: 'us-central1-a', spot: false },
      'delete-vm': { runner: 'deleted', vm: 'deleted' },
    };
    return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': '100', date: new Date(0).toUTCString() }, body: JSON.stringify(bodies[step]) };
  };
}

const count = 1000;

test(`${count} executions waiting on callbacks are replayed after a crash without one call sent again, then called back or timed out`, async (t) => {
  const dir = tempDataDir(t);
  const calls: Calls = { count: 0, callbackUrls: new Map() };
  const before = bootEngine(dir, clockAt(0), source, {}, stepsTransport(calls));
  const names = Array.from({ length: count }, (_, i) => before.engine.createExecution('wf', JSON.stringify({ jobId: i + 1, owner: 'octo-org', repo: 'app' })).name);
  const waiting = () => names.every((name) => before.engine.getExecution(name)?.status?.currentSteps.some((step) => step.step === 'await_start'));
  for (let i = 0; i < 500 && !waiting(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  t.true(waiting());
  t.is(calls.count, 3 * count);
  const bytesPerExecution = before.store.size / count;

  const started = performance.now();
  const after = bootEngine(dir, clockAt(60_000), source, {}, stepsTransport(calls));
  await after.engine.recovered;
  const replayMs = performance.now() - started;
  t.log(`journal: ${(bytesPerExecution / 1024).toFixed(1)} KiB per execution waiting in await_start`);
  t.log(`restart with ${count} waiting executions: ${replayMs.toFixed(0)} ms (open, parse, replay, compact)`);
  t.true(replayMs < 15_000);
  t.is(calls.count, 3 * count, 'no call sent twice');

  // The first half is called back; the other half times out 10 minutes after it began to wait.
  const half = names.slice(0, count / 2);
  for (const [index, name] of half.entries()) {
    const url = calls.callbackUrls.get(index + 1)!;
    t.is(after.engine.deliverCallback(name, url.slice(url.lastIndexOf('/') + 1), { method: 'POST', body: { action: 'in_progress' } }), 200);
  }
  const called = await Promise.all(half.map((name) => after.engine.awaitExecution(name)));
  t.true(called.every((execution) => execution.state === 'SUCCEEDED'));
  t.is(calls.count, 3 * count + count / 2, 'one delete-vm each');
  await after.clock.advance(539_999);
  t.is(after.engine.getExecution(names.at(-1)!)?.state, 'ACTIVE');
  await after.clock.advance(1);
  const timedOut = await Promise.all(names.slice(count / 2).map((name) => after.engine.awaitExecution(name)));
  t.true(timedOut.every((execution) => execution.state === 'FAILED' && execution.error?.payload.includes('TimeoutError') === true));
});
