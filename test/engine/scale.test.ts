import v8 from 'node:v8';
import vm from 'node:vm';
import test from 'ava';
import { ManualClock } from '../../workflows/engine/clock.ts';
import type { HttpTransport } from '../../workflows/engine/http-transport.ts';
import { newEngine } from './helpers.ts';

// The design target: 10,000 jobs waiting for their runner at once fit in under 200 MB.
const executions = 10_000;
const budgetBytes = 200 * 1024 * 1024;

// Measured after a full collection, so only what the waiting executions retain is counted.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

const source = `
main:
  params: [job]
  steps:
    - init:
        assign:
          - runner_name: \${"runner-" + string(job.id)}
          - labels: [self-hosted, linux, x64]
    - create_callback:
        call: events.create_callback_endpoint
        result: callback
    - create_vm:
        call: http.post
        args:
          url: http://steps.test/create-vm
          body:
            name: \${runner_name}
            callback_url: \${callback.url}
            execution: \${sys.get_env("GOOGLE_CLOUD_WORKFLOW_EXECUTION_ID")}
        result: vm
    - await_start:
        try:
          call: events.await_callback
          args:
            callback: \${callback}
            timeout: 600
          result: started
        except:
          as: e
          steps:
            - idle:
                return: idle
    - done:
        return: \${started.http_request.body}
`;

test(`${executions} executions waiting on callbacks fit in 200 MB and all finish when called back`, async (t) => {
  const callbackIds = new Map<string, string>();
  const steps: HttpTransport = async (request) => {
    const body = JSON.parse(request.body ?? '{}') as { callback_url: string; execution: string };
    callbackIds.set(body.execution, body.callback_url.split('/').at(-1) ?? '');
    return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"created":true}' };
  };
  const clock = new ManualClock();
  const engine = newEngine(clock, steps);
  engine.deploy('runner', source, 'runner.yaml');
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const names: string[] = [];
  for (let id = 0; id < executions; id++) names.push(engine.createExecution('runner', JSON.stringify({ id })).name);
  for (let i = 0; i < 50 && clock.pendingTimers < executions; i++) await clock.advance(0);
  t.is(clock.pendingTimers, executions, 'every execution waits on its callback');
  collectGarbage();
  const used = process.memoryUsage().heapUsed - before;
  t.log(`${(used / executions / 1024).toFixed(1)} KiB per waiting execution`);
  t.true(used < budgetBytes, `${Math.round(used / 1024 / 1024)} MB used`);

  names.forEach((name, i) => engine.deliverCallback(name, callbackIds.get(name.split('/').at(-1) ?? '') ?? '', { method: 'POST', body: { n: i } }));
  await clock.advance(0);
  const last = await engine.awaitExecution(names.at(-1) ?? '');
  t.like(last, { state: 'SUCCEEDED', result: `{"n":${executions - 1}}` });
  t.is(engine.listExecutions('runner').filter((e) => e.state !== 'SUCCEEDED').length, 0);
});
