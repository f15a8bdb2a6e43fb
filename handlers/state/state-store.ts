/** One record of the shared state: `kind` groups records (admission slots, spot, lost events), `id` names one. */
export interface StateKey {
  readonly kind: string;
  readonly id: string;
}

/** What a change decides: its result, and the record's new value (`null` deletes it; absent: no write). */
export interface StateChange<T, R> {
  readonly result: R;
  readonly write?: {
    readonly value: T | null;
    /** Epoch ms after which the record reads as absent (and Firestore's TTL policy deletes it). */
    readonly expiresAt?: number;
  };
}

/**
 * The state the steps service's promises rest on (the runner cap, spot re-runs and pauses, events
 * of lost VMs), shared by every instance and kept across restarts: Firestore on Google Cloud, the
 * embedded journal on one machine. Values are JSON. `update` is atomic: `change` sees the current
 * value and what it writes is committed only if no other writer changed the record in between
 * (otherwise `change` runs again on the new value), so it must have no effect of its own.
 */
export interface StateStore {
  read<T>(key: StateKey, now: number): Promise<T | null>;
  /** Several records in one call, in order; a plain read that takes no lock (what it returns may change at once). */
  readMany<T>(keys: readonly StateKey[], now: number): Promise<(T | null)[]>;
  update<T, R>(key: StateKey, now: number, change: (current: T | null) => StateChange<T, R>): Promise<R>;
  close(): Promise<void>;
}
