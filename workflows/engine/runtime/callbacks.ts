import { createHmac, randomUUID } from 'node:crypto';
import type { EngineClock } from '../clock.ts';
import type { ValueMap, Value } from '../values.ts';

/** One HTTP request received at a callback endpoint. */
export interface CallbackRequest {
  method: string;
  url: string;
  body: Value;
  headers: ValueMap;
  query: ValueMap;
  receivedTime: number;
}

interface Endpoint {
  method: string;
  queue: CallbackRequest[];
  waiter: ((request: CallbackRequest) => void) | undefined;
}

export type DeliveryOutcome = 'delivered' | 'not_found' | 'full';

// A callback sent before the execution awaits it is kept; a bounded number of them, so a
// misbehaving sender cannot grow an execution's memory.
const maxQueued = 100;

/** The callback endpoints of one execution: requests are buffered until awaited. */
export class CallbackRegistry {
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly preloaded = new Map<string, CallbackRequest[]>();

  constructor(private readonly newId: () => string = randomUUID) {}

  create(method: string): string {
    const id = this.newId();
    this.endpoints.set(id, { method, queue: this.preloaded.get(id) ?? [], waiter: undefined });
    this.preloaded.delete(id);
    return id;
  }

  /** Requests accepted before a restart: the endpoint gets them when the replay re-creates it. */
  preload(id: string, requests: CallbackRequest[]): void {
    this.preloaded.set(id, requests);
  }

  /** The oldest buffered request, without waiting: what a replayed await received. */
  takeBuffered(id: string): CallbackRequest | undefined {
    return this.endpoints.get(id)?.queue.shift();
  }

  has(id: string): boolean {
    return this.endpoints.has(id);
  }

  deliver(id: string, request: CallbackRequest): DeliveryOutcome {
    const endpoint = this.endpoints.get(id);
    if (!endpoint || endpoint.method !== request.method.toUpperCase()) return 'not_found';
    if (endpoint.waiter) {
      endpoint.waiter(request);
      return 'delivered';
    }
    if (endpoint.queue.length >= maxQueued) return 'full';
    endpoint.queue.push(request);
    return 'delivered';
  }

  /**
   * The next request for `id`, or undefined when `timeoutMs` passes first. Rejects with the
   * signal's reason if the execution is cancelled. Not async: one frame less per waiting execution.
   */
  await(id: string, timeoutMs: number, clock: EngineClock, signal: AbortSignal): Promise<CallbackRequest | undefined> {
    const endpoint = this.endpoints.get(id);
    if (!endpoint) return Promise.reject(new Error(`no callback endpoint ${id}`));
    const queued = endpoint.queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise<CallbackRequest | undefined>((resolve, reject) => {
      const timer = new AbortController();
      const onAbort = (): void => timer.abort(signal.reason);
      const settle = (): void => {
        endpoint.waiter = undefined;
        signal.removeEventListener('abort', onAbort);
        timer.abort();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      endpoint.waiter = (request) => {
        settle();
        resolve(request);
      };
      clock.sleep(timeoutMs, timer.signal).then(
        () => {
          settle();
          resolve(undefined);
        },
        (error: unknown) => {
          settle();
          reject(error);
        },
      );
    });
  }

  clear(): void {
    this.endpoints.clear();
    this.preloaded.clear();
  }
}

/**
 * Callback ids derived from a per-execution secret and a counter, shaped as random UUIDs: as
 * unguessable as random ones (the URL is a capability), yet the same again when a restarted
 * execution is replayed, so the URLs its VM already holds keep working.
 */
export function derivedCallbackIds(secret: Buffer): () => string {
  let next = 0;
  return () => {
    const bytes = createHmac('sha256', secret).update(String(next++)).digest().subarray(0, 16);
    bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40; // version 4
    bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
}
