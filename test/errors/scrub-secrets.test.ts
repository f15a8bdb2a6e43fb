import test from 'ava';
import { RunnerError, scrubSecrets, statusOf } from '../../handlers/errors.ts';

test('credentials of every shape we handle are replaced, the words around them kept', (t) => {
  const text = [
    'token ghs_16C7e42F292c6912E7710c838347Ae178B4a',
    'Authorization: Bearer ya29.a0AfH6SMBx3kLmN0pQrStUvWxYz1234567890',
    '{"encoded_jit_config":"eyIuY3JlZGVudGlhbHMiOiJleGFtcGxlLWNyZWRlbnRpYWxzLWJsb2IiLCJydW5uZXIiOiJ4In0="}',
    '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----',
  ].join('\n');
  const scrubbed = scrubSecrets(text);
  for (const secret of ['ghs_16C7e42F', 'ya29.a0AfH6', 'eyIuY3Jl', 'MIIEow']) t.false(scrubbed.includes(secret), secret);
  t.true(scrubbed.includes('Bearer [REDACTED]'));
});

test('ordinary prose with the word token is left alone', (t) => {
  t.is(scrubSecrets('A JSON web token could not be decoded'), 'A JSON web token could not be decoded');
});

test('a RunnerError scrubs its message when built and maps its kind to one status', (t) => {
  const error = new RunnerError('unavailable', 'POST failed with token ghs_16C7e42F292c6912E7710c838347Ae178B4a');
  t.false(error.message.includes('ghs_'));
  t.is(error.status, 503);
  t.is(statusOf('busy'), 422);
  t.is(statusOf('capacity'), 429);
});
