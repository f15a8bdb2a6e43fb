import type { CallbackRequest } from './runtime/callbacks.ts';
import { fromJson, newMap } from './values.ts';

export interface CallbackDelivery {
  method: string;
  /** The body as JSON (already parsed), a string, or undefined when empty. */
  body?: unknown;
  headers?: Record<string, string>;
  query?: Record<string, string[]>;
}

/** What `events.await_callback` returns is built from this; the same for a replayed delivery. */
export function toCallbackRequest(url: string, request: CallbackDelivery, receivedTime: number): CallbackRequest {
  return {
    method: request.method.toUpperCase(),
    url,
    body: fromJson(request.body ?? null),
    headers: newMap(Object.entries(request.headers ?? {})),
    query: newMap(Object.entries(request.query ?? {})),
    receivedTime,
  };
}
