import type { StateStore } from './state-store.ts';

/** Who holds a template's runner slots: runner name → when the slot was taken (epoch ms). */
export interface SlotHolders {
  readonly runners: Readonly<Record<string, number>>;
}

export type SlotVerdict =
  | { readonly taken: true; /** This runner already held it (a task delivered twice). */ readonly already: boolean; readonly count: number }
  | { readonly taken: false; readonly count: number };

const keyOf = (templateName: string) => ({ kind: 'slots', id: templateName });

/**
 * The runner cap as shared state: one record per template holds the runner names that have a
 * slot. Taking one is a transaction that adds the name only while fewer than `maxRunners` are
 * held, so any number of steps instances together never admit more.
 */
export function createAdmissionSlots(store: StateStore, now: () => number) {
  return {
    take(templateName: string, runnerName: string, maxRunners: number): Promise<SlotVerdict> {
      return store.update<SlotHolders, SlotVerdict>(keyOf(templateName), now(), (current) => {
        const runners = current?.runners ?? {};
        const count = Object.keys(runners).length;
        if (runnerName in runners) return { result: { taken: true, already: true, count } };
        if (count >= maxRunners) return { result: { taken: false, count } };
        return { result: { taken: true, already: false, count: count + 1 }, write: { value: { runners: { ...runners, [runnerName]: now() } } } };
      });
    },
    /** Frees the runner's slot; true when it held one. */
    release(templateName: string, runnerName: string): Promise<boolean> {
      return store.update<SlotHolders, boolean>(keyOf(templateName), now(), (current) => {
        if (!current || !(runnerName in current.runners)) return { result: false };
        const rest = Object.fromEntries(Object.entries(current.runners).filter(([name]) => name !== runnerName));
        return { result: true, write: { value: Object.keys(rest).length === 0 ? null : { runners: rest } } };
      });
    },
    async holders(templateName: string): Promise<Readonly<Record<string, number>>> {
      return (await store.read<SlotHolders>(keyOf(templateName), now()))?.runners ?? {};
    },
  };
}

export type AdmissionSlots = ReturnType<typeof createAdmissionSlots>;
