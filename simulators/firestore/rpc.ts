import type protobuf from 'protobufjs';
import type { DocumentTable, DocumentWrite, Fields, Precondition } from './documents.ts';
import { FirestoreError } from './firestore-error.ts';
import { checkMessage } from './proto-check.ts';
import type { Transaction, TransactionTable } from './transactions.ts';

type Json = Record<string, unknown>;

export interface Database {
  /** `projects/P/databases/D` */
  readonly name: string;
  readonly documents: DocumentTable;
  readonly transactions: TransactionTable;
  readonly protos: protobuf.Root;
}

interface TransactionOptionsJson {
  readonly readOnly?: Json;
  readonly readWrite?: { readonly retryTransaction?: string; readonly concurrencyMode?: string | number };
}

function beginFrom(db: Database, options: TransactionOptionsJson | undefined): Transaction {
  const mode = options?.readWrite?.concurrencyMode;
  if (mode === 'OPTIMISTIC' || mode === 1) throw new FirestoreError('UNIMPLEMENTED', 'the simulated database runs in PESSIMISTIC concurrency mode only');
  if (options?.readOnly?.['readTime'] !== undefined) throw new FirestoreError('UNIMPLEMENTED', 'read-only transactions at a past readTime are not simulated');
  return db.transactions.begin(options?.readWrite === undefined, options?.readWrite?.retryTransaction);
}

function checkName(db: Database, name: string): string {
  if (!name.startsWith(`${db.name}/documents/`) || name.split('/').length % 2 !== 1) {
    throw new FirestoreError('INVALID_ARGUMENT', `Document name "${name}" lacks or has an invalid database or document path.`);
  }
  return name;
}

const documentJson = (name: string, stored: { fields: Fields; createTime: string; updateTime: string }) => ({ name, fields: stored.fields, createTime: stored.createTime, updateTime: stored.updateTime });

/** `documents:batchGet`, server streaming: over REST the messages come as one JSON array. */
function batchGet(db: Database, body: Json): Json[] {
  const request = body as { documents?: string[]; transaction?: string; newTransaction?: TransactionOptionsJson; readTime?: string; mask?: Json };
  if (request.readTime !== undefined || request.mask !== undefined) throw new FirestoreError('UNIMPLEMENTED', 'batchGet with readTime or mask is not simulated');
  const tx = request.transaction !== undefined ? db.transactions.open(request.transaction) : request.newTransaction !== undefined ? beginFrom(db, request.newTransaction) : null;
  const readTime = db.documents.nextTime();
  const responses = (request.documents ?? []).map((name): Json => {
    checkName(db, name);
    if (tx) db.transactions.lockShared(tx, name);
    const stored = db.documents.get(name);
    return stored ? { found: documentJson(name, stored), readTime } : { missing: name, readTime };
  });
  // The id of a transaction begun by this read comes with the first message.
  if (request.newTransaction !== undefined && tx) return responses.length === 0 ? [{ transaction: tx.id, readTime }] : [{ ...responses[0], transaction: tx.id }, ...responses.slice(1)];
  return responses;
}

function writeOf(db: Database, write: Json): DocumentWrite {
  if (write['transform'] !== undefined || write['updateTransforms'] !== undefined) throw new FirestoreError('UNIMPLEMENTED', 'field transforms are not simulated');
  const precondition = (write['currentDocument'] as Precondition | undefined) ?? null;
  if (typeof write['delete'] === 'string') return { kind: 'delete', name: checkName(db, write['delete']), precondition };
  const update = write['update'] as { name: string; fields?: Fields } | undefined;
  if (!update) throw new FirestoreError('INVALID_ARGUMENT', 'A write must have an operation: update, delete or transform.');
  const mask = (write['updateMask'] as { fieldPaths?: string[] } | undefined)?.fieldPaths ?? null;
  return { kind: 'update', name: checkName(db, update.name), fields: update.fields ?? {}, mask, precondition };
}

async function commit(db: Database, body: Json): Promise<Json> {
  const writes = ((body['writes'] as Json[] | undefined) ?? []).map((write) => writeOf(db, write));
  const tx = typeof body['transaction'] === 'string' ? db.transactions.open(body['transaction']) : null;
  if (tx?.readOnly && writes.length > 0) throw new FirestoreError('INVALID_ARGUMENT', 'Cannot modify entities in a read-only transaction.');
  try {
    await db.transactions.acquire(tx, writes.map((write) => write.name));
    const commitTime = db.documents.nextTime();
    db.documents.apply(writes, commitTime);
    if (tx) db.transactions.end(tx, 'done');
    return { writeResults: writes.map(() => ({ updateTime: commitTime })), commitTime };
  } catch (error) {
    // A failed commit ends its transaction: Firestore releases the locks of a transaction that fails.
    if (tx) db.transactions.end(tx, 'aborted');
    throw error;
  }
}

const methods: Record<string, { request: string; run: (db: Database, body: Json) => Json | Json[] | Promise<Json> }> = {
  beginTransaction: { request: 'BeginTransactionRequest', run: (db, body) => ({ transaction: beginFrom(db, body['options'] as TransactionOptionsJson | undefined).id }) },
  batchGet: { request: 'BatchGetDocumentsRequest', run: batchGet },
  commit: { request: 'CommitRequest', run: commit },
  rollback: {
    request: 'RollbackRequest',
    run: (db, body) => {
      const tx = db.transactions.open(String(body['transaction'] ?? ''));
      db.transactions.end(tx, 'aborted');
      return {};
    },
  },
};

/** Runs `documents:<method>` of the database after checking the body against the request's message type. */
export async function runMethod(db: Database, method: string, body: unknown): Promise<Json | Json[]> {
  const rpc = methods[method];
  if (!rpc) throw new FirestoreError('UNIMPLEMENTED', `documents:${method} is not simulated`);
  checkMessage(db.protos.lookupType(`google.firestore.v1.${rpc.request}`), body, rpc.request);
  return rpc.run(db, body as Json);
}
