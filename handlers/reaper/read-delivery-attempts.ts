import type { DeliveryInfo, GitHub } from '../github/github.ts';
import { MAX_DELIVERY_PAGES } from './reaper-limits.ts';
import { isStoppedEarly, unlessRateLimited, type StoppedEarly } from './run-report.ts';

export interface DeliveryAttempts {
  /** Every failed attempt in the window, and every successful one since the oldest of them. */
  readonly attempts: readonly DeliveryInfo[];
  /** Whether both walks reached where they were meant to. */
  readonly complete: boolean;
  /**
   * Failures older than this cannot be redelivered this run: the walk over successes stopped at
   * its page limit before reaching them, so a successful redelivery of theirs may be unread.
   */
  readonly verifiedFromMs: number;
}

/**
 * Reads only what deciding needs. Failures first (GitHub's `status=failure` filter): with none,
 * that is one request per run, however busy the App. With some, the successes back to the oldest
 * failure, to tell which failed events have since been delivered by a redelivery.
 */
export async function readDeliveryAttempts(github: GitHub, sinceMs: number): Promise<DeliveryAttempts | StoppedEarly> {
  const failures = await unlessRateLimited(() => github.listDeliveries({ sinceMs, maxPages: MAX_DELIVERY_PAGES, status: 'failure' }));
  if (isStoppedEarly(failures)) return failures;
  if (failures.deliveries.length === 0) return { attempts: [], complete: failures.complete, verifiedFromMs: sinceMs };
  const oldestFailureMs = Math.min(...failures.deliveries.map((delivery) => Date.parse(delivery.deliveredAt)));
  const successes = await unlessRateLimited(() => github.listDeliveries({ sinceMs: oldestFailureMs, maxPages: MAX_DELIVERY_PAGES, status: 'success' }));
  if (isStoppedEarly(successes)) return successes;
  const lastRead = successes.deliveries.at(-1);
  const verifiedFromMs = successes.complete || lastRead === undefined ? oldestFailureMs : Date.parse(lastRead.deliveredAt);
  return { attempts: [...failures.deliveries, ...successes.deliveries], complete: failures.complete && successes.complete, verifiedFromMs };
}
