import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { loadOrCreateSealKey } from '../../handlers/durability/seal-key.ts';

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'ghr-key-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('the seal key is made once, kept in a file only its owner reads, and the same after a restart', (t) => {
  const dir = join(tempDir(t), 'data');
  const first = loadOrCreateSealKey(dir);
  t.is(first.length, 32);
  t.is(statSync(join(dir, 'seal-key')).mode & 0o777, 0o600);
  t.deepEqual(loadOrCreateSealKey(dir), first);
  t.is(Buffer.from(readFileSync(join(dir, 'seal-key'), 'utf8').trim(), 'base64').length, 32);
});

test('a key file widened by hand is narrowed again; a damaged one is refused with its path', (t) => {
  const dir = tempDir(t);
  loadOrCreateSealKey(dir);
  chmodSync(join(dir, 'seal-key'), 0o644);
  loadOrCreateSealKey(dir);
  t.is(statSync(join(dir, 'seal-key')).mode & 0o777, 0o600);
  writeFileSync(join(dir, 'seal-key'), 'short\n');
  t.throws(() => loadOrCreateSealKey(dir), { message: /seal-key does not hold a 32-byte/ });
});
