import { randomUUID } from 'node:crypto';
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

  create(method: string): string {
    const id = randomUUID();
    this.endpoints.set(id, { method, queue: [], waiter: undefined });
    return id;
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
  }
}
