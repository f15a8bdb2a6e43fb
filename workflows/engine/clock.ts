/**
 * Time as the engine sees it. Sleeps, retry backoff and callback timeouts all go through
 * `sleep`, so a test can drive them with `ManualClock` instead of waiting.
 */
export interface EngineClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with `signal.reason` if the signal aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

// setTimeout holds at most 2^31-1 ms (about 24.8 days); longer sleeps are chained.
const maxTimerMs = 2 ** 31 - 1;

export const systemEngineClock: EngineClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => new SystemSleep(Date.now() + Math.max(0, ms), signal).promise,
};

/**
 * One sleep on the system clock. A class, its abort listener `handleEvent` and its timer given
 * itself as argument, so a pending sleep (one per waiting execution) holds no closures.
 */
class SystemSleep {
  readonly promise: Promise<void>;
  private resolve: () => void = ignore;
  private reject: (reason: unknown) => void = ignore;
  private timer: NodeJS.Timeout | undefined;

  private readonly end: number;
  private readonly signal: AbortSignal | undefined;
  constructor(end: number, signal: AbortSignal | undefined) {
    this.end = end;
    this.signal = signal;
    this.promise = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    if (signal?.aborted) {
      this.reject(signal.reason);
      return;
    }
    signal?.addEventListener('abort', this, { once: true });
    this.arm();
  }

  /** The signal aborted. */
  handleEvent(): void {
    clearTimeout(this.timer);
    this.reject(this.signal?.reason);
  }

  private arm(): void {
    this.timer = setTimeout(fire, Math.min(maxTimerMs, Math.max(0, this.end - Date.now())), this);
  }

  fired(): void {
    if (this.end - Date.now() > 0) return this.arm();
    this.signal?.removeEventListener('abort', this);
    this.resolve();
  }
}

function fire(sleep: SystemSleep): void {
  sleep.fired();
}

function ignore(): void {}

interface Timer {
  at: number;
  seq: number;
  fire: () => void;
}

/**
 * A clock that moves only when told. `sleeps` records every delay asked for, in order, so a test
 * can assert exact backoff; `runUntilIdle` fires timers one by one, letting the executions run in
 * between, until none is left.
 */
export class ManualClock implements EngineClock {
  readonly sleeps: number[] = [];
  private current: number;
  private timers: Timer[] = [];
  private seq = 0;

  constructor(startMs = Date.UTC(2025, 0, 1)) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer: Timer = { at: this.current + Math.max(0, ms), seq: this.seq++, fire: () => undefined };
      const onAbort = (): void => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(signal?.reason);
      };
      timer.fire = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
    });
  }

  /** Moves time forward by `ms`, firing the timers due on the way in order. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await settle();
    for (let next = this.earliest(); next && next.at <= target; next = this.earliest()) {
      this.current = Math.max(this.current, next.at);
      this.timers = this.timers.filter((t) => t !== next);
      next.fire();
      await settle();
    }
    this.current = target;
    await settle();
  }

  /** Fires every pending timer, jumping time to each, until none is left (or `limit` fired). */
  async runUntilIdle(limit = 100_000): Promise<void> {
    await settle();
    for (let fired = 0; fired < limit; fired++) {
      const next = this.earliest();
      if (!next) return;
      await this.advance(next.at - this.current);
    }
  }

  private earliest(): Timer | undefined {
    let best: Timer | undefined;
    for (const timer of this.timers) {
      if (!best || timer.at < best.at || (timer.at === best.at && timer.seq < best.seq)) best = timer;
    }
    return best;
  }
}

/** Lets every promise chain that can move without I/O or time run to its next wait. */
export async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
