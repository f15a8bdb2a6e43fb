import { setTimeout as delay } from 'node:timers/promises';
import { systemClock, type Clock } from '../clock.ts';
import type { Log } from '../log/logger.ts';
import type { Compute } from './compute.ts';
import { parseComputeEndpoint } from './compute-endpoint.ts';
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

/**
 * The two v1 clients, loaded on the first call. Their API reflection is ~60 MB of RSS (and a heap
 * every GC walks) that a webhook-only process, or a service before its first VM, never uses.
 * The two v1 modules directly, not the package index: the index also loads v1beta, v1small and
 * the 31 MB static protos module, about 150 MB of RSS this service never uses.
 */
async function loadClients(apiEndpoint: string | null, project: string): Promise<Pick<ComputeContext, 'instances' | 'operations'>> {
  const [{ InstancesClient }, { ZoneOperationsClient }, { clientOptionsFor }] = await Promise.all([
    import('@google-cloud/compute/build/src/v1/instances_client.js'),
    import('@google-cloud/compute/build/src/v1/zone_operations_client.js'),
    import('./client-options.ts'),
  ]);
  const clientOptions = clientOptionsFor(apiEndpoint, project);
  return { instances: new InstancesClient(clientOptions), operations: new ZoneOperationsClient(clientOptions) };
}

/** The real Compute Engine client behind our `Compute` interface; a bad endpoint is refused here, at once. */
export function createComputeClient(options: ComputeClientOptions): ComputeClient {
  if (options.apiEndpoint !== null) parseComputeEndpoint(options.apiEndpoint);
  const clock = options.clock ?? systemClock;
  let loading: Promise<ComputeContext> | null = null;
  const context = (): Promise<ComputeContext> =>
    (loading ??= loadClients(options.apiEndpoint, options.project).then((clients) => ({
      ...clients,
      project: options.project,
      log: options.log.child({ component: 'compute' }),
      clock,
      sleep: options.sleep ?? ((ms: number) => delay(ms)),
      timings: { ...defaultTimings, ...options.timings },
    })));
  return {
    insertInstance: async (request) => insertInstance(await context(), request),
    deleteInstance: async (name, zone) => deleteInstance(await context(), name, zone),
    getInstance: async (name, zone) => getInstance(await context(), name, zone),
    findInstance: async (name, zones) => findInstance(await context(), name, zones),
    listInstances: reuseRecentLists(async (labels, listOptions) => listInstances(await context(), labels, listOptions), () => clock.now()),
    close: async () => {
      if (loading === null) return;
      const { instances, operations } = await loading;
      await Promise.all([instances.close(), operations.close()]);
    },
  };
}
