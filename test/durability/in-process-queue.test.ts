import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { RunnerError } from '../../handlers/errors.ts';
import { createMemoryLogger } from '../../handlers/log/logger.ts';
import { InProcessQueue } from '../../handlers/queue/in-process-queue.ts';
import type { QueueTask, WorkflowJobEvent } from '../../handlers/queue/job-event.ts';
import { DataStore, journalFileName } from '../../workflows/engine/store/data-store.ts';
import { eventually } from '../helpers/system.ts';
import { tempDataDir } from './replay-helpers.ts';

const event: WorkflowJobEvent = {
  action: 'queued', deliveryId: 'd-1', installationId: 1, owner: 'octo-org', repo: 'app', ownerIsOrganization: true,
  jobId: 1, runId: 2, runAttempt: 1, labels: ['self-hosted'], templateName: 'linux', runnerName: null, conclusion: null,
};
const task = (name: string): QueueTask => ({ name, event: { ...event, deliveryId: name } });

/** One "process": a store on `dir` and a queue on it; a crash drops it without closing anything. */
function bootQueue(dir: string, handle: (task: QueueTask) => Promise<void>, options: { nameRetentionMs?: number } = {}) {
  const store = DataStore.open(dir);
  const queue = new InProcessQueue({ handle, log: createMemoryLogger('fatal').log, concurrency: 10, dispatchesPerSecond: 1000, minBackoffMs: 10, store: store.section('queue'), ...options });
  store.compact();
  return { store, queue };
}

const never = () => new Promise<void>(() => undefined);

test('a task is on disk when enqueue resolves', async (t) => {
  const dir = tempDataDir(t);
  const { queue } = bootQueue(dir, never);
  t.is(await queue.enqueue(task('job-1-1-queued')), 'enqueued');
  t.regex(readFileSync(join(dir, journalFileName), 'utf8'), /"k":"task","name":"job-1-1-queued"/);
  queue.close();
});

test('tasks accepted but not done before a crash run after the restart, exactly once', async (t) => {
  const dir = tempDataDir(t);
  const handled: string[] = [];
  const first = bootQueue(dir, async (running) => (running.name === 'a' ? void handled.push('a') : never()));
  for (const name of ['a', 'b', 'c']) await first.queue.enqueue(task(name));
  await eventually(() => handled.length === 1, 2000, 'a done');
  const second = bootQueue(dir, async (running) => void handled.push(running.name));
  await eventually(() => handled.length === 3, 2000, 'b and c re-run');
  await second.queue.idle();
  t.deepEqual(handled, ['a', 'b', 'c']);
  const third = bootQueue(dir, async (running) => void handled.push(running.name));
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.deepEqual(handled, ['a', 'b', 'c'], 'nothing left to run');
  t.is(third.queue.size, 0);
  third.queue.close();
});

test('task names stay taken across restarts for the retention window, then are forgotten', async (t) => {
  const dir = tempDataDir(t);
  const first = bootQueue(dir, async () => undefined, { nameRetentionMs: 300 });
  await first.queue.enqueue(task('job-1-1-queued'));
  await first.queue.idle();
  const second = bootQueue(dir, async () => undefined, { nameRetentionMs: 300 });
  t.true(second.queue.taken('job-1-1-queued'), 'the webhook can ask before it reads the rest of a delivery');
  t.is(await second.queue.enqueue(task('job-1-1-queued')), 'duplicate');
  const third = bootQueue(dir, async () => undefined, { nameRetentionMs: 300 });
  t.is(await third.queue.enqueue(task('job-1-1-queued')), 'duplicate', 'also after a compaction');
  await new Promise((resolve) => setTimeout(resolve, 350));
  t.false(third.queue.taken('job-1-1-queued'));
  t.is(await third.queue.enqueue(task('job-1-1-queued')), 'enqueued');
  await third.queue.idle();
});

test('a task dropped as not retryable is done; one waiting to retry at the crash runs again after it', async (t) => {
  const dir = tempDataDir(t);
  const first = bootQueue(dir, async (running) => {
    throw new RunnerError(running.name === 'bad' ? 'invalid' : 'unavailable', 'no');
  });
  await first.queue.enqueue(task('bad'));
  await first.queue.enqueue(task('flaky'));
  await new Promise((resolve) => setTimeout(resolve, 30));
  first.queue.close();
  const handled: string[] = [];
  const second = bootQueue(dir, async (running) => void handled.push(running.name));
  await eventually(() => handled.length === 1, 2000, 'flaky re-run');
  await second.queue.idle();
  t.deepEqual(handled, ['flaky']);
});

test('enqueue resolves before the handler starts: the webhook answers first, the task runs on a later turn', async (t) => {
  const started: string[] = [];
  const queue = new InProcessQueue({ handle: async (running) => void started.push(running.name), log: createMemoryLogger('fatal').log, concurrency: 10, dispatchesPerSecond: 1000 });
  const outcome = queue.enqueue(task('job-1-1-queued'));
  t.deepEqual(started, [], 'not started inside enqueue');
  t.is(await outcome, 'enqueued');
  t.is(queue.size, 1);
  await queue.idle();
  t.deepEqual(started, ['job-1-1-queued']);
  queue.close();
});
