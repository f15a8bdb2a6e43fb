/** A Compute v1 resource as JSON, the way the REST API returns it (int64 as strings). */
export type Json = Record<string, unknown>;

/** The calls of the Compute v1 REST API the simulator serves, as named in fault rules and records. */
export type SimCall = 'insert' | 'get' | 'list' | 'aggregatedList' | 'delete' | 'operationGet' | 'operationWait';

/**
 * What an injected fault does. Asynchronous ones (`stockout*`, `quota_async`) accept the insert
 * and fail its operation, as Compute does; the rest answer the call with an HTTP error.
 */
export type FaultKind =
  | 'stockout' // operation error ZONE_RESOURCE_POOL_EXHAUSTED
  | 'stockout_details' // operation error ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS
  | 'quota' // 403 quotaExceeded on the call (ErrorInfo QUOTA_EXCEEDED)
  | 'quota_async' // operation error QUOTA_EXCEEDED
  | 'unavailable' // 503 backendError
  | 'internal' // 500 backendError
  | 'rate_limit' // 429 rateLimitExceeded, status RESOURCE_EXHAUSTED
  | 'rate_limit_403' // 403 rateLimitExceeded (the older shape)
  | 'not_ready' // 400 resourceNotReady
  | 'wait_early'; // operations.wait answers at once, before DONE

export interface FaultRule {
  readonly call: SimCall;
  readonly kind: FaultKind;
  /** Only calls in this zone (aggregatedList has none: a rule with a zone never matches it). */
  readonly zone?: string;
  /** Only calls on this instance name (insert: the body's name). */
  readonly name?: string;
  /** Only list calls whose `filter` contains this text, e.g. `name =` for a lookup of one VM by name. */
  readonly filter?: string;
  /** How many matching calls it hits; default 1, `Infinity` for every one. */
  readonly times?: number;
}

export interface RecordedCall {
  readonly call: SimCall | 'unknown';
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** The simulator clock's time of the call, in ms. */
  readonly at: number;
}

export interface SimCounts {
  /** Insert calls received, accepted or not. */
  readonly insertCalls: number;
  /** Instances created. */
  readonly inserted: number;
  readonly deleteCalls: number;
  /** Instances removed by a delete call. */
  readonly deleted: number;
  /** Instances removed by preemption or maxRunDuration. */
  readonly terminatedByCompute: number;
  /** Instances that exist now, whatever their status. */
  readonly live: number;
}

export interface InstanceStatusEvent {
  readonly name: string;
  readonly zone: string;
  readonly status: string;
  readonly previousStatus: string | null;
  /** A copy of the instance as `instances.get` would return it (null once deleted). */
  readonly instance: Json | null;
}

export type InstanceStatusListener = (event: InstanceStatusEvent) => void | Promise<void>;
