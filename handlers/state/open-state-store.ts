import { join } from 'node:path';
import type { AppConfig } from '../config/types.ts';
import { DataStore } from '../../workflows/engine/store/data-store.ts';
import { createLocalStateStore } from './local-state-store.ts';
import type { StateStore } from './state-store.ts';

/**
 * The state store the configuration names. Local mode journals it in `<DATA_DIR>/shared-state/`,
 * a data store of its own (with its own lock) beside the engine's. The Firestore client library
 * is loaded only when used: it costs tens of MB that local mode never needs.
 */
export async function openStateStore(config: Pick<AppConfig, 'stateStore' | 'dataDir' | 'googleCloudProject'>): Promise<StateStore> {
  const target = config.stateStore;
  if (target.kind === 'firestore') {
    const [{ createFirestore }, { createFirestoreStateStore }] = await Promise.all([import('./create-firestore.ts'), import('./firestore-state-store.ts')]);
    const firestore = createFirestore({ project: config.googleCloudProject, database: target.database, apiEndpoint: target.apiEndpoint });
    return createFirestoreStateStore({ firestore, collection: target.collection });
  }
  if (config.dataDir === null) return createLocalStateStore();
  const data = DataStore.open(join(config.dataDir, 'shared-state'));
  const store = createLocalStateStore(data.section('state'));
  data.compact();
  return {
    ...store,
    close: async () => {
      await store.close();
      data.close();
    },
  };
}
