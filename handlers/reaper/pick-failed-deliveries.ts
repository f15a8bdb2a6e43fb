import type { DeliveryInfo } from '../github/github.ts';

/** The only event our webhook consumes; other events' failures are not ours to repair. */
const EVENT = 'workflow_job';

export interface DeliveryPick {
  /** The latest failed attempt of each event that never got through, oldest event first. */
  readonly toRedeliver: DeliveryInfo[];
  /** Events (GUIDs) left alone, by reason. */
  readonly kept: Record<string, number>;
}

const succeeded = (attempt: DeliveryInfo) => attempt.statusCode >= 200 && attempt.statusCode < 300;

/**
 * Groups attempts by GUID (every attempt of one event shares it) and picks the events whose every
 * attempt failed and none of which was a redelivery: each failed event is redelivered once, ever.
 * A redelivery is always newer than its original, so a list that reaches back to the original also
 * holds the redelivery; the window only cuts off events that are too old to redeliver anyway.
 */
export function pickFailedDeliveries(deliveries: readonly DeliveryInfo[]): DeliveryPick {
  const byGuid = new Map<string, DeliveryInfo[]>();
  for (const delivery of deliveries) byGuid.set(delivery.guid, [...(byGuid.get(delivery.guid) ?? []), delivery]);
  const kept: Record<string, number> = {};
  const keep = (reason: string) => void (kept[reason] = (kept[reason] ?? 0) + 1);
  const toRedeliver: DeliveryInfo[] = [];
  for (const attempts of byGuid.values()) {
    if (attempts.some((attempt) => attempt.event !== EVENT)) keep('not workflow_job');
    else if (attempts.some(succeeded)) keep('delivered');
    else if (attempts.some((attempt) => attempt.redelivery)) keep('already redelivered');
    else toRedeliver.push(latest(attempts));
  }
  toRedeliver.sort((a, b) => Date.parse(a.deliveredAt) - Date.parse(b.deliveredAt) || a.id - b.id);
  return { toRedeliver, kept };
}

function latest(attempts: readonly DeliveryInfo[]): DeliveryInfo {
  return attempts.reduce((newest, attempt) => (attempt.id > newest.id ? attempt : newest));
}
