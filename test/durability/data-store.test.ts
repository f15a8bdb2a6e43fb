import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { DataStore, journalFileName } from '../../workflows/engine/store/data-store.ts';
import { JournalCorrupt, JournalFile } from '../../workflows/engine/store/journal-file.ts';
import { DataDirInUse } from '../../workflows/engine/store/lock-file.ts';

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'ghr-store-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('records come back after a reopen, each section its own, in the order written', async (t) => {
  const dir = tempDir(t);
  const store = DataStore.open(dir);
  const a = store.section('a');
  const b = store.section('b');
  a.snapshot(() => []);
  b.snapshot(() => []);
  a.append({ k: 'one' });
  b.append({ k: 'two' });
  a.append({ k: 'three' });
  await a.sync();
  t.throws(() => store.section('a'), { message: /already open/ });
  store.close();
  const again = DataStore.open(dir);
  t.deepEqual(again.section('a').lines, [{ k: 'one' }, { k: 'three' }]);
  t.deepEqual(again.section('b').lines, [{ k: 'two' }]);
  again.close();
});

test('syncs asked while a flush runs wait for it, then share one more flush that covers their lines', async (t) => {
  const { file } = JournalFile.open(join(tempDir(t), journalFileName));
  t.teardown(() => file.close());
  file.append({ k: 'first' });
  const first = file.sync();
  // The flush starts on the next turn; once this turn is over it is running in the thread pool.
  await new Promise((resolve) => setImmediate(resolve));
  t.is(file.flushes, 1);
  const waiting = Array.from({ length: 10 }, (_, index) => {
    file.append({ k: 'later', index });
    return file.sync();
  });
  t.is(new Set(waiting).size, 1, 'one flush answers all of them');
  t.is(file.flushes, 1, 'none starts while the first runs');
  await first;
  await Promise.all(waiting);
  t.is(file.flushes, 2);
  await file.sync();
  t.is(file.flushes, 3, 'an idle journal flushes on the next turn');
});

test('a line torn by a crash is cut off, and what follows it is read again', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, journalFileName), '{"s":"a","k":"whole"}\n{"s":"a","k":"torn');
  const store = DataStore.open(dir);
  const a = store.section('a');
  t.deepEqual(a.lines, [{ k: 'whole' }]);
  a.snapshot(() => []);
  a.append({ k: 'next' });
  store.close();
  t.is(readFileSync(join(dir, journalFileName), 'utf8'), '{"s":"a","k":"whole"}\n{"s":"a","k":"next"}\n');
});

test('a damaged line in the middle stops the start-up instead of losing what follows', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, journalFileName), '{"s":"a"}\nnot json\n{"s":"a"}\n');
  t.throws(() => DataStore.open(dir), { instanceOf: JournalCorrupt, message: /line 2/ });
});

test('compaction keeps what each section says is live, and the records of sections nobody opened', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, journalFileName), '{"s":"other","k":"kept"}\n');
  const store = DataStore.open(dir);
  const a = store.section('a');
  let live = [{ k: 'x' }];
  a.snapshot(() => live);
  for (let i = 0; i < 100; i++) a.append({ k: 'churn', i });
  live = [{ k: 'survivor' }];
  store.compact();
  a.append({ k: 'after' });
  store.close();
  const lines = readFileSync(join(dir, journalFileName), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  t.deepEqual(lines, [{ s: 'other', k: 'kept' }, { s: 'a', k: 'survivor' }, { s: 'a', k: 'after' }]);
});

test('the journal compacts itself once it has grown past the threshold and twice its compacted size', async (t) => {
  const dir = tempDir(t);
  const store = DataStore.open(dir, { compactAfterBytes: 10_000 });
  const a = store.section('a');
  a.snapshot(() => [{ k: 'live' }]);
  for (let i = 0; i < 200; i++) a.append({ k: 'churn', pad: 'x'.repeat(100) });
  await new Promise((resolve) => setImmediate(resolve));
  t.true(store.size < 10_000 + 2_000, `${store.size} bytes`);
  store.close();
});

test('the journal is readable by its owner only (0600)', (t) => {
  const dir = tempDir(t);
  DataStore.open(dir).close();
  t.is(statSync(join(dir, journalFileName)).mode & 0o777, 0o600);
});

test('a second process cannot open a data directory in use; the lock of a dead one is taken over', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'state.lock'), `${process.ppid}\n`);
  t.throws(() => DataStore.open(dir), { instanceOf: DataDirInUse });
  const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
  writeFileSync(join(dir, 'state.lock'), `${gone}\n`);
  const store = DataStore.open(dir);
  t.is(readFileSync(join(dir, 'state.lock'), 'utf8').trim(), String(process.pid));
  store.close();
  t.throws(() => readFileSync(join(dir, 'state.lock')), { code: 'ENOENT' }, 'released on close');
});
