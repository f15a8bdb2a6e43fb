import type { StateStore } from '../state/state-store.ts';
import type { RunnerEvent } from './ports.ts';

/** An hour: an execution checks its VM every few minutes (the template's vmCheckInterval). */
const keepMs = 60 * 60_000;
/** A runner has two events of its own; more are repeats, kept within a bound. */
const maxEventsPerRunner = 20;

interface Kept {
  readonly events: readonly RunnerEvent[];
}

const keyOf = (runnerName: string) => ({ kind: 'lost-events', id: runnerName });

/**
 * Runner events that arrived after their VM was gone (a spot VM preempted mid-job): with no VM
 * there is no callback URL to route them by, so they wait here for their execution's next VM
 * check, which learns from them which job ran. In the shared state store: the instance that
 * dispatched the event need not be the one that answers the check. Forgotten after an hour.
 */
export class LostRunnerEvents {
  readonly #store: StateStore;
  constructor(store: StateStore) {
    this.#store = store;
  }

  record(event: RunnerEvent, now: number): Promise<void> {
    return this.#store.update<Kept, void>(keyOf(event.runnerName), now, (current) => ({
      result: undefined,
      write: { value: { events: [...(current?.events ?? []), event].slice(-maxEventsPerRunner) }, expiresAt: now + keepMs },
    }));
  }

  async of(runnerName: string, now: number): Promise<readonly RunnerEvent[]> {
    return (await this.#store.read<Kept>(keyOf(runnerName), now))?.events ?? [];
  }
}
