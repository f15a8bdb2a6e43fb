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

/** Which slot a runner asked for last: written before the claim, so a runner that holds a slot always has one (see take). */
interface Pointer {
  readonly index: number;
}

/** What this instance believes of a template's slots since it last read them all: which are free (in random order), how many are held. */
interface Hint {
  readonly free: number[];
  count: number;
}

export type SlotVerdict =
  | { readonly taken: true; /** This runner already held one (a task delivered twice). */ readonly already: boolean; readonly count: number }
  | { readonly taken: false; readonly count: number };

const slotKey = (templateName: string, index: number): StateKey => ({ kind: 'slot', id: `${templateName}#${index}` });
const sizeKey = (templateName: string): StateKey => ({ kind: 'slot-count', id: templateName });
const pointerKey = (templateName: string, runner: string): StateKey => ({ kind: 'slot-of', id: `${templateName}#${runner}` });
/** Claims tried before a job is told to wait, when others win the slots first. */
const attempts = 3;
/**
 * A pointer is deleted with its slot; one left by a crash, or by a job that never got a slot,
 * expires. A week is far beyond the life of a slot's runner (a VM's idle timeout plus its
 * maxRunDuration, hours) and of the queue's redeliveries; past it, a slot is still found by reading all.
 */
const pointerTtlMs = 7 * 24 * 3600_000;

const shuffled = (indices: number[]) => {
  for (let i = indices.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [indices[i], indices[j]] = [indices[j]!, indices[i]!];
  }
  return indices;
};

/**
 * The runner cap as shared state: a template has `maxRunners` slot records, each held by at most
 * one runner name, so however many steps instances admit at once they cannot hold more. A slot is
 * taken by a transaction on that one slot, which takes it only if it is still free. One record per
 * slot rather than one per template: writes spread over `maxRunners` records instead of contending
 * for one (a Firestore document sustains about one write per second:
 * https://firebase.google.com/docs/firestore/quotas).
 *
 * Taking one costs a few records, not `maxRunners` of them (2,000 reads per job, in Firestore
 * billed ones): the runner's pointer says which slot it holds, and this instance's hint says which
 * slots were free when it last read them all. A hint is only a guess (others take and free slots
 * meanwhile): the claim's transaction decides, and a lost claim, an empty hint or a full verdict
 * reads every slot again, so "full" is always said of the template as it is.
 * A lowered `maxRunners` takes effect as the runners in the slots above it finish.
 */
export function createAdmissionSlots(store: StateStore, now: () => number) {
  const hints = new Map<string, Hint>();
  const keys = (templateName: string, from: number, to: number) => Array.from({ length: Math.max(0, to - from) }, (_, i) => slotKey(templateName, from + i));
  const grow = (templateName: string, size: number) =>
    store.update<SlotCount, null>(sizeKey(templateName), now(), (current) => ((current?.size ?? 0) >= size ? { result: null } : { result: null, write: { value: { size } } }));
  /** Every slot record of the template (at least `atLeast` of them). */
  const slotsOf = async (templateName: string, atLeast = 0): Promise<(Slot | null)[]> => {
    const [count, ...slots] = await store.readMany<SlotCount | Slot>([sizeKey(templateName), ...keys(templateName, 0, atLeast)], now());
    const size = (count as SlotCount | null)?.size ?? 0;
    if (size < atLeast) await grow(templateName, atLeast);
    const more = await store.readMany<Slot>(keys(templateName, atLeast, size), now());
    return [...(slots as (Slot | null)[]), ...more];
  };
  /** Reads every slot, and renews this instance's hint from what it read. */
  const scan = async (templateName: string, maxRunners: number) => {
    const slots = await slotsOf(templateName, maxRunners);
    const hint = { free: shuffled(slots.flatMap((slot, index) => (slot === null && index < maxRunners ? [index] : []))), count: slots.filter((slot) => slot !== null).length };
    hints.set(templateName, hint);
    return { slots, hint };
  };
  const point = (templateName: string, runner: string, index: number) =>
    store.update<Pointer, null>(pointerKey(templateName, runner), now(), () => ({ result: null, write: { value: { index }, expiresAt: now() + pointerTtlMs } }));
  /** The index of the runner's slot, or -1: its pointer checked against the slot, else (no pointer, or a stale one) every slot read. */
  const indexOf = async (templateName: string, runner: string): Promise<number> => {
    const pointer = await store.read<Pointer>(pointerKey(templateName, runner), now());
    if (pointer && (await store.read<Slot>(slotKey(templateName, pointer.index), now()))?.runner === runner) return pointer.index;
    return (await slotsOf(templateName)).findIndex((slot) => slot?.runner === runner);
  };
  const claim = (templateName: string, index: number, runner: string) =>
    store.update<Slot, boolean>(slotKey(templateName, index), now(), (current) => (current ? { result: current.runner === runner } : { result: true, write: { value: { runner, at: now() } } }));
  /**
   * Why a pointer without a slot proves the runner holds none: each claim is preceded by writing
   * the runner's pointer to the slot it claims. Two takes of one runner at the same moment can each
   * take a slot (as when every slot was read): the cap holds, the second slot waits for the reaper.
   */
  const take = async (templateName: string, runnerName: string, maxRunners: number): Promise<SlotVerdict> => {
    const [count, pointer] = await store.readMany<SlotCount | Pointer>([sizeKey(templateName), pointerKey(templateName, runnerName)], now());
    if (((count as SlotCount | null)?.size ?? 0) < maxRunners) await grow(templateName, maxRunners);
    const known = hints.get(templateName)?.count ?? 0;
    if (pointer && (await store.read<Slot>(slotKey(templateName, (pointer as Pointer).index), now()))?.runner === runnerName) return { taken: true, already: true, count: known };
    let scanned = false;
    for (let tried = 0; tried < attempts; ) {
      let hint = hints.get(templateName);
      if (!hint?.free.length) {
        if (scanned) break;
        scanned = true;
        const read = await scan(templateName, maxRunners);
        hint = read.hint;
        const held = read.slots.findIndex((slot) => slot?.runner === runnerName);
        if (held >= 0) return { taken: true, already: true, count: hint.count }; // taken before pointers were kept
        if (hint.count >= maxRunners) return { taken: false, count: hint.count };
      }
      const index = hint.free.pop()!;
      if (index >= maxRunners) continue; // the cap was lowered since the hint was read
      tried += 1;
      await point(templateName, runnerName, index);
      if (await claim(templateName, index, runnerName)) return { taken: true, already: false, count: (hint.count += 1) };
      hints.delete(templateName); // another instance won it: this hint is out of date
    }
    return { taken: false, count: hints.get(templateName)?.count ?? known };
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
        const index = await indexOf(templateName, runnerName);
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
      const index = await indexOf(templateName, runnerName);
      if (index < 0) return false;
      const keptByOther = (slot: Slot) => onlyIfNotKept !== undefined && slot.execution !== undefined && slot.execution !== onlyIfNotKept.by;
      const freed = await store.update<Slot, boolean>(slotKey(templateName, index), now(), (current) =>
        current?.runner === runnerName && !keptByOther(current) ? { result: true, write: { value: null } } : { result: false },
      );
      if (!freed) return false;
      await store.update<Pointer, null>(pointerKey(templateName, runnerName), now(), (current) => (current?.index === index ? { result: null, write: { value: null } } : { result: null }));
      const hint = hints.get(templateName);
      if (hint) {
        hint.free.push(index);
        hint.count = Math.max(0, hint.count - 1);
      }
      return true;
    },
    /** Runner name → when it took its slot. */
    async holders(templateName: string): Promise<Readonly<Record<string, number>>> {
      return Object.fromEntries((await slotsOf(templateName)).flatMap((slot) => (slot ? [[slot.runner, slot.at]] : [])));
    },
  };
}

export type AdmissionSlots = ReturnType<typeof createAdmissionSlots>;
