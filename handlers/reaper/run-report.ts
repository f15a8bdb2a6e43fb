import { RunnerError, scrubSecrets } from '../errors.ts';

/** Why a run ended before its work was done: a rate limit, and how long the API asked us to wait. */
export interface StoppedEarly {
  readonly reason: string;
  readonly retryAfterSeconds: number | null;
}

/**
 * A rate limit (GitHub 429/403 secondary limit, or Compute's) ends the reaper's run: it comes back
 * in a few minutes anyway, and every call until then would only deepen the limit that the runner
 * executions depend on too.
 */
export function stoppedEarlyBy(error: unknown): StoppedEarly | null {
  if (!(error instanceof RunnerError) || error.kind !== 'rate_limited') return null;
  return { reason: `rate limited: ${error.message}`, retryAfterSeconds: error.retryAfterSeconds ?? null };
}

/** Runs a listing; a rate limit becomes the step's early end, any other error fails the step. */
export async function unlessRateLimited<T>(list: () => Promise<T>): Promise<T | StoppedEarly> {
  try {
    return await list();
  } catch (error) {
    const stop = stoppedEarlyBy(error);
    if (stop === null) throw error;
    return stop;
  }
}

export function isStoppedEarly(value: unknown): value is StoppedEarly {
  return typeof value === 'object' && value !== null && 'retryAfterSeconds' in value && 'reason' in value;
}

/** An error as a result may show it: kind and message, credentials removed. */
export function describeError(error: unknown): string {
  if (error instanceof RunnerError) return `${error.kind}: ${error.message}`;
  return `fatal: ${scrubSecrets(error instanceof Error ? error.message : String(error))}`;
}

/** Counts by category: the readable shape for the many things a run leaves alone. */
export function countBy(categories: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const category of categories) counts[category] = (counts[category] ?? 0) + 1;
  return counts;
}
