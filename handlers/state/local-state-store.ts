import type { StoreSection } from '../../workflows/engine/store/data-store.ts';
import type { StateChange, StateKey, StateStore } from './state-store.ts';

interface Entry {
  readonly value: unknown;
  readonly expiresAt: number | null;
}

const keyOf = (key: StateKey) => `${key.kind}/${key.id}`;

/**
 * The state store of single-machine mode: a map in this process, journalled to a section of the
 * embedded data store when a data directory is set (the directory's lock keeps a second process
 * out, so this process is the only writer and a change that runs synchronously is atomic).
 */
export function createLocalStateStore(section?: StoreSection): StateStore {
  const entries = new Map<string, Entry>();
  for (const line of section?.lines ?? []) {
    const { k, v, x } = line as { k: string; v: unknown; x: number | null };
    if (v === null) entries.delete(k);
    else entries.set(k, { value: v, expiresAt: x });
  }
  section?.snapshot(() => [...entries].map(([k, entry]) => ({ k, v: entry.value, x: entry.expiresAt })));
  const live = (name: string, now: number): Entry | undefined => {
    const entry = entries.get(name);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= now) {
      entries.delete(name);
      section?.append({ k: name, v: null, x: null });
      return undefined;
    }
    return entry;
  };
  return {
    read: async <T>(key: StateKey, now: number) => (live(keyOf(key), now)?.value ?? null) as T | null,
    readMany: async <T>(keys: readonly StateKey[], now: number) => keys.map((key) => (live(keyOf(key), now)?.value ?? null) as T | null),
    update: async <T, R>(key: StateKey, now: number, change: (current: T | null) => StateChange<T, R>) => {
      const name = keyOf(key);
      const { result, write } = change((live(name, now)?.value ?? null) as T | null);
      if (write === undefined) return result;
      if (write.value === null) entries.delete(name);
      else entries.set(name, { value: write.value, expiresAt: write.expiresAt ?? null });
      section?.append({ k: name, v: write.value, x: write.expiresAt ?? null });
      return result;
    },
    close: async () => {
      await section?.sync();
    },
  };
}
