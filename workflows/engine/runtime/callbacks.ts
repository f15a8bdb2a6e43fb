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
  waiter: CallbackWait | undefined;
}

/** Where callback ids come from: random, or derived from a secret (`DerivedCallbackIds`). */
export interface CallbackIds {
  next(): string;
}

const randomIds: CallbackIds = { next: randomUUID };

export type DeliveryOutcome = 'delivered' | 'not_found' | 'full';

// A callback sent before the execution awaits it is kept; a bounded number of them, so a
// misbehaving sender cannot grow an execution's memory.
const maxQueued = 100;

/** The callback endpoints of one execution: requests are buffered until awaited. */
export class CallbackRegistry {
  private readonly endpoints = new Map<string, Endpoint>();
  // Only a recovered execution has any: made when first needed.
  private preloaded: Map<string, CallbackRequest[]> | undefined;

  private readonly ids: CallbackIds;
  constructor(ids: CallbackIds = randomIds) {
    this.ids = ids;
  }

  create(method: string): string {
    const id = this.ids.next();
    this.endpoints.set(id, { method, queue: this.preloaded?.get(id) ?? [], waiter: undefined });
    this.preloaded?.delete(id);
    return id;
  }

  /** Requests accepted before a restart: the endpoint gets them when the replay re-creates it. */
  preload(id: string, requests: CallbackRequest[]): void {
    (this.preloaded ??= new Map()).set(id, requests);
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
      endpoint.waiter.received(request);
      return 'delivered';
    }
    if (endpoint.queue.length >= maxQueued) return 'full';
    endpoint.queue.push(request);
    return 'delivered';
  }

  /**
   * The next request for `id`, or undefined when `timeoutMs` passes first. Rejects with the
   * signal's reason if the execution is cancelled.
   */
  await(id: string, timeoutMs: number, clock: EngineClock, signal: AbortSignal): Promise<CallbackRequest | undefined> {
    const endpoint = this.endpoints.get(id);
    if (!endpoint) return Promise.reject(new Error(`no callback endpoint ${id}`));
    const queued = endpoint.queue.shift();
    if (queued) return Promise.resolve(queued);
    return new CallbackWait(endpoint, signal).start(timeoutMs, clock);
  }

  clear(): void {
    this.endpoints.clear();
    this.preloaded = undefined;
  }
}

/**
 * One wait at an endpoint: settled by a request, by its timeout, or by the execution's abort.
 * A class (the abort listener is its `handleEvent`) rather than closures: thousands are pending.
 */
class CallbackWait {
  private readonly timer = new AbortController();
  private resolve: (request: CallbackRequest | undefined) => void = ignore;
  private reject: (reason: unknown) => void = ignore;

  private readonly endpoint: Endpoint;
  private readonly signal: AbortSignal;
  constructor(endpoint: Endpoint, signal: AbortSignal) {
    this.endpoint = endpoint;
    this.signal = signal;
  }

  start(timeoutMs: number, clock: EngineClock): Promise<CallbackRequest | undefined> {
    const promise = new Promise<CallbackRequest | undefined>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.endpoint.waiter = this;
    this.signal.addEventListener('abort', this, { once: true });
    clock.sleep(timeoutMs, this.timer.signal).then(
      () => this.settle().resolve(undefined),
      (error: unknown) => this.settle().reject(error),
    );
    return promise;
  }

  received(request: CallbackRequest): void {
    this.settle().resolve(request);
  }

  /** The execution was aborted: the timer's rejection carries its reason. */
  handleEvent(): void {
    this.timer.abort(this.signal.reason);
  }

  private settle(): this {
    this.endpoint.waiter = undefined;
    this.signal.removeEventListener('abort', this);
    this.timer.abort();
    return this;
  }
}

function ignore(): void {}

/**
 * Callback ids derived from a per-execution secret and a counter, shaped as random UUIDs: as
 * unguessable as random ones (the URL is a capability), yet the same again when a restarted
 * execution is replayed, so the URLs its VM already holds keep working.
 */
export class DerivedCallbackIds implements CallbackIds {
  private count = 0;

  private readonly secret: Buffer;
  constructor(secret: Buffer) {
    this.secret = secret;
  }

  next(): string {
    const bytes = createHmac('sha256', this.secret).update(String(this.count++)).digest().subarray(0, 16);
    bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40; // version 4
    bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}
