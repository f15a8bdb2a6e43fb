import test from 'ava';
import { serializeCredentials } from '../../handlers/setup/app-credentials.ts';
import { liveGitHub } from '../../handlers/setup/live-github.ts';
import { storedCredentials } from '../../handlers/setup/stored-credentials.ts';
import { RunnerError } from '../../handlers/errors.ts';
import type { GitHub } from '../../handlers/github/github.ts';

const app = (appId: string) => ({ appId, privateKey: '-----BEGIN RSA PRIVATE KEY-----\nx\n-----END RSA PRIVATE KEY-----', webhookSecret: `secret-${appId}` });

function store() {
  let now = 0;
  let text: string | null = null;
  let reads = 0;
  const source = storedCredentials({
    read: async () => {
      reads += 1;
      if (text === null) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return text;
    },
    now: () => now,
  });
  return { source, set: (value: string | null) => void (text = value), advance: (ms: number) => void (now += ms), reads: () => reads };
}

test('before setup there is no App, and the store is asked again every 2 s, not on every call', async (t) => {
  const s = store();
  t.is(await s.source.current(), null);
  t.is(await s.source.current(), null);
  t.is(s.reads(), 1);
  s.set(serializeCredentials(app('1')));
  s.advance(2_000);
  t.deepEqual(await s.source.current(), app('1'));
});

test('an App stored by another instance is picked up within a minute; a replacement by this one at once', async (t) => {
  const s = store();
  s.set(serializeCredentials(app('1')));
  t.is((await s.source.current())?.appId, '1');
  s.set(serializeCredentials(app('2')));
  s.advance(59_000);
  t.is((await s.source.current())?.appId, '1');
  s.advance(1_000);
  t.is((await s.source.current())?.appId, '2');
  s.source.replaced(app('3'));
  t.is((await s.source.current())?.appId, '3');
});

test('a fresh read (a signature with an unknown secret) goes to the store at most every 5 s', async (t) => {
  const s = store();
  s.set(serializeCredentials(app('1')));
  await s.source.current();
  s.set(serializeCredentials(app('2')));
  s.advance(4_000);
  t.is((await s.source.current({ fresh: true }))?.appId, '1');
  s.advance(1_000);
  t.is((await s.source.current({ fresh: true }))?.appId, '2');
  t.is(s.reads(), 2);
});

test('a damaged or unreadable store keeps the App already known', async (t) => {
  const s = store();
  s.set(serializeCredentials(app('1')));
  await s.source.current();
  s.set('{"appId": "2"}');
  s.advance(60_000);
  t.is((await s.source.current())?.appId, '1');
});

test('the GitHub client waits for an App (retryable), then follows the App when it changes', async (t) => {
  const s = store();
  const built: string[] = [];
  const github = liveGitHub(s.source, (c) => {
    built.push(c.appId);
    return { listInstallations: async () => [{ installationId: Number(c.appId), owner: 'acme', ownerType: 'Organization' as const }] } as unknown as GitHub;
  });
  const error = await t.throwsAsync(github.listInstallations(), { instanceOf: RunnerError });
  t.is(error?.kind, 'unavailable');
  s.source.replaced(app('7'));
  t.is((await github.listInstallations())[0]?.installationId, 7);
  t.is((await github.listInstallations())[0]?.installationId, 7);
  s.source.replaced(app('8'));
  t.is((await github.listInstallations())[0]?.installationId, 8);
  t.deepEqual(built, ['7', '8']);
});
