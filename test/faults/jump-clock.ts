import type { Clock } from '../../handlers/clock.ts';
import type { EngineClock } from '../../workflows/engine/clock.ts';

/**
 * Real time that a test can move ahead, for the engine and the steps at once. Unlike ManualClock,
 * everything runs by itself (retry backoffs, callback timeouts, the simulators' timers); `jump`
 * only skips what would take minutes: the half-hour between the reaper's two looks, the minute a
 * create-vm requestId lives, the 10-minute boot grace that keeps the reaper off a young VM. A jump
 * wakes every sleep it makes due, as a clock that had really moved would.
 */
export class JumpClock implements EngineClock, Clock {
  #offset = 0;
  readonly #sleepers = new Map<() => void, number>();

  now(): number {
    return Date.now() + this.#offset;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const end = this.now() + Math.max(0, ms);
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(timer);
        this.#sleepers.delete(check);
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        done();
        reject(signal?.reason);
      };
      const check = () => {
        clearTimeout(timer);
        const left = end - this.now();
        if (left <= 0) {
          done();
          resolve();
          return;
        }
        timer = setTimeout(check, Math.min(left, 2 ** 31 - 1));
      };
      this.#sleepers.set(check, end);
      signal?.addEventListener('abort', onAbort, { once: true });
      check();
    });
  }

  /** Moves time forward by `ms` and wakes the sleeps now due. */
  jump(ms: number): void {
    this.#offset += ms;
    for (const check of [...this.#sleepers.keys()]) check();
  }

  /** The longest time any pending sleep still has to go, in ms (0 when none). */
  longestPendingSleep(): number {
    return Math.max(0, ...[...this.#sleepers.values()].map((end) => end - this.now()));
  }
}
