import { closeSync, fdatasync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync, writeSync, ftruncateSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';

/** A record of the journal: one JSON object per line. */
export type JournalLine = Record<string, unknown>;

export class JournalCorrupt extends Error {
  override readonly name = 'JournalCorrupt';
}

/**
 * An append-only file of JSON lines. `append` writes straight to the kernel (no buffering in this
 * process): once it returns, a `kill -9` cannot lose the line, as the page cache outlives the process.
 * `sync` adds the fdatasync that makes it survive a machine crash too, group-committed: at most one
 * fdatasync runs at a time, and every `sync` asked while one runs is answered by the next one,
 * which covers all the lines appended until it starts. With 32 webhooks in flight and a 5 ms
 * fdatasync, a flush per request queued up in the thread pool and capped the enqueue path at
 * ~260/s; grouped, one flush answers every request that arrived during the previous one.
 */
export class JournalFile {
  #fd: number;
  #bytes = 0;
  /** The fdatasync running now, if any. */
  #flushing: Promise<void> | undefined;
  /** The next fdatasync, asked for but not started: it starts when `#flushing` ends. */
  #next: Promise<void> | undefined;
  #flushes = 0;
  #closed = false;

  readonly path: string;
  private constructor(path: string, fd: number) {
    this.path = path;
    this.#fd = fd;
  }

  /** Opens (creating) the file and returns it with the lines it holds, in order. */
  static open(path: string): { file: JournalFile; lines: JournalLine[] } {
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const { lines, goodBytes } = parse(text, path);
    const fd = openSync(path, 'a+', 0o600);
    // A torn last line (power lost mid-write) is cut off, so new lines never follow garbage.
    if (goodBytes < Buffer.byteLength(text)) ftruncateSync(fd, goodBytes);
    const file = new JournalFile(path, fd);
    file.#bytes = goodBytes;
    return { file, lines };
  }

  /** Bytes in the file. */
  get size(): number {
    return this.#bytes;
  }

  append(line: JournalLine): void {
    // A closed descriptor's number may already belong to another file: never write through it.
    if (this.#closed) throw new Error(`${this.path} is closed`);
    const bytes = Buffer.from(`${JSON.stringify(line)}\n`);
    try {
      for (let written = 0; written < bytes.length; ) written += writeSync(this.#fd, bytes, written);
    } catch (error) {
      // A partial line (disk full) is cut off again, so the next one does not follow garbage.
      ftruncateSync(this.#fd, this.#bytes);
      throw error;
    }
    this.#bytes += bytes.length;
  }

  /** fdatasync calls made so far. */
  get flushes(): number {
    return this.#flushes;
  }

  /** Resolves once every line appended so far is on stable storage. */
  sync(): Promise<void> {
    this.#next ??= new Promise<void>((resolve, reject) => {
      const start = (): void => {
        this.#next = undefined;
        if (this.#closed) return reject(new Error(`${this.path} is closed`));
        this.#flushes += 1;
        // Covers every line written before this call: the ones of all the waiters of this promise.
        const flushing = new Promise<void>((done, fail) => fdatasync(this.#fd, (error) => (error ? fail(error) : done())));
        this.#flushing = flushing;
        flushing.then(resolve, reject).finally(() => {
          if (this.#flushing === flushing) this.#flushing = undefined;
        });
      };
      // Idle: deferred one turn, so that the appends of this turn (a burst of deliveries) share it.
      if (this.#flushing) this.#flushing.then(start, start);
      else setImmediate(start);
    });
    return this.#next;
  }

  /**
   * Replaces the whole content atomically: written beside, flushed, renamed over, and the
   * directory flushed, so a crash leaves either the old file or the new one, never half of each.
   */
  rewrite(lines: readonly JournalLine[]): void {
    const text = lines.map((line) => `${JSON.stringify(line)}\n`).join('');
    const temporary = `${this.path}.compact`;
    writeFileSync(temporary, text, { mode: 0o600, flush: true });
    renameSync(temporary, this.path);
    const directory = openSync(dirname(this.path), 'r');
    try {
      fsyncSync(directory);
    } finally {
      closeSync(directory);
    }
    closeSync(this.#fd);
    this.#fd = openSync(this.path, 'a', 0o600);
    this.#bytes = Buffer.byteLength(text);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.#fd);
  }
}

function parse(text: string, path: string): { lines: JournalLine[]; goodBytes: number } {
  const lines: JournalLine[] = [];
  let offset = 0;
  let goodBytes = 0;
  const parts = text.split('\n');
  for (const [index, part] of parts.entries()) {
    const last = index === parts.length - 1;
    offset += Buffer.byteLength(part) + (last ? 0 : 1);
    if (part === '') {
      if (!last) goodBytes = offset;
      continue;
    }
    let line: unknown;
    try {
      line = JSON.parse(part);
    } catch {
      line = undefined;
    }
    const complete = !last && typeof line === 'object' && line !== null;
    if (complete) {
      lines.push(line as JournalLine);
      goodBytes = offset;
    } else if (!last && !isTail(parts, index)) {
      throw new JournalCorrupt(`${path}: line ${index + 1} is not a JSON record; refusing to start on a damaged journal`);
    }
  }
  return { lines, goodBytes };
}

/** The unterminated or unparsable end of the file: only blank parts follow it. */
function isTail(parts: string[], index: number): boolean {
  return parts.slice(index + 1).every((part) => part === '');
}
