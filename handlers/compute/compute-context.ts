import type { InstancesClient, ZoneOperationsClient } from '@google-cloud/compute';
import type { Clock } from '../clock.ts';
import type { Log } from '../log/logger.ts';

/** Timings of the client; defaults in `create-compute-client.ts`, shorter ones in tests. */
export interface ComputeTimings {
  /** Bound on one call, library retries of idempotent calls included. */
  readonly callTimeoutMs: number;
  /** Bound on awaiting one zone operation; past it the step fails `unavailable` and is retried. */
  readonly operationTimeoutMs: number;
  /** Pause after a `wait` that returned before DONE, so an early-returning server is not hammered. */
  readonly operationPollDelayMs: number;
  /** Pauses between delete attempts answered `resourceNotReady`; one attempt more than entries. */
  readonly notReadyRetryDelaysMs: readonly number[];
}

/** What the operations of the client share; built once per client by `createComputeClient`. */
export interface ComputeContext {
  readonly instances: InstancesClient;
  readonly operations: ZoneOperationsClient;
  readonly project: string;
  readonly log: Log;
  readonly clock: Clock;
  readonly sleep: (ms: number) => Promise<void>;
  readonly timings: ComputeTimings;
}
