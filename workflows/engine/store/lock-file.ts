import { openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';

export class DataDirInUse extends Error {
  override readonly name = 'DataDirInUse';
}

/**
 * Takes the data directory for this process: two processes appending to one journal would
 * interleave their records and replay both executions' effects. The lock is a file holding the
 * owner's pid; one left by a process that is gone (the `kill -9` this store exists for) is taken
 * over. Returns the release function.
 */
export function acquireLock(path: string): () => void {
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const owner = Number.parseInt(readFileSync(path, 'utf8'), 10);
    if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
      throw new DataDirInUse(`${path} is held by process ${owner}: another instance uses this data directory`);
    }
  }
  writeFileSync(path, `${process.pid}\n`, { mode: 0o600 });
  return () => {
    try {
      if (Number.parseInt(readFileSync(path, 'utf8'), 10) === process.pid) rmSync(path);
    } catch {
      // Already gone: nothing to release.
    }
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
