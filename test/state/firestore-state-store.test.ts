import test from 'ava';
import { createAdmissionSlots } from '../../handlers/state/admission-slots.ts';
import { createLocalStateStore } from '../../handlers/state/local-state-store.ts';
import type { StateStore } from '../../handlers/state/state-store.ts';
import { database, project, startFirestoreWorld } from './firestore-world.ts';

const key = { kind: 'counter', id: 'jobs' };
const increment = (store: StateStore) => store.update<number, number>(key, Date.now(), (current) => ({ result: (current ?? 0) + 1, write: { value: (current ?? 0) + 1 } }));

test('a value written in a transaction is read back by another client, and a deleted one reads as absent', async (t) => {
  const world = await startFirestoreWorld();
  t.teardown(world.close);
  const [a, b] = [world.store(), world.store()];
  await a.update(key, Date.now(), () => ({ result: null, write: { value: { runners: { 'ghr-linux-1-1': 5 } } } }));
  t.deepEqual(await b.read(key, Date.now()), { runners: { 'ghr-linux-1-1': 5 } });
  t.deepEqual(world.simulator.documentNames(), [`projects/${project}/databases/${database}/documents/github-runner/counter~jobs`]);
  await b.update(key, Date.now(), () => ({ result: null, write: { value: null } }));
  t.is(await a.read(key, Date.now()), null);
});

test('a record past its expiry reads as absent before the TTL policy deletes it, and is stored with the TTL field', async (t) => {
  const world = await startFirestoreWorld();
  t.teardown(world.close);
  const store = world.store();
  const now = Date.now();
  await store.update(key, now, () => ({ result: null, write: { value: 1, expiresAt: now + 1000 } }));
  t.is(await store.read(key, now + 999), 1);
  t.is(await store.read(key, now + 1000), null);
  const stored = world.simulator.document(world.simulator.documentNames()[0]!);
  t.deepEqual(Object.keys(stored?.fields ?? {}).sort(), ['expireAt', 'value']);
});

// Pessimistic concurrency (Firestore's default for the Standard edition): a read-write transaction
// locks what it reads; when two read the same document and both write it, the older one commits
// and the younger is aborted (ABORTED), which the client library retries with the new value.
// https://cloud.google.com/firestore/docs/transaction-data-contention
test('fifty concurrent increments from three clients all count: contention aborts and the client retries', async (t) => {
  const world = await startFirestoreWorld();
  t.teardown(world.close);
  const clients = [world.store(), world.store(), world.store()];
  const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => increment(clients[i % 3]!)));
  const done = results.filter((result) => result.status === 'fulfilled').length;
  t.is(await clients[0]!.read(key, Date.now()), done, 'every committed increment counted once');
  t.true(done >= 40, `${done} of 50 committed within the client's 5 attempts`);
  t.log(`${done} of 50 committed; ${world.simulator.counts().contended} aborted by contention`);
  t.true(world.simulator.counts().contended > 0, 'transactions were aborted by contention');
});

test('fifty runners asking at once for five slots: exactly five get one, from three clients sharing the database 20 ms away', async (t) => {
  const world = await startFirestoreWorld({ latencyMs: 20 });
  t.teardown(world.close);
  const clients = [world.store(), world.store(), world.store()].map((store) => createAdmissionSlots(store, Date.now));
  const verdicts = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => clients[i % 3]!.take('linux', `ghr-linux-${i}-1`, 5)));
  const taken = verdicts.filter((verdict) => verdict.status === 'fulfilled' && verdict.value.taken).length;
  t.is(taken, 5);
  t.is(Object.keys(await clients[0]!.holders('linux')).length, 5);
});

test('a runner that holds a slot gets it again (a task delivered twice), and a released slot goes to the next', async (t) => {
  const world = await startFirestoreWorld();
  t.teardown(world.close);
  for (const store of [createLocalStateStore(), world.store()]) {
    const slots = createAdmissionSlots(store, Date.now);
    t.like(await slots.take('linux', 'ghr-linux-1-1', 1), { taken: true, already: false });
    t.like(await slots.take('linux', 'ghr-linux-1-1', 1), { taken: true, already: true });
    t.like(await slots.take('linux', 'ghr-linux-2-1', 1), { taken: false, count: 1 });
    t.true(await slots.release('linux', 'ghr-linux-1-1'));
    t.false(await slots.release('linux', 'ghr-linux-1-1'));
    t.like(await slots.take('linux', 'ghr-linux-2-1', 1), { taken: true });
  }
});
