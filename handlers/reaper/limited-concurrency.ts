import { describeError, stoppedEarlyBy, type StoppedEarly } from './run-report.ts';

/** `fn` over `items` with at most `concurrency` in flight; results in the order of `items`. */
export async function mapLimited<T, R>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}

/**
 * Runs `each` over `items`, at most `concurrency` at once. A rate limit stops the walk (no new item
 * starts; those in flight finish) and is returned; any other error goes to `onError` and the walk
 * goes on, so one stuck VM or runner never shields the others.
 */
export async function eachUntilRateLimited<T>(
  items: readonly T[],
  concurrency: number,
  each: (item: T) => Promise<void>,
  onError: (item: T, why: string) => void,
): Promise<StoppedEarly | null> {
  let stopped: StoppedEarly | null = null;
  let next = 0;
  const worker = async () => {
    while (stopped === null && next < items.length) {
      const item = items[next++] as T;
      try {
        await each(item);
      } catch (error) {
        const stop = stoppedEarlyBy(error);
        if (stop !== null) stopped ??= stop;
        else onError(item, describeError(error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return stopped;
}
