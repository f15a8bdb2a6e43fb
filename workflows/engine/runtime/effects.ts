import type { EngineClock } from '../clock.ts';
import type { HttpRequest, HttpResponse, HttpTransport } from '../http-transport.ts';
import type { CallbackRegistry, CallbackRequest } from './callbacks.ts';

/**
 * Everything an execution does that is not decided by its program and argument: time, waiting,
 * HTTP, callbacks. The interpreter does these only through here, so a journaled implementation
 * can record each outcome and, after a restart, replay them to rebuild the execution exactly
 * (see store/journaled-effects.ts).
 */
export interface Effects {
  /** `sys.now`: a value the program may branch on. */
  now(): number;
  /** The timestamp of a step entry: informative only, never recorded. */
  stepTime(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  http(request: HttpRequest): Promise<HttpResponse>;
  /** The next request at callback endpoint `id`, or undefined on timeout. */
  awaitCallback(id: string, timeoutMs: number, signal: AbortSignal): Promise<CallbackRequest | undefined>;
}

/** Effects performed as asked and remembered nowhere: the engine without a store. */
export class LiveEffects implements Effects {
  private readonly clock: EngineClock;
  readonly http: HttpTransport;
  private readonly callbacks: CallbackRegistry;
  constructor(clock: EngineClock, http: HttpTransport, callbacks: CallbackRegistry) {
    this.clock = clock;
    this.http = http;
    this.callbacks = callbacks;
  }

  now(): number {
    return this.clock.now();
  }

  stepTime(): number {
    return this.clock.now();
  }

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return this.clock.sleep(ms, signal);
  }

  awaitCallback(id: string, timeoutMs: number, signal: AbortSignal): Promise<CallbackRequest | undefined> {
    return this.callbacks.await(id, timeoutMs, this.clock, signal);
  }
}
