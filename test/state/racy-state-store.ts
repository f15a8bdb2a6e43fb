import type { Firestore } from '@google-cloud/firestore';
import { documentIdOf } from '../../handlers/state/firestore-state-store.ts';
import type { StateStore } from '../../handlers/state/state-store.ts';

/**
 * The Firestore store with its transaction removed: a plain read, then a plain write. It exists
 * only to show that the tests fail without the transaction (never use it in the service).
 */
export function createRacyStateStore(firestore: Firestore, collection: string): StateStore {
  const documentOf = (key: { kind: string; id: string }) => firestore.collection(collection).doc(documentIdOf(key));
  const read = async <T>(key: { kind: string; id: string }): Promise<T | null> => {
    const snapshot = await documentOf(key).get();
    return snapshot.exists ? (JSON.parse(String(snapshot.get('value'))) as T) : null;
  };
  return {
    read: (key) => read(key),
    readMany: <T>(keys: readonly { kind: string; id: string }[]) => Promise.all(keys.map((key) => read<T>(key))),
    async update(key, _now, change) {
      const { result, write } = change(await read(key));
      if (write?.value === null) await documentOf(key).delete();
      else if (write) await documentOf(key).set({ value: JSON.stringify(write.value) });
      return result;
    },
    close: () => firestore.terminate(),
  };
}
