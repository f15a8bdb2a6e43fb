import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile } from './stats.ts';

/**
 * The disk's floor under a durable answer: appends of a task-sized line (~300 bytes), each followed by
 * fdatasync, in a file of the same temporary directory the service's DATA_DIR is made in. A 202 of
 * the embedded queue waits for one of these (grouped), so its latency cannot go below this.
 */
export function fsyncLatency(count = 100): { p50Ms: number; p99Ms: number } {
  const dir = mkdtempSync(join(tmpdir(), 'ghr-bench-fsync-'));
  const fd = openSync(join(dir, 'probe.jsonl'), 'a');
  const line = Buffer.from(`${JSON.stringify({ k: 'task', pad: 'x'.repeat(280) })}\n`);
  const times: number[] = [];
  try {
    for (let index = 0; index < count; index += 1) {
      writeSync(fd, line);
      const started = performance.now();
      fdatasyncSync(fd);
      times.push(performance.now() - started);
    }
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
  return { p50Ms: percentile(times, 50), p99Ms: percentile(times, 99) };
}
