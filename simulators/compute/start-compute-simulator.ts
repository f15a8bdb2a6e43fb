import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { systemClock, type Clock } from '../../handlers/clock.ts';
import type { Log } from '../../handlers/log/logger.ts';
import { createFaultRegistry, type Faults } from './faults.ts';
import { InstanceStore } from './instance-store.ts';
import { OperationStore } from './operation-store.ts';
import { loadComputeSchema } from './proto-shape.ts';
import { computeRoutes } from './routes.ts';
import { expireOverdue, preempt } from './sim-lifecycle.ts';
import type { InstanceStatusListener, Json, RecordedCall, SimCounts } from './sim-types.ts';
import { defaultZones, type SimTimings, type SimWorld } from './sim-world.ts';
import { createTimers } from './timers.ts';

export interface ComputeSimulatorOptions {
  /** 0 (default) picks a free port. The server listens on 127.0.0.1 only. */
  readonly port?: number;
  readonly log?: Log;
  /** Timestamps and `maxRunDuration` are read from it. */
  readonly clock?: Clock;
  readonly bootDelayMs?: number;
  readonly operationDelayMs?: number;
  readonly waitTimeoutMs?: number;
  /** Serve only this project (others are 404); default any. */
  readonly project?: string;
  /** Zones that exist; others are 400 `Unknown zone`. */
  readonly zones?: readonly string[];
  /** How often VMs past `maxRunDuration` are ended; 0 = only by `expireOverdue()`. Default 1000. */
  readonly sweepIntervalMs?: number;
}

export interface ComputeSimulator {
  /** Give it to the client as `COMPUTE_API_ENDPOINT`, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly faults: Faults;
  /** Copies of the instances as `instances.get` returns them. */
  instances(): Json[];
  instance(name: string, zone: string): Json | null;
  /** Copies of every zone operation, in creation order. */
  operations(): Json[];
  /** Every call received, in order, with its body (insert bodies include metadata). */
  calls(): RecordedCall[];
  /** How many calls were received, without copying them. */
  callCount(): number;
  counts(): SimCounts;
  /** Called on every status change (PROVISIONING, STAGING, RUNNING, STOPPING, TERMINATED, DELETED); returns an unsubscribe. */
  onInstanceStatus(listener: InstanceStatusListener): () => void;
  /** Preempts a RUNNING Spot VM; returns the `compute.instances.preempted` operation. */
  preempt(name: string, zone: string): Json;
  /** Ends the VMs past their `maxRunDuration` now; returns their names. */
  expireOverdue(): string[];
  close(): Promise<void>;
}

/** Starts the Compute Engine simulator: the v1 REST API of instances and zone operations, on 127.0.0.1. */
export async function startComputeSimulator(options: ComputeSimulatorOptions = {}): Promise<ComputeSimulator> {
  const world = createWorld(options);
  const recorded: RecordedCall[] = [];
  const app = express();
  app.disable('x-powered-by');
  app.use(computeRoutes(world, (call) => recorded.push(call)));
  const server = app.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const sweepMs = options.sweepIntervalMs ?? 1000;
  const sweep = sweepMs > 0 ? setInterval(() => expireOverdue(world), sweepMs).unref() : undefined;
  world.log?.info({ port }, 'compute simulator listening');
  return {
    url: `http://127.0.0.1:${port}`,
    faults: world.faults,
    instances: () => world.instances.all().map((instance) => structuredClone(instance.json)),
    instance: (name, zone) => {
      const found = world.instances.get(zone, name);
      return found ? structuredClone(found.json) : null;
    },
    operations: () => world.operations.all().map((operation) => structuredClone(operation.json)),
    calls: () => structuredClone(recorded),
    callCount: () => recorded.length,
    counts: () => ({ ...world.counts, live: world.instances.all().length }),
    onInstanceStatus: (listener) => world.instances.listen(listener),
    preempt: (name, zone) => preempt(world, name, zone),
    expireOverdue: () => expireOverdue(world),
    close: async () => {
      clearInterval(sweep);
      world.timers.clearAll();
      world.operations.wakeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function createWorld(options: ComputeSimulatorOptions): SimWorld {
  const clock = options.clock ?? systemClock;
  const timings: SimTimings = {
    bootDelayMs: options.bootDelayMs ?? 0,
    operationDelayMs: options.operationDelayMs ?? 0,
    waitTimeoutMs: options.waitTimeoutMs ?? 2_000,
  };
  return {
    project: options.project,
    zones: new Set(options.zones ?? defaultZones),
    schema: loadComputeSchema(),
    clock,
    timings,
    faults: createFaultRegistry(),
    instances: new InstanceStore(options.log),
    operations: new OperationStore(clock),
    timers: createTimers(),
    counts: { insertCalls: 0, inserted: 0, deleteCalls: 0, deleted: 0, terminatedByCompute: 0 },
    log: options.log,
    nextHost: 0,
  };
}
