/**
 * The embedded mode's durable state: one append-only journal of JSON lines, `state.jsonl` in the
 * data directory, shared by the workflow engine and the in-process queues (each writes its own
 * section of records).
 *
 * Why a journal and not SQLite:
 * - `better-sqlite3` is a native addon: npm builds it for the machine's Node (20 here) while the
 *   npm scripts run Node 22 (the `node@22` dev dependency), so it fails to load with an ABI
 *   mismatch unless rebuilt for each; that breaks `npm test` on a fresh clone.
 * - `node:sqlite` needs no addon, but Node 22.23 still prints "ExperimentalWarning: SQLite is an
 *   experimental feature" on every start, and Node 20 has no such module at all.
 * - What we store is a log by nature: the engine replays each execution's recorded effects in
 *   order (deterministic replay), and the queue's tasks come and go. Nothing is queried at run
 *   time; everything is read once, at start-up. An append per event plus an fdatasync on the
 *   writes that matter is all the durability needed, and the file is `tail`-able when debugging.
 * - Deletions (finished tasks, forgotten executions) are handled by compaction: the live state
 *   is written to a new file that atomically replaces the old one (at start-up, and whenever the
 *   journal has grown to twice its last compacted size and at least `compactAfterBytes`).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { JournalFile, type JournalLine } from './journal-file.ts';
import { acquireLock } from './lock-file.ts';

export type { JournalLine } from './journal-file.ts';

/** One component's part of the journal. */
export interface StoreSection {
  /** The section's records found at open, oldest first. */
  readonly lines: readonly JournalLine[];
  /** Written at once (survives `kill -9` on return); call `sync` for a machine crash. */
  append(line: JournalLine): void;
  sync(): Promise<void>;
  /** The records that rebuild this section's live state, asked for on every compaction. */
  snapshot(provider: () => JournalLine[]): void;
}

export interface DataStoreOptions {
  /** Compact once the journal is this big and twice its last compacted size. Default 8 MiB. */
  readonly compactAfterBytes?: number;
}

export const journalFileName = 'state.jsonl';

export class DataStore {
  readonly #file: JournalFile;
  readonly #loaded = new Map<string, JournalLine[]>();
  readonly #providers = new Map<string, () => JournalLine[]>();
  readonly #opened = new Set<string>();
  readonly #release: () => void;
  readonly #compactAfterBytes: number;
  #compactedSize: number;
  #compactScheduled = false;
  #closed = false;

  private constructor(file: JournalFile, lines: JournalLine[], release: () => void, options: DataStoreOptions) {
    this.#file = file;
    this.#release = release;
    this.#compactAfterBytes = options.compactAfterBytes ?? 8 * 1024 * 1024;
    this.#compactedSize = file.size;
    for (const { s, ...line } of lines) {
      const name = String(s);
      this.#loaded.set(name, [...(this.#loaded.get(name) ?? []), line]);
    }
  }

  /** Opens `dir/state.jsonl` (creating the directory, mode 0700), holding `dir/state.lock`. */
  static open(dir: string, options: DataStoreOptions = {}): DataStore {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const release = acquireLock(join(dir, 'state.lock'));
    try {
      const { file, lines } = JournalFile.open(join(dir, journalFileName));
      return new DataStore(file, lines, release, options);
    } catch (error) {
      release();
      throw error;
    }
  }

  get size(): number {
    return this.#file.size;
  }

  /** A component's part of the journal; each is opened once (two writers would contradict each other). */
  section(name: string): StoreSection {
    if (this.#opened.has(name)) throw new Error(`store section ${name} is already open`);
    this.#opened.add(name);
    return {
      lines: this.#loaded.get(name) ?? [],
      append: (line) => {
        if (!this.#providers.has(name)) throw new Error(`store section ${name} appends before it gave a snapshot provider`);
        this.#file.append({ s: name, ...line });
        this.#maybeCompact();
      },
      sync: () => this.#file.sync(),
      snapshot: (provider) => void this.#providers.set(name, provider),
    };
  }

  sync(): Promise<void> {
    return this.#file.sync();
  }

  /** Rewrites the journal as the live state of every section; a section never opened keeps its records. */
  compact(): void {
    const lines: JournalLine[] = [];
    const names = new Set([...this.#loaded.keys(), ...this.#providers.keys()]);
    for (const name of names) {
      const provider = this.#providers.get(name);
      for (const line of provider ? provider() : (this.#loaded.get(name) ?? [])) lines.push({ s: name, ...line });
    }
    this.#file.rewrite(lines);
    this.#compactedSize = this.#file.size;
    // Those sections now rebuild from their providers: their loaded records are no longer needed.
    for (const name of this.#providers.keys()) this.#loaded.delete(name);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#file.close();
    this.#release();
  }

  #maybeCompact(): void {
    const size = this.#file.size;
    if (this.#compactScheduled || size < this.#compactAfterBytes || size < 2 * this.#compactedSize) return;
    this.#compactScheduled = true;
    // Not inside the append: the caller is mid-way through changing its state.
    setImmediate(() => {
      this.#compactScheduled = false;
      if (!this.#closed) this.compact();
    });
  }
}
