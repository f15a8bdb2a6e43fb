import { RunnerError } from '../errors.ts';
import type { AppCall } from './app-call.ts';
import type { DeliveryInfo, DeliveryListing, DeliveryQuery } from './github.ts';

interface DeliveryWire {
  readonly id: number;
  readonly guid: string;
  readonly delivered_at: string;
  readonly redelivery: boolean;
  readonly status: string;
  readonly status_code: number;
  readonly event: string;
  readonly action: string | null;
}

const PAGE_SIZE = 100;

function toDeliveryInfo(wire: DeliveryWire): DeliveryInfo {
  return {
    id: wire.id,
    guid: wire.guid,
    deliveredAt: wire.delivered_at,
    redelivery: wire.redelivery,
    status: wire.status,
    statusCode: wire.status_code,
    event: wire.event,
    action: wire.action,
  };
}

/** The `cursor` of the `rel="next"` link, if there is one. */
export function nextCursor(link: unknown): string | undefined {
  if (typeof link !== 'string') return undefined;
  const next = /<([^>]+)>;\s*rel="next"/.exec(link)?.[1];
  if (next === undefined) return undefined;
  try {
    return new URL(next).searchParams.get('cursor') ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * The App webhook's deliveries, newest first, down to `sinceMs`: the list is ordered by time, so
 * the first delivery older than that ends the walk (GitHub keeps deliveries for 3 days; older
 * pages would be wasted calls). `status` is GitHub's own filter (`failure`: any answer but 2xx, or
 * none). `complete` is false when `maxPages` ran out first.
 */
export async function listDeliveries(call: AppCall, options: DeliveryQuery): Promise<DeliveryListing> {
  const deliveries: DeliveryInfo[] = [];
  let cursor: string | undefined;
  const status = options.status === undefined ? {} : { status: options.status };
  for (let page = 0; page < options.maxPages; page += 1) {
    const params: Record<string, unknown> = { per_page: PAGE_SIZE, ...status, ...(cursor === undefined ? {} : { cursor }) };
    const { data, headers } = await call<DeliveryWire[]>('GET /app/hook/deliveries', { params });
    for (const wire of data) {
      if (Date.parse(wire.delivered_at) < options.sinceMs) return { deliveries, complete: true };
      deliveries.push(toDeliveryInfo(wire));
    }
    cursor = nextCursor(headers['link']);
    if (cursor === undefined || data.length === 0) return { deliveries, complete: true };
  }
  return { deliveries, complete: false };
}

/** Asks GitHub for a new attempt of a delivery (202). 404/422: the delivery is gone or refused. */
export async function redeliver(call: AppCall, deliveryId: number): Promise<void> {
  const { status } = await call('POST /app/hook/deliveries/{delivery_id}/attempts', { params: { delivery_id: deliveryId } });
  if (status !== 202 && status !== 200) throw new RunnerError('fatal', `redelivery of ${deliveryId} answered ${status}`);
}
