import test from 'ava';
import { createAdmissionSlots } from '../../handlers/state/admission-slots.ts';
import { createLocalStateStore } from '../../handlers/state/local-state-store.ts';
import type { StateStore } from '../../handlers/state/state-store.ts';

/** The real local store, counting the records every call reads (an update reads the one it changes). */
function countingStore(store: StateStore = createLocalStateStore()) {
  const counts = { read: 0 };
  const counted: StateStore = {
    read: (key, now) => ((counts.read += 1), store.read(key, now)),
    readMany: (keys, now) => ((counts.read += keys.length), store.readMany(keys, now)),
    update: (key, now, change) => ((counts.read += 1), store.update(key, now, change)),
    close: () => store.close(),
  };
  return { store: counted, counts };
}

test('with maxRunners 2000, taking and releasing a slot reads a handful of records, not the template\'s 2,000', async (t) => {
  const { store, counts } = countingStore();
  const slots = createAdmissionSlots(store, Date.now);
  t.like(await slots.take('linux', 'ghr-linux-0-1', 2000), { taken: true, already: false });
  const first = counts.read;
  t.true(first > 2000, 'the first take of an instance reads every slot once');
  counts.read = 0;
  for (let i = 1; i <= 100; i += 1) t.like(await slots.take('linux', `ghr-linux-${i}-1`, 2000), { taken: true, already: false });
  t.true(counts.read <= 100 * 6, `100 takes read ${counts.read} records`);
  counts.read = 0;
  t.like(await slots.take('linux', 'ghr-linux-7-1', 2000), { taken: true, already: true });
  t.true(await slots.keep('linux', 'ghr-linux-7-1', 2000, 'execution-7'));
  for (let i = 1; i <= 100; i += 1) t.true(await slots.release('linux', `ghr-linux-${i}-1`));
  t.true(counts.read <= 10 + 100 * 5, `a repeated take, a keep and 100 releases read ${counts.read} records`);
  t.deepEqual(Object.keys(await slots.holders('linux')), ['ghr-linux-0-1']);
});

test('two instances whose hints are out of date never hold more than maxRunners: a lost claim reads every slot again', async (t) => {
  const store = createLocalStateStore();
  const [a, b] = [createAdmissionSlots(store, Date.now), createAdmissionSlots(store, Date.now)];
  t.like(await a.take('linux', 'ghr-linux-1-1', 4), { taken: true });
  t.like(await a.take('linux', 'ghr-linux-2-1', 4), { taken: true });
  t.like(await b.take('linux', 'ghr-linux-3-1', 4), { taken: true });
  t.like(await b.take('linux', 'ghr-linux-4-1', 4), { taken: true });
  // a's hint still has the two slots b took as free.
  t.like(await a.take('linux', 'ghr-linux-5-1', 4), { taken: false, count: 4 });
  t.like(await b.take('linux', 'ghr-linux-6-1', 4), { taken: false, count: 4 });
  t.is(Object.keys(await a.holders('linux')).length, 4);
  t.true(await b.release('linux', 'ghr-linux-1-1'), 'an instance frees a slot another one took');
  t.like(await a.take('linux', 'ghr-linux-5-1', 4), { taken: true, already: false });
  t.like(await b.take('linux', 'ghr-linux-6-1', 4), { taken: false, count: 4 });
  t.deepEqual(Object.keys(await b.holders('linux')).sort(), ['ghr-linux-2-1', 'ghr-linux-3-1', 'ghr-linux-4-1', 'ghr-linux-5-1']);
});

test('a runner that took its slot through one instance is found holding it through another (a task delivered twice)', async (t) => {
  const store = createLocalStateStore();
  const [a, b] = [createAdmissionSlots(store, Date.now), createAdmissionSlots(store, Date.now)];
  t.like(await a.take('linux', 'ghr-linux-1-1', 3), { taken: true, already: false });
  t.like(await b.take('linux', 'ghr-linux-1-1', 3), { taken: true, already: true });
  t.true(await b.keep('linux', 'ghr-linux-1-1', 3, 'execution-1'));
  t.false(await a.release('linux', 'ghr-linux-1-1', { by: 'execution-2' }), 'kept by another execution');
  t.true(await a.release('linux', 'ghr-linux-1-1', { by: 'execution-1' }));
  t.deepEqual(await b.holders('linux'), {});
});

test('a slot held without a pointer (taken by the version that read every slot) is still found, taken again and released', async (t) => {
  const store = createLocalStateStore();
  const now = Date.now();
  await store.update({ kind: 'slot-count', id: 'linux' }, now, () => ({ result: null, write: { value: { size: 2 } } }));
  await store.update({ kind: 'slot', id: 'linux#1' }, now, () => ({ result: null, write: { value: { runner: 'ghr-linux-1-1', at: now } } }));
  const slots = createAdmissionSlots(store, Date.now);
  t.like(await slots.take('linux', 'ghr-linux-1-1', 2), { taken: true, already: true });
  t.like(await slots.take('linux', 'ghr-linux-2-1', 2), { taken: true, already: false });
  t.like(await slots.take('linux', 'ghr-linux-3-1', 2), { taken: false, count: 2 });
  t.true(await slots.release('linux', 'ghr-linux-1-1'));
  t.like(await slots.take('linux', 'ghr-linux-3-1', 2), { taken: true, already: false });
});
