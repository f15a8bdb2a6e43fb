import { warmRunnerName } from '../runner-name.ts';
import type { StateKey, StateStore } from '../state/state-store.ts';

/** A queued job counting on a seat's runner to take it, until `until` (epoch ms). */
export interface SeatClaim {
  readonly jobId: number;
  readonly until: number;
}

/**
 * One place of a template's warm pool. `runner` is the idle (or booting) runner filling it, null
 * while the seat is closed; `generation` only grows, so a runner name is never used twice.
 */
export interface Seat {
  readonly generation: number;
  readonly runner: string | null;
  /** When this runner took the seat (epoch ms). */
  readonly since: number;
  readonly claim?: SeatClaim;
}

const seatKey = (templateName: string, seat: number): StateKey => ({ kind: 'warm-seat', id: `${templateName}#${seat}` });
/** Seats tried one after the other when other jobs claim them first. */
const attempts = 3;

/**
 * The warm pools' seats in the shared state store, one record per seat (claims spread over them,
 * as runner slots do). Every change is a transaction conditioned on the runner the caller saw, so
 * two instances acting on the same event change a seat once.
 */
export function createWarmSeats(store: StateStore, now: () => number) {
  const keys = (templateName: string, count: number) => Array.from({ length: count }, (_, seat) => seatKey(templateName, seat));
  const read = (templateName: string, count: number) => store.readMany<Seat>(keys(templateName, count), now());
  const live = (claim: SeatClaim | undefined) => claim !== undefined && claim.until > now();
  return {
    read,
    one: (templateName: string, seat: number) => store.read<Seat>(seatKey(templateName, seat), now()),
    /**
     * Moves the seat on from `expected` (null: a closed or new seat): a new generation when `open`,
     * else closed. Returns the new runner's name, or null when it opened none (closed, or the seat
     * no longer held `expected`: another instance moved it on).
     */
    advance(templateName: string, seat: number, expected: string | null, open: boolean): Promise<string | null> {
      return store.update<Seat, string | null>(seatKey(templateName, seat), now(), (current) => {
        if ((current?.runner ?? null) !== expected) return { result: null };
        if (!open && current === null) return { result: null };
        const generation = (current?.generation ?? 0) + 1;
        const runner = open ? warmRunnerName(templateName, seat, generation) : null;
        return { result: runner, write: { value: { generation: open ? generation : (current?.generation ?? 0), runner, since: now() } } };
      });
    },
    /** Claims an idle seat's runner for the job; true also when the job already holds one. */
    async claim(templateName: string, count: number, jobId: number, ttlMs: number): Promise<boolean> {
      for (let attempt = 0; attempt < attempts; attempt += 1) {
        const seats = await read(templateName, count);
        if (seats.some((seat) => seat?.claim?.jobId === jobId && live(seat.claim))) return true;
        const free = seats.flatMap((seat, index) => (seat?.runner && !live(seat.claim) ? [{ index, runner: seat.runner }] : []));
        if (free.length === 0) return false;
        // Chosen by the job: two deliveries of one job pick the same seat (one claim, not two),
        // different jobs spread over the free ones.
        const chosen = free[jobId % free.length]!;
        const claimed = await store.update<Seat, boolean>(seatKey(templateName, chosen.index), now(), (current) => {
          if (current?.runner !== chosen.runner) return { result: false };
          if (live(current.claim)) return { result: current.claim?.jobId === jobId };
          return { result: true, write: { value: { ...current, claim: { jobId, until: now() + ttlMs } } } };
        });
        if (claimed) return true;
      }
      return false;
    },
    /** The runner the job's live claim counts on, if it holds one. */
    async claimOf(templateName: string, count: number, jobId: number): Promise<{ seat: number; runner: string } | null> {
      const seats = await read(templateName, count);
      const index = seats.findIndex((seat) => seat?.claim?.jobId === jobId && live(seat.claim));
      const seat = seats[index];
      return seat?.runner ? { seat: index, runner: seat.runner } : null;
    },
    /** Gives the job's claim back (it no longer waits): the seat's runner can be counted on by another job. */
    async releaseClaim(templateName: string, count: number, jobId: number): Promise<void> {
      const held = await this.claimOf(templateName, count, jobId);
      if (held === null) return;
      await store.update<Seat, null>(seatKey(templateName, held.seat), now(), (current) => {
        if (current?.claim?.jobId !== jobId) return { result: null };
        const { claim: _released, ...rest } = current;
        return { result: null, write: { value: rest } };
      });
    },
  };
}

export type WarmSeats = ReturnType<typeof createWarmSeats>;
