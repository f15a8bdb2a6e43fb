import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { ExecutionsClient } from '@google-cloud/workflows';
import test from 'ava';
import express from 'express';
import { PassThroughClient } from 'google-auth-library';
import { ManualClock } from '../../workflows/engine/clock.ts';
import { EmbeddedEngine } from '../../workflows/engine/engine.ts';
import { createEngineRouter } from '../../workflows/engine/router.ts';

test('the real @google-cloud/workflows client creates, reads, lists and cancels executions', async (t) => {
  const app = express();
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => server.close());
  const port = (server.address() as AddressInfo).port;
  const engine = new EmbeddedEngine({ callbackBaseUrl: `http://127.0.0.1:${port}`, projectId: 'proj', location: 'loc', clock: new ManualClock() });
  app.use(createEngineRouter(engine));
  engine.deploy('add', 'main:\n  params: [a]\n  steps:\n    - r:\n        return: ${a.x + 1}\n', 'add.yaml');
  engine.deploy('wait', '- s:\n    call: sys.sleep\n    args:\n      seconds: 60\n', 'wait.yaml');

  // The client's options type comes from its own copy of google-auth-library, which differs
  // from the top-level one only by identity: the cast bridges the two copies.
  const client = new ExecutionsClient({ apiEndpoint: '127.0.0.1', port, protocol: 'http', fallback: true, authClient: new PassThroughClient() } as never);

  const [created] = await client.createExecution({ parent: client.workflowPath('proj', 'loc', 'add'), execution: { argument: '{"x": 41}' } });
  t.is(created.state, 'ACTIVE');
  await engine.awaitExecution(created.name ?? '');
  const [got] = await client.getExecution({ name: created.name ?? '' });
  t.is(got.state, 'SUCCEEDED');
  t.is(got.result, '42');
  const [listed] = await client.listExecutions({ parent: client.workflowPath('proj', 'loc', 'add') });
  t.deepEqual(listed.map((e) => e.name), [created.name]);

  const [waiting] = await client.createExecution({ parent: client.workflowPath('proj', 'loc', 'wait'), execution: {} });
  const [cancelled] = await client.cancelExecution({ name: waiting.name ?? '' });
  t.is(cancelled.state, 'CANCELLED');
});
