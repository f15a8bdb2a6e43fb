import { CloudTasksClient } from '@google-cloud/tasks';
import { ExecutionsClient } from '@google-cloud/workflows';
import test from 'ava';
import { PassThroughClient } from 'google-auth-library';
import { clientOptionsForEndpoint } from '../../handlers/cloud/client-options.ts';
import { RunnerError } from '../../handlers/errors.ts';
import './cloud-fixtures.ts'; // no Application Default Credentials in tests
import { startFakeServer } from './fake-http.ts';

test('an http endpoint: host and port apart, http, REST, no Google credentials', (t) => {
  const options = clientOptionsForEndpoint('http://127.0.0.1:41234');
  t.like(options, { apiEndpoint: '127.0.0.1', port: 41234, protocol: 'http', fallback: true });
  t.true(options.authClient instanceof PassThroughClient);
});

test('an https endpoint keeps Application Default Credentials', (t) => {
  const options = clientOptionsForEndpoint('https://cloudtasks-psc.p.rep.googleapis.com');
  t.deepEqual(options, { apiEndpoint: 'cloudtasks-psc.p.rep.googleapis.com', port: 443, protocol: 'https', fallback: true });
});

test('no endpoint: Google itself over REST with Application Default Credentials', (t) => {
  t.deepEqual(clientOptionsForEndpoint(null), { fallback: true });
  t.deepEqual(clientOptionsForEndpoint(undefined), { fallback: true });
});

test('an endpoint with a path or another scheme is refused, naming the setting', (t) => {
  for (const bad of ['http://127.0.0.1:1/v2', 'ftp://host', 'not a url']) {
    const error = t.throws(() => clientOptionsForEndpoint(bad, 'CLOUD_TASKS_API_ENDPOINT'), { instanceOf: RunnerError });
    t.is(error?.kind, 'invalid');
    t.regex(error?.message ?? '', /CLOUD_TASKS_API_ENDPOINT/);
  }
});

// @google-cloud/workflows 5 runs on google-gax 5, which nests google-auth-library 10; the
// PassThroughClient given is the top-level 11. This is the check that the two work together.
test('both clients reach an http endpoint with the PassThroughClient, sending no Authorization', async (t) => {
  const server = await startFakeServer((request) => ({ status: 200, body: request.path.startsWith('/v2/') ? { name: 'projects/p/locations/l/queues/q/tasks/t' } : { name: 'projects/p/locations/l/workflows/w/executions/e', state: 'ACTIVE' } }));
  t.teardown(() => server.close());
  const tasks = new CloudTasksClient(clientOptionsForEndpoint(server.url));
  const executions = new ExecutionsClient(clientOptionsForEndpoint(server.url) as unknown as ConstructorParameters<typeof ExecutionsClient>[0]);
  t.teardown(() => Promise.all([tasks.close(), executions.close()]));
  await tasks.createTask({ parent: 'projects/p/locations/l/queues/q', task: {} });
  await executions.createExecution({ parent: 'projects/p/locations/l/workflows/w', execution: { argument: '{}' } });
  t.deepEqual(server.requests.map((request) => request.path), ['/v2/projects/p/locations/l/queues/q/tasks', '/v1/projects/p/locations/l/workflows/w/executions']);
  t.deepEqual(server.requests.map((request) => request.headers['authorization']), [undefined, undefined]);
  t.regex(String(server.requests[1]?.headers['x-goog-api-client']), /gax\/5\./);
});
