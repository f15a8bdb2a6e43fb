import { randomBytes } from 'node:crypto';
import { contention, FirestoreError } from './firestore-error.ts';

export interface Transaction {
  readonly id: string;
  /** Older (smaller) wins a conflict: wound-wait. A retry keeps the age of the attempt it retries. */
  readonly age: number;
  readonly readOnly: boolean;
  state: 'open' | 'aborted' | 'done';
  lastActive: number;
  readonly locks: Set<string>;
}

/** Transaction ids travel as base64 bytes; the client may re-encode them either way. */
const normalize = (id: string) => Buffer.from(id, 'base64').toString('base64');

/**
 * Transactions of a Firestore database in PESSIMISTIC concurrency mode (the default of the
 * Standard edition, and what terraform/firestore.tf sets): a read in a read-write transaction
 * takes a shared lock on the document; a commit needs every document it writes free of other
 * transactions' locks. A younger holder is aborted (wounded) by an older committer; an older
 * holder makes the committer wait. A transaction idle for `idleExpiryMs` expires and releases
 * its locks (Firestore: 270 s in all, 60 s idle), as one left open by a crashed client does.
 * https://cloud.google.com/firestore/docs/transaction-data-contention
 * https://firebase.google.com/docs/firestore/quotas (transaction time limit)
 */
export class TransactionTable {
  readonly #byId = new Map<string, Transaction>();
  readonly #open = new Set<Transaction>();
  /** Ended transactions, oldest first: kept a while so a retry can inherit its attempt's age. */
  #ended: Transaction[] = [];
  readonly #holders = new Map<string, Set<Transaction>>();
  #waiters: (() => void)[] = [];
  #nextAge = 1;
  readonly #now: () => number;
  readonly #idleExpiryMs: number;
  /** Transactions aborted by contention: wounded by an older one, or expired while idle. */
  contended = 0;

  constructor(now: () => number, idleExpiryMs: number) {
    this.#now = now;
    this.#idleExpiryMs = idleExpiryMs;
  }

  begin(readOnly: boolean, retrying?: string): Transaction {
    const previous = retrying === undefined ? undefined : this.#byId.get(normalize(retrying));
    const tx: Transaction = { id: randomBytes(16).toString('base64'), age: previous?.age ?? this.#nextAge++, readOnly, state: 'open', lastActive: this.#now(), locks: new Set() };
    this.#byId.set(tx.id, tx);
    this.#open.add(tx);
    return tx;
  }

  /** The open transaction of that id; ABORTED once wounded or expired. */
  open(id: string): Transaction {
    this.#expireIdle();
    const tx = this.#byId.get(normalize(id));
    if (!tx || tx.state === 'done') throw new FirestoreError('INVALID_ARGUMENT', 'The referenced transaction has expired or is no longer valid.');
    if (tx.state === 'aborted') throw contention();
    tx.lastActive = this.#now();
    return tx;
  }

  lockShared(tx: Transaction, document: string): void {
    if (tx.readOnly) return;
    tx.locks.add(document);
    const holders = this.#holders.get(document) ?? new Set();
    holders.add(tx);
    this.#holders.set(document, holders);
  }

  /** Resolves once `documents` are free for `tx` to write (null: a write outside any transaction, the youngest of all). */
  async acquire(tx: Transaction | null, documents: readonly string[]): Promise<void> {
    for (;;) {
      this.#expireIdle();
      if (tx?.state === 'aborted') throw contention();
      let blocked = false;
      for (const document of documents) {
        for (const holder of this.#holders.get(document) ?? []) {
          if (holder === tx) continue;
          if (tx !== null && holder.age > tx.age) this.#abort(holder);
          else blocked = true;
        }
      }
      if (!blocked) return;
      if (tx) tx.lastActive = this.#now();
      // Woken when a transaction ends; the timer notices idle expiry.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.#waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
  }

  end(tx: Transaction, state: 'aborted' | 'done'): void {
    if (tx.state !== 'open') return;
    tx.state = state;
    this.#open.delete(tx);
    this.#ended.push(tx);
    for (const document of tx.locks) this.#holders.get(document)?.delete(tx);
    tx.locks.clear();
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  #abort(tx: Transaction): void {
    this.contended += 1;
    this.end(tx, 'aborted');
  }

  #expireIdle(): void {
    const cutoff = this.#now() - this.#idleExpiryMs;
    for (const tx of this.#open) if (tx.lastActive < cutoff) this.#abort(tx);
    const forgotten = this.#ended.findIndex((tx) => tx.lastActive >= cutoff - this.#idleExpiryMs);
    for (const tx of this.#ended.splice(0, forgotten < 0 ? this.#ended.length : forgotten)) this.#byId.delete(tx.id);
  }
}
