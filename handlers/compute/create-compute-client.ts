import { setTimeout as delay } from 'node:timers/promises';
// The two v1 clients directly, not the package index: the index also loads v1beta, v1small and the
// 31 MB static protos module, about 150 MB of RSS this service never uses.
import { InstancesClient } from '@google-cloud/compute/build/src/v1/instances_client.js';
import { ZoneOperationsClient } from '@google-cloud/compute/build/src/v1/zone_operations_client.js';
import { systemClock, type Clock } from '../clock.ts';
import type { Log } from '../log/logger.ts';
import { clientOptionsFor } from './client-options.ts';
import type { Compute } from './compute.ts';
import type { ComputeContext, ComputeTimings } from './compute-context.ts';
import { deleteInstance } from './delete-instance.ts';
import { insertInstance } from './insert-instance.ts';
import { findInstance, getInstance, listInstances } from './read-instances.ts';
import { reuseRecentLists } from './recent-lists.ts';

export interface ComputeClientOptions {
  readonly project: string;
  /** `COMPUTE_API_ENDPOINT`; null → Compute Engine itself, with Application Default Credentials. */
  readonly apiEndpoint: string | null;
  readonly log: Log;
  readonly clock?: Clock;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly timings?: Partial<ComputeTimings>;
}

export interface ComputeClient extends Compute {
  close(): Promise<void>;
}

/**
 * Four minutes to await an operation keeps a step under Cloud Run's default five-minute request
 * timeout; an insert normally finishes in 10-60 s. Three retries over 7 s ride out a delete racing
 * the end of the VM's insert.
 */
export const defaultTimings: ComputeTimings = {
  callTimeoutMs: 60_000,
  operationTimeoutMs: 240_000,
  operationPollDelayMs: 1_000,
  notReadyRetryDelaysMs: [1_000, 2_000, 4_000],
};

/** The real Compute Engine client behind our `Compute` interface. */
export function createComputeClient(options: ComputeClientOptions): ComputeClient {
  const clientOptions = clientOptionsFor(options.apiEndpoint, options.project);
  const context: ComputeContext = {
    instances: new InstancesClient(clientOptions),
    operations: new ZoneOperationsClient(clientOptions),
    project: options.project,
    log: options.log.child({ component: 'compute' }),
    clock: options.clock ?? systemClock,
    sleep: options.sleep ?? ((ms) => delay(ms)),
    timings: { ...defaultTimings, ...options.timings },
  };
  return {
    insertInstance: (request) => insertInstance(context, request),
    deleteInstance: (name, zone) => deleteInstance(context, name, zone),
    getInstance: (name, zone) => getInstance(context, name, zone),
    findInstance: (name, zones) => findInstance(context, name, zones),
    listInstances: reuseRecentLists((labels, options) => listInstances(context, labels, options), () => context.clock.now()),
    close: async () => {
      await Promise.all([context.instances.close(), context.operations.close()]);
    },
  };
}
