import { z } from 'zod';
import type { DeliveryInfo } from '../github/github.ts';
import { parseInput } from '../steps/step-input.ts';
import { eachUntilRateLimited } from './limited-concurrency.ts';
import { pickFailedDeliveries } from './pick-failed-deliveries.ts';
import type { ReaperBaseDeps } from './ports.ts';
import { readDeliveryAttempts } from './read-delivery-attempts.ts';
import { DELIVERY_WINDOW_SECONDS, MAX_REDELIVERIES_PER_RUN } from './reaper-limits.ts';
import { isStoppedEarly, type StoppedEarly } from './run-report.ts';

const inputSchema = z.object({}).nullish();

interface RedeliveredEvent {
  readonly deliveryId: number;
  readonly guid: string;
  readonly action: string | null;
  readonly failedWith: string;
  readonly deliveredAt: string;
}

type Skipped = { readonly deliveryId: number; readonly guid: string; readonly why: string };

export interface RedeliverFailedResult {
  /** Deliveries older than `since` were not read: GitHub no longer redelivers them. */
  readonly since: string;
  /** Attempts read, and whether the page limits let the walks reach where they were meant to. */
  readonly scanned: number;
  readonly complete: boolean;
  readonly redelivered: RedeliveredEvent[];
  /** Failed events not redelivered this run: an error, or a limit (the next run takes them). */
  readonly skipped: Skipped[];
  /** Events left alone, by reason. */
  readonly kept: Record<string, number>;
  readonly stoppedEarly: StoppedEarly | null;
}

/** This run's share, oldest first; the rest is reported and left for the next run. */
function shareOf(toRedeliver: readonly DeliveryInfo[], verifiedFromMs: number): { thisRun: DeliveryInfo[]; skipped: Skipped[] } {
  const skip = (d: DeliveryInfo, why: string): Skipped => ({ deliveryId: d.id, guid: d.guid, why });
  const unverified = toRedeliver.filter((d) => Date.parse(d.deliveredAt) < verifiedFromMs);
  const verified = toRedeliver.filter((d) => Date.parse(d.deliveredAt) >= verifiedFromMs);
  return {
    thisRun: verified.slice(0, MAX_REDELIVERIES_PER_RUN),
    skipped: [
      ...unverified.map((d) => skip(d, 'older than the successes read this run: a redelivery of it may be unread')),
      ...verified.slice(MAX_REDELIVERIES_PER_RUN).map((d) => skip(d, `over this run's limit of ${MAX_REDELIVERIES_PER_RUN}`)),
    ],
  };
}

/**
 * GitHub never redelivers a failed webhook by itself: every `workflow_job` event whose attempts all
 * failed is redelivered here, once, oldest first, within GitHub's retention window.
 */
export async function redeliverFailed(input: unknown, deps: ReaperBaseDeps): Promise<RedeliverFailedResult> {
  parseInput(inputSchema, input);
  const sinceMs = deps.clock.now() - DELIVERY_WINDOW_SECONDS * 1000;
  const since = new Date(sinceMs).toISOString();
  const read = await readDeliveryAttempts(deps.github, sinceMs);
  if (isStoppedEarly(read)) return { since, scanned: 0, complete: false, redelivered: [], skipped: [], kept: {}, stoppedEarly: read };
  const { toRedeliver, kept } = pickFailedDeliveries(read.attempts);
  const { thisRun, skipped } = shareOf(toRedeliver, read.verifiedFromMs);
  const redelivered: RedeliveredEvent[] = [];
  const stoppedEarly = await eachUntilRateLimited(thisRun, 1, async (delivery) => {
    await deps.github.redeliver(delivery.id);
    const failedWith = delivery.statusCode === 0 ? delivery.status : `HTTP ${delivery.statusCode}`;
    redelivered.push({ deliveryId: delivery.id, guid: delivery.guid, action: delivery.action, failedWith, deliveredAt: delivery.deliveredAt });
    deps.log.info({ deliveryId: delivery.guid, attemptId: delivery.id, action: delivery.action, failedWith }, 'reaper redelivered a failed webhook delivery');
  }, (delivery, why) => skipped.push({ deliveryId: delivery.id, guid: delivery.guid, why }));
  return { since, scanned: read.attempts.length, complete: read.complete, redelivered, skipped, kept, stoppedEarly };
}
