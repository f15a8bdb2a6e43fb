import { randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import type { Clock } from '../../handlers/clock.ts';
import type { Log } from '../../handlers/log/logger.ts';
import { isoSeconds } from './http.ts';
import type { Delivery } from './types.ts';

export interface DeliveryMeta {
  readonly event: string;
  readonly action: string | null;
  readonly installationId: number | null;
  readonly repositoryId: number | null;
}

/** The App's webhook deliveries: sends them signed, and keeps every attempt with its outcome. */
export interface Deliveries {
  send(payload: Record<string, unknown>, meta: DeliveryMeta): Promise<Delivery>;
  /** A new attempt of delivery `id` (same GUID, `redelivery: true`). */
  redeliver(id: number): Promise<Delivery>;
  get(id: number): Delivery | undefined;
  /** Oldest first. */
  all(): Delivery[];
  /** Resolves when no attempt is in flight. */
  settled(): Promise<void>;
}

export interface DeliveryDeps {
  readonly clock: Clock;
  readonly secret: string;
  readonly appId: number;
  readonly webhookUrl: () => string | undefined;
  readonly log?: Log | undefined;
}

/** GitHub gives a webhook receiver 10 seconds to answer. */
const DELIVERY_TIMEOUT_MS = 10_000;
const FIRST_DELIVERY_ID = 70_000_000_001;
/** The hook id of the App's webhook; GitHub sends it in X-GitHub-Hook-ID. */
export const APP_HOOK_ID = 500_001;

export function createDeliveries(deps: DeliveryDeps): Deliveries {
  const deliveries: Delivery[] = [];
  const inFlight = new Set<Promise<unknown>>();
  const attempt = async (guid: string, body: string, meta: DeliveryMeta, redelivery: boolean) => {
    const headers = await deliveryHeaders(deps, guid, body, meta.event);
    const delivery: Delivery = {
      id: FIRST_DELIVERY_ID + deliveries.length,
      guid,
      ...meta,
      redelivery,
      deliveredAt: isoSeconds(deps.clock.now()),
      url: deps.webhookUrl() ?? null,
      requestHeaders: headers,
      body,
      statusCode: 0,
      status: 'pending',
      durationSeconds: 0,
      responseHeaders: {},
      responseBody: null,
    };
    deliveries.push(delivery);
    const done = post(deps, delivery).finally(() => inFlight.delete(done));
    inFlight.add(done);
    await done;
    return delivery;
  };
  return {
    send: (payload, meta) => attempt(randomUUID(), JSON.stringify(payload), meta, false),
    async redeliver(id) {
      const original = deliveries.find((d) => d.id === id);
      if (original === undefined) throw new Error(`no delivery ${id}`);
      const { event, action, installationId, repositoryId } = original;
      return attempt(original.guid, original.body, { event, action, installationId, repositoryId }, true);
    },
    get: (id) => deliveries.find((d) => d.id === id),
    all: () => [...deliveries],
    settled: async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}

async function deliveryHeaders(deps: DeliveryDeps, guid: string, body: string, event: string): Promise<Record<string, string>> {
  return {
    accept: '*/*',
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/simulator',
    'x-github-delivery': guid,
    'x-github-event': event,
    'x-github-hook-id': String(APP_HOOK_ID),
    // For an App's webhook the "installation target" is the App itself.
    'x-github-hook-installation-target-id': String(deps.appId),
    'x-github-hook-installation-target-type': 'integration',
    'x-hub-signature-256': await sign(deps.secret, body),
  };
}

/** Sends one attempt and writes its outcome into `delivery`; never throws. */
async function post(deps: DeliveryDeps, delivery: Delivery): Promise<void> {
  const url = delivery.url;
  if (url === null) {
    delivery.status = 'No webhook URL configured';
    return;
  }
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: delivery.requestHeaders,
      body: delivery.body,
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    delivery.responseBody = await response.text();
    delivery.statusCode = response.status;
    delivery.status = response.ok ? 'OK' : `Invalid HTTP Response: ${response.status}`;
    response.headers.forEach((value, name) => void (delivery.responseHeaders[name] = value));
  } catch (error) {
    delivery.status = error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'failed to connect to host';
  } finally {
    delivery.durationSeconds = Math.round(performance.now() - started) / 1000;
  }
  deps.log?.debug({ deliveryId: delivery.guid, statusCode: delivery.statusCode, event: delivery.event }, 'webhook delivered');
}
