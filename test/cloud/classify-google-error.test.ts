import { CloudTasksClient } from '@google-cloud/tasks';
import { ExecutionsClient } from '@google-cloud/workflows';
import test from 'ava';
import { classifyGoogleError, isAlreadyExists, isNotFound } from '../../handlers/cloud/classify-google-error.ts';
import { clientOptionsForEndpoint } from '../../handlers/cloud/client-options.ts';
import type { ErrorKind } from '../../handlers/errors.ts';
import './cloud-fixtures.ts'; // no Application Default Credentials in tests
import { googleError, startFakeServer, type Reply } from './fake-http.ts';

type Caught = { tasks: unknown; workflows: unknown };

/** What each real client library throws for one answer: GoogleError (gax 6) and GaxiosError (gax 5). */
async function errorsFor(reply: Reply): Promise<Caught> {
  const server = await startFakeServer(() => reply);
  const tasks = new CloudTasksClient(clientOptionsForEndpoint(server.url));
  const workflows = new ExecutionsClient(clientOptionsForEndpoint(server.url) as unknown as ConstructorParameters<typeof ExecutionsClient>[0]);
  try {
    return {
      tasks: await tasks.createTask({ parent: 'projects/p/locations/l/queues/q', task: {} }).then(() => undefined, (error: unknown) => error),
      workflows: await workflows.createExecution({ parent: 'projects/p/locations/l/workflows/w', execution: { argument: '{}' } }).then(() => undefined, (error: unknown) => error),
    };
  } finally {
    await Promise.all([tasks.close(), workflows.close(), server.close()]);
  }
}

test('ALREADY_EXISTS is a duplicate from either library; ABORTED, also a 409, is not', async (t) => {
  const exists = await errorsFor(googleError(409, 'ALREADY_EXISTS', 'Requested entity already exists'));
  t.true(isAlreadyExists(exists.tasks));
  t.true(isAlreadyExists(exists.workflows));
  const aborted = await errorsFor(googleError(409, 'ABORTED', 'Concurrent modification'));
  t.false(isAlreadyExists(aborted.tasks));
  t.false(isAlreadyExists(aborted.workflows));
  t.is(classifyGoogleError(aborted.workflows, 'x').kind, 'unavailable');
});

test('the same answer is the same kind from either library, with the server message', async (t) => {
  const cases: [Reply, ErrorKind][] = [
    [googleError(503, 'UNAVAILABLE', 'try later'), 'unavailable'],
    [googleError(504, 'DEADLINE_EXCEEDED', 'too slow'), 'unavailable'],
    [googleError(429, 'RESOURCE_EXHAUSTED', 'quota'), 'rate_limited'],
    [googleError(403, 'PERMISSION_DENIED', 'denied'), 'fatal'],
    [googleError(400, 'INVALID_ARGUMENT', 'bad'), 'fatal'],
    [{ status: 502, body: '<html>Bad Gateway</html>' }, 'unavailable'],
  ];
  for (const [reply, kind] of cases) {
    const caught = await errorsFor(reply);
    for (const error of [caught.tasks, caught.workflows]) {
      const classified = classifyGoogleError(error, 'call');
      t.is(classified.kind, kind, `${reply.status} ${String(error)}`);
      t.regex(classified.message, new RegExp(`^call: HTTP ${reply.status}`));
    }
  }
  const missing = await errorsFor(googleError(404, 'NOT_FOUND', 'gone'));
  t.true(isNotFound(missing.tasks));
  t.true(isNotFound(missing.workflows));
  t.is(classifyGoogleError(missing.workflows, 'call').message, 'call: HTTP 404 NOT_FOUND: gone');
});

test('a Retry-After header is kept where the library exposes it (google-gax 5 only)', async (t) => {
  const caught = await errorsFor({ ...googleError(429, 'RESOURCE_EXHAUSTED', 'slow down'), headers: { 'retry-after': '7' } });
  t.is(classifyGoogleError(caught.workflows, 'call').retryAfterSeconds, 7);
  t.is(classifyGoogleError(caught.tasks, 'call').retryAfterSeconds, undefined);
});

test('an error that is no API answer (no credentials, a closed client) is fatal, not retried forever', (t) => {
  t.is(classifyGoogleError(new Error('Could not load the default credentials.'), 'call').kind, 'fatal');
  t.is(classifyGoogleError('weird', 'call').kind, 'fatal');
});
