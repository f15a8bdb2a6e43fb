import test from 'ava';
import { clientOptionsForEndpoint } from '../../handlers/cloud/client-options.ts';
import { RunnerError } from '../../handlers/errors.ts';
import { parseCredentials } from '../../handlers/setup/app-credentials.ts';
import { secretManagerWriter } from '../../handlers/setup/secret-manager-writer.ts';
import { generateAppKeyPair } from '../../simulators/github/app-jwt.ts';
import { startFakeSecretManager } from '../cloud/fake-secret-manager.ts';

const secret = 'projects/ci-project/secrets/gh-runner-github-app';
const credentials = { appId: '424242', privateKey: generateAppKeyPair().privateKey, webhookSecret: 'hook-secret-0123456789' };

test('/setup on Google Cloud adds one version of the App secret holding id, key and webhook secret together', async (t) => {
  const fake = await startFakeSecretManager([secret]);
  const writer = secretManagerWriter({ secret, clientOptions: clientOptionsForEndpoint(fake.url) });
  t.teardown(async () => (await writer.close(), await fake.close()));
  await writer.write(credentials);
  const versions = fake.versions.get(secret) ?? [];
  t.is(versions.length, 1);
  t.deepEqual(parseCredentials(versions[0]!.toString('utf8')), credentials);
  t.is(fake.requests[0]?.path, `/v1/${secret}:addVersion`);
});

test('a secret that does not exist is an error naming the secret, never its payload', async (t) => {
  const fake = await startFakeSecretManager([]);
  const writer = secretManagerWriter({ secret, clientOptions: clientOptionsForEndpoint(fake.url) });
  t.teardown(async () => (await writer.close(), await fake.close()));
  const error = await t.throwsAsync(writer.write(credentials), { instanceOf: RunnerError });
  t.is(error?.kind, 'fatal'); // retrying cannot create the secret
  t.regex(error?.message ?? '', /gh-runner-github-app: HTTP 404/);
  t.false(JSON.stringify({ message: error?.message, cause: String(error?.cause) }).includes(credentials.webhookSecret));
});
