import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { openStateStore } from '../../handlers/state/open-state-store.ts';

const key = { kind: 'slots', id: 'linux' };
const localConfig = (dataDir: string | null) => ({ stateStore: { kind: 'local' as const }, dataDir, googleCloudProject: 'local-project' });

test('with DATA_DIR the state survives a restart, expiries included', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ghr-state-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const now = Date.now();
  const first = await openStateStore(localConfig(dataDir));
  await first.update(key, now, () => ({ result: null, write: { value: { runners: { 'ghr-linux-1-1': now } } } }));
  await first.update({ kind: 'lost-events', id: 'ghr-linux-2-1' }, now, () => ({ result: null, write: { value: { events: [] }, expiresAt: now + 1000 } }));
  await first.close();

  const second = await openStateStore(localConfig(dataDir));
  t.teardown(() => second.close());
  t.deepEqual(await second.read(key, now), { runners: { 'ghr-linux-1-1': now } });
  t.deepEqual(await second.read({ kind: 'lost-events', id: 'ghr-linux-2-1' }, now + 999), { events: [] });
  t.is(await second.read({ kind: 'lost-events', id: 'ghr-linux-2-1' }, now + 1000), null);
});

test('without DATA_DIR the state is in memory: a change that writes nothing leaves the value as it was', async (t) => {
  const store = await openStateStore(localConfig(null));
  t.is(await store.update(key, Date.now(), () => ({ result: 'read only' })), 'read only');
  t.is(await store.read(key, Date.now()), null);
  await store.update(key, Date.now(), () => ({ result: null, write: { value: 3 } }));
  t.is(await store.read(key, Date.now()), 3);
});
