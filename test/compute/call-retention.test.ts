import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { queryObjects } from 'node:v8';
import { InstancesClient } from '@google-cloud/compute';
import test from 'ava';
import { classifyComputeError } from '../../handlers/compute/classify-compute-error.ts';
import { clientOptionsFor } from '../../handlers/compute/client-options.ts';
import { createComputeClient } from '../../handlers/compute/create-compute-client.ts';
import { CallDeadlineExceeded, withDeadline } from '../../handlers/compute/own-deadline.ts';
import { createMemoryLogger } from '../../handlers/log/logger.ts';
import { startComputeSimulator } from '../../simulators/compute/start-compute-simulator.ts';
import { project, requestFor } from './compute-fixtures.ts';

/**
 * google-gax 6.17 kept every REST call reachable until its deadline through an abort listener on an
 * `AbortSignal.timeout` that it never removed (docs/upstream/); our client owns the deadline so that a
 * finished call is garbage at once. With a ten-minute deadline, a leak shows as one live AbortSignal
 * (and the call it holds) per call made; without it, the count does not grow with the calls.
 */
test.serial('a finished Compute call is not kept alive until its deadline: live AbortSignals do not grow with the calls', async (t) => {
  const sim = await startComputeSimulator({ sweepIntervalMs: 0 });
  const compute = createComputeClient({
    project,
    apiEndpoint: sim.url,
    log: createMemoryLogger().log,
    timings: { operationPollDelayMs: 5, callTimeoutMs: 600_000, operationTimeoutMs: 600_000 },
  });
  t.teardown(async () => {
    await compute.close();
    await sim.close();
  });
  await compute.insertInstance(requestFor('runner-1'));
  const rounds = 15;
  for (let round = 0; round < rounds; round += 1) {
    await compute.getInstance('runner-1', 'us-central1-a'); // an answer
    await compute.getInstance('runner-2', 'us-central1-a'); // a 404, an error
    await compute.listInstances({ template: 'linux-small' }); // an aggregated list
  }
  const after = queryObjects(AbortSignal, { format: 'count' }) as number;
  // One query (a full heap walk: seconds on a loaded machine); none was live before the calls. A leak leaves one a call.
  t.true(after < rounds, `${after} AbortSignals live after ${rounds * 3} calls`);
});

test.serial('a call with no answer fails at our deadline, and its request is aborted', async (t) => {
  const aborted: Promise<void>[] = [];
  // A server that answers the first request (404: the client is then loaded and warm) and never the next ones.
  let requests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    if (requests === 1) return void response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":404,"message":"not found"}}');
    aborted.push(new Promise((resolve) => request.once('close', () => resolve())));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const instances = new InstancesClient(clientOptionsFor(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, project));
  t.teardown(async () => {
    await instances.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  await t.throwsAsync(instances.get({ project, zone: 'us-central1-a', instance: 'runner-0' }), { message: /not found/ });
  const started = performance.now();
  const error = await withDeadline(300, 'get runner-1', (options) => instances.get({ project, zone: 'us-central1-a', instance: 'runner-1' }, options)).catch(
    (thrown: unknown) => thrown,
  );
  t.true(error instanceof CallDeadlineExceeded);
  t.is(classifyComputeError(error, 'get runner-1').kind, 'unavailable');
  t.true(performance.now() - started < 20_000, 'well before the library default of 600 s');
  t.is(aborted.length, 1);
  await aborted[0];
});
