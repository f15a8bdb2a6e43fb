import test from 'ava';
import { PassThroughClient } from 'google-auth-library';
import { clientOptionsFor } from '../../handlers/compute/client-options.ts';
import { RunnerError } from '../../handlers/errors.ts';

test('an http endpoint: host and port apart, http, REST, no Google credentials', (t) => {
  const options = clientOptionsFor('http://127.0.0.1:41234', 'p');
  t.like(options, { apiEndpoint: '127.0.0.1', port: 41234, protocol: 'http', fallback: true });
  t.true(options.authClient instanceof PassThroughClient);
});

test('an https endpoint keeps Application Default Credentials', (t) => {
  const options = clientOptionsFor('https://compute-psc.p.rep.googleapis.com', 'p');
  t.like(options, { apiEndpoint: 'compute-psc.p.rep.googleapis.com', port: 443, protocol: 'https', fallback: true });
  t.is(options.authClient, undefined);
});

test('no endpoint: Compute Engine itself over REST', (t) => {
  t.deepEqual(clientOptionsFor(null, 'p'), { fallback: true, projectId: 'p' });
});

test('an endpoint with a path or another scheme is refused, naming the variable', (t) => {
  for (const bad of ['http://127.0.0.1:1/compute/v1', 'ftp://host', 'not a url']) {
    const error = t.throws(() => clientOptionsFor(bad, 'p'), { instanceOf: RunnerError });
    t.is(error?.kind, 'invalid');
    t.regex(error?.message ?? '', /COMPUTE_API_ENDPOINT/);
  }
});
