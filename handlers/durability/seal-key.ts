import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const sealKeyFileName = 'seal-key';

/**
 * The key that seals JIT configs, kept in the data directory when STEP_SEAL_KEY is not set: an
 * execution resumed after a restart holds a config sealed before it, which a fresh random key
 * could not open. 32 random bytes, base64, in a file only this user can read (0600). Created
 * with O_EXCL, so two processes starting at once end up with the same key.
 */
export function loadOrCreateSealKey(dataDir: string): Buffer {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, sealKeyFileName);
  const existing = readKey(path);
  if (existing) return existing;
  const key = randomBytes(32);
  try {
    writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx', flush: true });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readKey(path) ?? key;
  }
}

function readKey(path: string): Buffer | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw new Error(`${path} does not hold a 32-byte base64 key; remove it to have a new one made`);
  // Someone widened it: narrow it again rather than leave the key readable by others.
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  return key;
}
