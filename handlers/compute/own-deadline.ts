/**
 * google-gax (6.17) arms `AbortSignal.timeout(deadline)` for every REST call with an abort listener
 * it never removes. Node keeps a timeout signal that has listeners alive until it fires, and the
 * listener's closure holds the whole call, its response included, for the rest of the deadline: 60 s
 * of every call, 240 s of every operation wait; in the 1,000-job burst that was most of the growth
 * of the heap (docs/upstream/ has the diagnosis and the fix proposed upstream).
 *
 * The library skips that path for a call without a finite deadline (`timeout: Infinity`), so the
 * deadline is ours: a timer, cleared when the call settles, that on expiry aborts the call through
 * the `signal` call option (google-gax cancels the request and removes its listener when the call
 * settles) and rejects with `CallDeadlineExceeded`. Only public call options are used, so this
 * holds across google-gax versions; test/compute/call-retention.test.ts fails if calls are retained again.
 */
export interface DeadlineOptions {
  readonly timeout: number;
  readonly signal: AbortSignal;
}

/** Our deadline expired. `code` is gRPC's DEADLINE_EXCEEDED, as google-gax's own error has, so it classifies alike (unavailable, retried). */
export class CallDeadlineExceeded extends Error {
  override readonly name = 'CallDeadlineExceeded';
  readonly code = 4;
}

/** Runs `call` with the call options to pass to the client, under a deadline of `timeoutMs` that this function owns. */
export function withDeadline<T>(timeoutMs: number, what: string, call: (options: DeadlineOptions) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new CallDeadlineExceeded(`${what}: no answer within ${timeoutMs} ms`));
      controller.abort();
    }, timeoutMs);
  });
  const pending = call({ timeout: Number.POSITIVE_INFINITY, signal: controller.signal });
  // After an abort the call rejects too (CANCELLED), with nobody waiting for it any more.
  pending.catch(() => undefined);
  return Promise.race([pending, expired]).finally(() => clearTimeout(timer));
}
