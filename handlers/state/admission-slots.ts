import type { StateKey, StateStore } from './state-store.ts';

/** One of a template's `maxRunners` slots, held by a runner name since `at` (epoch ms). */
interface Slot {
  readonly runner: string;
  readonly at: number;
  /** The execution that went on with it (set by validate), so that a second execution of the job cannot give it back. */
  readonly execution?: string;
}

/** How many slot records a template has ever had: its largest `maxRunners`, so a lowered cap still finds the runners above it. */
interface SlotCount {
  readonly size: number;
}

export type SlotVerdict =
  | { readonly taken: true; /** This runner already held one (a task delivered twice). */ readonly already: boolean; readonly count: number }
  | { readonly taken: false; readonly count: number };

const slotKey = (templateName: string, index: number): StateKey => ({ kind: 'slot', id: `${templateName}#${index}` });
const sizeKey = (templateName: string): StateKey => ({ kind: 'slot-count', id: templateName });
/** Free slots tried one after the other before a job is told to wait, when others win them first. */
const attempts = 3;

/**
 * The runner cap as shared state: a template has `maxRunners` slot records, each held by at most
 * one runner name, so however many steps instances admit at once they cannot hold more. Taking one
 * is a plain read of the template's slots (no lock: a full template costs waiting jobs nothing
 * more), then a transaction on one free slot chosen at random, which takes it only if it is still
 * free. One record per slot rather than one per template: writes spread over `maxRunners` records
 * instead of contending for one (a Firestore document sustains about one write per second:
 * https://firebase.google.com/docs/firestore/quotas).
 * A lowered `maxRunners` takes effect as the runners in the slots above it finish.
 */
export function createAdmissionSlots(store: StateStore, now: () => number) {
  const keys = (templateName: string, from: number, to: number) => Array.from({ length: Math.max(0, to - from) }, (_, i) => slotKey(templateName, from + i));
  const grow = (templateName: string, size: number) =>
    store.update<SlotCount, null>(sizeKey(templateName), now(), (current) => ((current?.size ?? 0) >= size ? { result: null } : { result: null, write: { value: { size } } }));
  /** Every slot record of the template (at least `atLeast` of them): one read in the common case. */
  const slotsOf = async (templateName: string, atLeast = 0): Promise<(Slot | null)[]> => {
    const [count, ...slots] = await store.readMany<SlotCount | Slot>([sizeKey(templateName), ...keys(templateName, 0, atLeast)], now());
    const size = (count as SlotCount | null)?.size ?? 0;
    if (size < atLeast) await grow(templateName, atLeast);
    const more = await store.readMany<Slot>(keys(templateName, atLeast, size), now());
    return [...(slots as (Slot | null)[]), ...more];
  };
  const claim = (templateName: string, index: number, runner: string) =>
    store.update<Slot, boolean>(slotKey(templateName, index), now(), (current) => (current ? { result: current.runner === runner } : { result: true, write: { value: { runner, at: now() } } }));
  const take = async (templateName: string, runnerName: string, maxRunners: number): Promise<SlotVerdict> => {
    const slots = await slotsOf(templateName, maxRunners);
    const count = slots.filter((slot) => slot !== null).length;
    if (slots.some((slot) => slot?.runner === runnerName)) return { taken: true, already: true, count };
    if (count >= maxRunners) return { taken: false, count };
    const free = slots.flatMap((slot, index) => (slot === null && index < maxRunners ? [index] : [])).sort(() => Math.random() - 0.5);
    for (const index of free.slice(0, attempts)) {
      if (await claim(templateName, index, runnerName)) return { taken: true, already: false, count: count + 1 };
    }
    return { taken: false, count };
  };
  return {
    take,
    /**
     * Marks the runner's slot as the one `execution` goes on with (validate, before a VM is made),
     * taking one first if the runner holds none (an execution started without admission, or whose
     * slot a second execution of the job gave back a moment ago). False: the template is full.
     */
    async keep(templateName: string, runnerName: string, maxRunners: number, execution: string): Promise<boolean> {
      for (let attempt = 0; attempt < attempts; attempt += 1) {
        if (!(await take(templateName, runnerName, maxRunners)).taken) return false;
        const index = (await slotsOf(templateName)).findIndex((slot) => slot?.runner === runnerName);
        if (index < 0) continue;
        const kept = await store.update<Slot, boolean>(slotKey(templateName, index), now(), (current) => {
          if (current?.runner !== runnerName) return { result: false };
          // Kept by another execution of the same job already: that one's VM settles which goes on (create-vm).
          return current.execution !== undefined ? { result: true } : { result: true, write: { value: { ...current, execution } } };
        });
        if (kept) return true;
      }
      return false;
    },
    /** Frees the runner's slot; true when it held one. `onlyIfNotKept`: not if another execution than this one keeps it. */
    async release(templateName: string, runnerName: string, onlyIfNotKept?: { by: string | undefined }): Promise<boolean> {
      const index = (await slotsOf(templateName)).findIndex((slot) => slot?.runner === runnerName);
      if (index < 0) return false;
      const keptByOther = (slot: Slot) => onlyIfNotKept !== undefined && slot.execution !== undefined && slot.execution !== onlyIfNotKept.by;
      return store.update<Slot, boolean>(slotKey(templateName, index), now(), (current) =>
        current?.runner === runnerName && !keptByOther(current) ? { result: true, write: { value: null } } : { result: false },
      );
    },
    /** Runner name → when it took its slot. */
    async holders(templateName: string): Promise<Readonly<Record<string, number>>> {
      return Object.fromEntries((await slotsOf(templateName)).flatMap((slot) => (slot ? [[slot.runner, slot.at]] : [])));
    },
  };
}

export type AdmissionSlots = ReturnType<typeof createAdmissionSlots>;
