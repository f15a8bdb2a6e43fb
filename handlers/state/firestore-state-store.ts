import { Timestamp, type DocumentSnapshot, type Firestore } from '@google-cloud/firestore';
import type { StateChange, StateKey, StateStore } from './state-store.ts';

/** The TTL field: terraform's `google_firestore_field` names it for the collection. */
export const expiryField = 'expireAt';

interface StoredRecord {
  readonly value?: string;
  readonly expireAt?: Timestamp;
}

/**
 * Firestore's document ids may not contain `/` (and `__.*__` is reserved): the id is the kind and
 * the URI-encoded name, `slots~linux-small`, which keeps ids readable in the console.
 */
export function documentIdOf(key: StateKey): string {
  return `${key.kind}~${encodeURIComponent(key.id)}`;
}

function valueOf<T>(snapshot: DocumentSnapshot, now: number): T | null {
  if (!snapshot.exists) return null;
  const record = snapshot.data() as StoredRecord;
  // TTL deletion runs within about a day of expiry, not at it: an expired record reads as absent.
  // https://cloud.google.com/firestore/docs/ttl
  if (record.expireAt !== undefined && record.expireAt.toMillis() <= now) return null;
  return record.value === undefined ? null : (JSON.parse(record.value) as T);
}

export interface FirestoreStateStoreOptions {
  readonly firestore: Firestore;
  /** Every record is a document of this collection (one TTL policy covers them all). */
  readonly collection: string;
}

/**
 * The state store on Google Cloud: one Firestore document per record, each change in a
 * read-write transaction, which locks what it reads (pessimistic mode) so that nothing else can
 * change it before the commit; of two that conflict one is ABORTED, and the client library runs
 * its function again on the new value, up to 5 attempts.
 */
export function createFirestoreStateStore(options: FirestoreStateStoreOptions): StateStore {
  const { firestore } = options;
  const collection = firestore.collection(options.collection);
  return {
    read: async <T>(key: StateKey, now: number) => valueOf<T>(await collection.doc(documentIdOf(key)).get(), now),
    readMany: async <T>(keys: readonly StateKey[], now: number) => {
      if (keys.length === 0) return [];
      const snapshots = await firestore.getAll(...keys.map((key) => collection.doc(documentIdOf(key))));
      return snapshots.map((snapshot) => valueOf<T>(snapshot, now));
    },
    update: <T, R>(key: StateKey, now: number, change: (current: T | null) => StateChange<T, R>) => {
      const document = collection.doc(documentIdOf(key));
      return firestore.runTransaction(async (transaction) => {
        const { result, write } = change(valueOf<T>(await transaction.get(document), now));
        if (write === undefined) return result;
        if (write.value === null) transaction.delete(document);
        else transaction.set(document, { value: JSON.stringify(write.value), ...(write.expiresAt === undefined ? {} : { [expiryField]: Timestamp.fromMillis(write.expiresAt) }) });
        return result;
      });
    },
    close: () => firestore.terminate(),
  };
}
