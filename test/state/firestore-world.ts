import { createFirestore } from '../../handlers/state/create-firestore.ts';
import { createFirestoreStateStore } from '../../handlers/state/firestore-state-store.ts';
import type { StateStore } from '../../handlers/state/state-store.ts';
import { startFirestoreSimulator, type FirestoreSimulator, type FirestoreSimulatorOptions } from '../../simulators/firestore/start-firestore-simulator.ts';

export const project = 'runner-project';
export const database = 'github-runner';

export interface FirestoreWorld {
  readonly simulator: FirestoreSimulator;
  /** A new client (each is one steps instance's) over the same database. */
  store(): StateStore;
  close(): Promise<void>;
}

/** The Firestore simulator and real @google-cloud/firestore clients pointed at it, as the service builds them. */
export async function startFirestoreWorld(options: FirestoreSimulatorOptions = {}): Promise<FirestoreWorld> {
  const simulator = await startFirestoreSimulator({ project, database, ...options });
  const stores: StateStore[] = [];
  return {
    simulator,
    store() {
      const store = createFirestoreStateStore({ firestore: createFirestore({ project, database, apiEndpoint: simulator.url }), collection: 'github-runner' });
      stores.push(store);
      return store;
    },
    async close() {
      await Promise.all(stores.map((store) => store.close()));
      await simulator.close();
    },
  };
}
