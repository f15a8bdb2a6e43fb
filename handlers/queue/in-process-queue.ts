import { isRetryable, RunnerError } from '../errors.ts';
import type { StoreSection } from '../../workflows/engine/store/data-store.ts';
import type { Log } from '../log/logger.ts';
import type { EnqueueOutcome, JobQueue, QueueTask } from './job-event.ts';
import { QueueJournal } from './queue-journal.ts';

export interface InProcessQueueOptions {
  readonly handle: (task: QueueTask) => Promise<void>;
  readonly log: Log;
  /** Tasks running at once (Cloud Tasks: max_concurrent_dispatches). */
  readonly concurrency: number;
  /** Task starts per second (Cloud Tasks: max_dispatches_per_second): the create-rate limit. */
  readonly dispatchesPerSecond: number;
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** How long a task name stays taken, so late duplicates are still refused (Cloud Tasks: about an hour). */
  readonly nameRetentionMs?: number;
  /**
   * Where tasks are kept until done (a section of the data store): with it, an accepted task
   * survives a crash and runs after the restart. Absent: memory only.
   */
  readonly store?: StoreSection;
}

interface Entry {
  readonly task: QueueTask;
  attempts: number;
}

/** The embedded stand-in for Cloud Tasks: named-task dedupe, rate limit, concurrency, retries. */
export class InProcessQueue implements JobQueue {
  readonly #options: Required<Omit<InProcessQueueOptions, 'store'>>;
  readonly #journal: QueueJournal | undefined;
  readonly #names = new Map<string, number>();
  /** Accepted and not done (ready, running or waiting to retry): what the journal must keep. */
  readonly #pending = new Map<string, { readonly task: QueueTask; readonly at: number }>();
  readonly #ready: Entry[] = [];
  readonly #idleWaiters: (() => void)[] = [];
  #running = 0;
  #waitingRetry = 0;
  #nextDispatchAt = 0;
  #timer: NodeJS.Timeout | undefined;
  #pumpScheduled = false;
  #closed = false;

  constructor(options: InProcessQueueOptions) {
    const { store, ...rest } = options;
    this.#options = { minBackoffMs: 1000, maxBackoffMs: 60_000, nameRetentionMs: 3_600_000, ...rest };
    this.#journal = store && new QueueJournal(store, () => ({ names: this.#names, pending: this.#pending }));
    if (this.#journal) this.#recover(this.#journal);
  }

  async enqueue(task: QueueTask): Promise<EnqueueOutcome> {
    this.#forgetOldNames();
    if (this.#names.has(task.name)) return 'duplicate';
    const at = Date.now();
    const flushed = this.#journal?.accepted(task, at);
    this.#names.set(task.name, at);
    this.#pending.set(task.name, { task, at });
    this.#ready.push({ task, attempts: 0 });
    this.#pumpSoon();
    await flushed;
    return 'enqueued';
  }

  taken(name: string): boolean {
    this.#forgetOldNames();
    return this.#names.has(name);
  }

  /** Resolves once nothing is queued, running or waiting to retry. */
  async idle(): Promise<void> {
    if (this.#isIdle()) return;
    await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
  }

  get size(): number {
    return this.#ready.length + this.#running + this.#waitingRetry;
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  /** Takes back the names and the tasks not done; those run again, from the next turn on. */
  #recover(journal: QueueJournal): void {
    const { names, pending } = journal.load();
    for (const [name, at] of names) this.#names.set(name, at);
    for (const [name, entry] of pending) {
      this.#pending.set(name, entry);
      this.#ready.push({ task: entry.task, attempts: 0 });
    }
    // Not now: whoever builds the queue finishes wiring the process (its HTTP handler) first.
    if (pending.size > 0) setImmediate(() => this.#pump());
  }

  #isIdle(): boolean {
    return this.size === 0;
  }

  #forgetOldNames(): void {
    const oldest = Date.now() - this.#options.nameRetentionMs;
    for (const [name, at] of this.#names) {
      if (at >= oldest) break; // Map keeps insertion order, so the rest are newer.
      this.#names.delete(name);
    }
  }

  /**
   * A task's handler starts on a later turn, not inside `enqueue`: the webhook answers first, and
   * the tasks a burst of deliveries enqueues in one turn are started by one pump.
   */
  #pumpSoon(): void {
    if (this.#pumpScheduled || this.#timer) return;
    this.#pumpScheduled = true;
    setImmediate(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    if (this.#closed || this.#timer) return;
    while (this.#ready.length > 0 && this.#running < this.#options.concurrency) {
      const now = Date.now();
      if (now < this.#nextDispatchAt) {
        this.#timer = setTimeout(() => {
          this.#timer = undefined;
          this.#pump();
        }, this.#nextDispatchAt - now);
        return;
      }
      // Slots keep a fixed schedule: a timer that fires late (a busy event loop) must not push every
      // later slot back, which over a 1,000-task burst at 20/s added seconds. After an idle spell at
      // most one slot is made up (Cloud Tasks' token bucket, with a burst of 2).
      const interval = 1000 / this.#options.dispatchesPerSecond;
      this.#nextDispatchAt = Math.max(this.#nextDispatchAt, now - interval) + interval;
      void this.#run(this.#ready.shift()!);
    }
    if (this.#isIdle()) this.#idleWaiters.splice(0).forEach((resolve) => resolve());
  }

  async #run(entry: Entry): Promise<void> {
    this.#running += 1;
    entry.attempts += 1;
    try {
      await this.#options.handle(entry.task);
      this.#finish(entry.task.name);
    } catch (error) {
      this.#retryOrDrop(entry, error);
    } finally {
      this.#running -= 1;
      this.#pump();
    }
  }

  #retryOrDrop(entry: Entry, error: unknown): void {
    const fields = { task: entry.task.name, attempts: entry.attempts, err: error };
    if (error instanceof RunnerError && !isRetryable(error.kind)) {
      this.#options.log.error(fields, 'task failed and will not be retried');
      this.#finish(entry.task.name);
      return;
    }
    const backoff = Math.min(this.#options.maxBackoffMs, this.#options.minBackoffMs * 2 ** (entry.attempts - 1));
    const delay = error instanceof RunnerError && error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : backoff;
    this.#options.log.warn({ ...fields, retryInMs: delay }, 'task failed, retrying');
    this.#waitingRetry += 1;
    setTimeout(() => {
      this.#waitingRetry -= 1;
      this.#ready.push(entry);
      this.#pump();
    }, delay).unref();
  }

  #finish(name: string): void {
    this.#pending.delete(name);
    // Done after close (the store is closed too): left pending on disk, so it runs again after the restart.
    if (!this.#closed) this.#journal?.finished(name);
  }
}
