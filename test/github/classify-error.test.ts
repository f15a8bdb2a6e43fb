import test from 'ava';
import { RunnerError } from '../../handlers/errors.ts';
import { classifyGitHubError, rateLimitWaitSeconds } from '../../handlers/github/classify-error.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');

test('Retry-After given as an HTTP date waits until that date', (t) => {
  const headers = { 'retry-after': new Date(NOW + 90_000).toUTCString() };
  t.is(rateLimitWaitSeconds(429, headers, 'slow down', NOW), 90);
});

test('a 403 with quota left and no rate-limit wording is not a rate limit', (t) => {
  t.is(rateLimitWaitSeconds(403, { 'x-ratelimit-remaining': '4999' }, 'Must have admin rights to Repository.', NOW), undefined);
});

test('an error that is not an HTTP error becomes fatal with its message scrubbed', (t) => {
  const error = classifyGitHubError(new Error('bad key -----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----'), NOW);
  t.true(error instanceof RunnerError);
  t.is(error.kind, 'fatal');
  t.false(error.message.includes('abc'));
});

test('a status the operation gives its own meaning overrides the default kind', (t) => {
  const httpError = Object.assign(new Error('Bad request - Runner "x" is still running a job"'), {
    status: 422,
    request: { method: 'DELETE', url: 'https://api.github.com/orgs/o/actions/runners/1?x=secret' },
    response: { headers: {} },
  });
  const error = classifyGitHubError(httpError, NOW, { 422: 'busy' });
  t.is(error.kind, 'busy');
  t.is(error.message, 'GitHub DELETE /orgs/o/actions/runners/1 answered 422: Bad request - Runner "x" is still running a job"');
});
