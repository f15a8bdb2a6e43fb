import type { Clock } from '../../handlers/clock.ts';
import type { Log } from '../../handlers/log/logger.ts';
import type { FaultRegistry } from './faults.ts';
import { invalidField, notFound, type GoogleApiError } from './google-error.ts';
import type { InstanceStore } from './instance-store.ts';
import type { OperationStore } from './operation-store.ts';
import type { ComputeSchema } from './proto-shape.ts';
import type { Timers } from './timers.ts';

export interface SimTimings {
  /** PROVISIONING → STAGING at half of it, RUNNING at all of it; 0 = at once. */
  readonly bootDelayMs: number;
  /** How long an insert or delete operation runs before DONE; 0 = at once (still RUNNING in the call's answer). */
  readonly operationDelayMs: number;
  /** Longest a `wait` blocks before answering an operation that is not DONE (Compute: about 2 minutes). */
  readonly waitTimeoutMs: number;
}

export interface MutableCounts {
  insertCalls: number;
  inserted: number;
  deleteCalls: number;
  deleted: number;
  terminatedByCompute: number;
}

/** Everything one simulator holds; the request handlers and control API work on it. */
export interface SimWorld {
  /** The only project served; undefined serves any. */
  readonly project: string | undefined;
  readonly zones: ReadonlySet<string>;
  readonly schema: ComputeSchema;
  readonly clock: Clock;
  readonly timings: SimTimings;
  readonly faults: FaultRegistry;
  readonly instances: InstanceStore;
  readonly operations: OperationStore;
  readonly timers: Timers;
  readonly counts: MutableCounts;
  readonly log: Log | undefined;
  /** Next internal IP to hand out (10.128.0.2, …). */
  nextHost: number;
}

/** Compute answers 404 for a project it does not know and 400 for an unknown zone. */
export function checkScope(world: SimWorld, project: string, zone?: string): GoogleApiError | null {
  if (world.project !== undefined && project !== world.project) return notFound(`projects/${project}`);
  if (zone !== undefined && !world.zones.has(zone)) return invalidField('zone', zone, 'Unknown zone.');
  return null;
}

export const defaultZones: readonly string[] = [
  'us-central1-a', 'us-central1-b', 'us-central1-c', 'us-central1-f',
  'us-east1-b', 'us-east1-c', 'us-east1-d', 'us-east4-a', 'us-east4-b', 'us-east4-c',
  'us-west1-a', 'us-west1-b', 'us-west1-c', 'europe-west1-b', 'europe-west1-c', 'europe-west1-d',
  'europe-west4-a', 'europe-west4-b', 'europe-west4-c', 'asia-east1-a', 'asia-east1-b', 'asia-east1-c',
];
