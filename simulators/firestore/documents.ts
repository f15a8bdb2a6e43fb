import { FirestoreError } from './firestore-error.ts';

export type Fields = Readonly<Record<string, unknown>>;

export interface StoredDocument {
  readonly fields: Fields;
  /** RFC 3339 with microseconds, as Firestore gives them; strictly increasing across writes. */
  readonly createTime: string;
  readonly updateTime: string;
}

export interface Precondition {
  readonly exists?: boolean;
  readonly updateTime?: string;
}

export type DocumentWrite =
  | { readonly kind: 'update'; readonly name: string; readonly fields: Fields; readonly mask: readonly string[] | null; readonly precondition: Precondition | null }
  | { readonly kind: 'delete'; readonly name: string; readonly precondition: Precondition | null };

/** The documents of one database, by full resource name. */
export class DocumentTable {
  readonly #documents = new Map<string, StoredDocument>();
  readonly #now: () => number;
  #lastMicros = 0;

  constructor(now: () => number) {
    this.#now = now;
  }

  get(name: string): StoredDocument | undefined {
    return this.#documents.get(name);
  }

  names(): string[] {
    return [...this.#documents.keys()];
  }

  /** A commit time later than any before: Firestore orders writes by it. */
  nextTime(): string {
    this.#lastMicros = Math.max(this.#lastMicros + 1, this.#now() * 1000);
    const millis = Math.floor(this.#lastMicros / 1000);
    return new Date(millis).toISOString().replace(/\.(\d{3})Z$/, (_, ms: string) => `.${ms}${String(this.#lastMicros % 1000).padStart(3, '0')}Z`);
  }

  /** Checks every precondition first, then applies all writes: a commit is all or nothing. */
  apply(writes: readonly DocumentWrite[], time: string): void {
    for (const write of writes) checkPrecondition(write.name, this.#documents.get(write.name), write.precondition);
    for (const write of writes) {
      if (write.kind === 'delete') {
        this.#documents.delete(write.name);
        continue;
      }
      const current = this.#documents.get(write.name);
      const fields = write.mask === null ? write.fields : mergeMasked(current?.fields ?? {}, write.fields, write.mask);
      this.#documents.set(write.name, { fields, createTime: current?.createTime ?? time, updateTime: time });
    }
  }

  delete(name: string): void {
    this.#documents.delete(name);
  }
}

function checkPrecondition(name: string, current: StoredDocument | undefined, precondition: Precondition | null): void {
  if (precondition === null) return;
  if (precondition.exists === false && current) throw new FirestoreError('ALREADY_EXISTS', `Document already exists: ${name}`);
  if (precondition.exists === true && !current) throw new FirestoreError('NOT_FOUND', `No document to update: ${name}`);
  if (precondition.updateTime !== undefined && Date.parse(precondition.updateTime) !== Date.parse(current?.updateTime ?? '')) {
    throw new FirestoreError('FAILED_PRECONDITION', `the stored version of ${name} does not match the required base version`);
  }
}

/** Top-level field paths only: the paths this project's writes use; anything deeper is refused, not guessed. */
function mergeMasked(current: Fields, given: Fields, mask: readonly string[]): Fields {
  const merged: Record<string, unknown> = { ...current };
  for (const path of mask) {
    if (path.includes('.') || path.includes('`')) throw new FirestoreError('UNIMPLEMENTED', `the simulator applies top-level field paths only, not ${path}`);
    if (path in given) merged[path] = given[path];
    else delete merged[path];
  }
  return merged;
}
