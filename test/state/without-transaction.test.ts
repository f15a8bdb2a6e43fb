import test from 'ava';
import { createAdmissionSlots } from '../../handlers/state/admission-slots.ts';
import { createFirestore } from '../../handlers/state/create-firestore.ts';
import { database, project, startFirestoreWorld } from './firestore-world.ts';
import { createRacyStateStore } from './racy-state-store.ts';

// Alone in its file (ava runs each file in a process of its own), and Firestore 300 ms away: the
// race needs the runners' reads to be in flight together, and the client library spends a few ms
// of CPU on each request, which spreads requests apart when the network is fast.
test('without the transaction (a read, then a write) ten runners asking at once for the last slot are all told they hold it', async (t) => {
  const world = await startFirestoreWorld({ latencyMs: 300 });
  t.teardown(world.close);
  const stores = [0, 1, 2].map(() => createRacyStateStore(createFirestore({ project, database, apiEndpoint: world.simulator.url }), 'github-runner'));
  t.teardown(async () => void (await Promise.all(stores.map((store) => store.close()))));
  const clients = stores.map((store) => createAdmissionSlots(store, Date.now));
  // The first slot is taken by an instance of its own: the ten then ask alike, none with a hint of
  // the free slots that would let it skip reading them and claim ahead of the others.
  await createAdmissionSlots(stores[0]!, Date.now).take('linux', 'ghr-linux-0-1', 2);
  const verdicts = await Promise.all(Array.from({ length: 10 }, (_, i) => clients[i % 3]!.take('linux', `ghr-linux-${i + 1}-1`, 2)));
  const told = verdicts.filter((verdict) => verdict.taken).length;
  t.log(`${told} of 10 told they hold the one free slot`);
  t.true(told > 1);
});

test('with it, the same ten get the last slot once', async (t) => {
  const world = await startFirestoreWorld({ latencyMs: 300 });
  t.teardown(world.close);
  const clients = [0, 1, 2].map(() => createAdmissionSlots(world.store(), Date.now));
  await createAdmissionSlots(world.store(), Date.now).take('linux', 'ghr-linux-0-1', 2);
  const verdicts = await Promise.all(Array.from({ length: 10 }, (_, i) => clients[i % 3]!.take('linux', `ghr-linux-${i + 1}-1`, 2)));
  t.is(verdicts.filter((verdict) => verdict.taken).length, 1);
});
