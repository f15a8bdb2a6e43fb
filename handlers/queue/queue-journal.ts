import type { JournalLine, StoreSection } from '../../workflows/engine/store/data-store.ts';
import type { QueueTask } from './job-event.ts';

/** A queue's journal records: a task accepted, a task finished, a name still taken (after compaction). */
type QueueLine = { k: 'task'; name: string; at: number; event: QueueTask['event'] } | { k: 'done'; name: string } | { k: 'name'; name: string; at: number };

export interface QueueState {
  /** Task name → when it was taken (ms since the epoch), oldest first. */
  readonly names: Map<string, number>;
  /** Tasks accepted and not yet done, in the order they were accepted, with when. */
  readonly pending: Map<string, { readonly task: QueueTask; readonly at: number }>;
}

/**
 * An in-process queue's part of the data store. A task is written before `enqueue` resolves (the
 * webhook's 2xx then means durable) and marked done only after its handler succeeded or it was
 * dropped, so a crash re-runs it rather than loses it. Names stay taken for the retention window
 * across restarts, so a late duplicate is still refused.
 */
export class QueueJournal {
  readonly #section: StoreSection;

  constructor(section: StoreSection, live: () => QueueState) {
    this.#section = section;
    section.snapshot(() => snapshotOf(live()));
  }

  /** What the journal held at open. */
  load(): QueueState {
    const state: QueueState = { names: new Map(), pending: new Map() };
    for (const raw of this.#section.lines) {
      const line = raw as unknown as QueueLine;
      if (line.k === 'done') state.pending.delete(line.name);
      else state.names.set(line.name, line.at);
      if (line.k === 'task') state.pending.set(line.name, { task: { name: line.name, event: line.event }, at: line.at });
    }
    // Oldest first, as the queue forgets them.
    return { names: new Map([...state.names].sort((a, b) => a[1] - b[1])), pending: state.pending };
  }

  /** Written at once; the promise resolves once it is flushed to stable storage. */
  accepted(task: QueueTask, at: number): Promise<void> {
    this.#section.append({ k: 'task', name: task.name, at, event: task.event });
    return this.#section.sync();
  }

  /**
   * Not flushed: a `done` lost to a machine crash re-runs the task, which is safe: an execution
   * is created with the task's name as request id, and runner.yaml takes repeated events.
   */
  finished(name: string): void {
    this.#section.append({ k: 'done', name });
  }
}

function snapshotOf(state: QueueState): JournalLine[] {
  const lines: JournalLine[] = [];
  for (const [name, at] of state.names) if (!state.pending.has(name)) lines.push({ k: 'name', name, at });
  // A task retried for longer than the retention window has lost its name but is kept.
  for (const [name, { task, at }] of state.pending) lines.push({ k: 'task', name, at, event: task.event });
  return lines;
}
