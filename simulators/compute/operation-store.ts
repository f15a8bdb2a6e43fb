import { randomBytes } from 'node:crypto';
import type { Clock } from '../../handlers/clock.ts';
import type { OperationFailure } from './fault-errors.ts';
import { apiBase, zoneUrl } from './resource-paths.ts';
import type { Json } from './sim-types.ts';

export interface SimOperation {
  readonly name: string;
  readonly zone: string;
  readonly json: Json;
  /** The operation as first answered (RUNNING, no error): what a `wait` returning early shows. */
  readonly runningView: Json;
  done: boolean;
  readonly waiters: Set<() => void>;
}

export interface NewOperation {
  readonly project: string;
  readonly zone: string;
  readonly operationType: string;
  readonly targetName: string;
  readonly targetId: string;
}

/** Zone operations: created RUNNING, finished DONE with or without `error`, awaited by `wait`. */
export class OperationStore {
  private readonly byKey = new Map<string, SimOperation>();
  private readonly byRequestId = new Map<string, SimOperation>();

  private readonly clock: Clock;
  constructor(clock: Clock) {
    this.clock = clock;
  }

  create(spec: NewOperation): SimOperation {
    const now = new Date(this.clock.now()).toISOString();
    const name = `operation-${this.clock.now()}-${randomBytes(6).toString('hex')}-${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}`;
    const json: Json = {
      kind: 'compute#operation',
      id: numericId(),
      name,
      zone: zoneUrl(spec.project, spec.zone),
      operationType: spec.operationType,
      targetLink: `${apiBase}projects/${spec.project}/zones/${spec.zone}/instances/${spec.targetName}`,
      targetId: spec.targetId,
      status: 'RUNNING',
      user: 'runner-steps@simulator.iam.gserviceaccount.com',
      progress: 0,
      insertTime: now,
      startTime: now,
      selfLink: `${apiBase}projects/${spec.project}/zones/${spec.zone}/operations/${name}`,
    };
    const operation: SimOperation = { name, zone: spec.zone, json, runningView: structuredClone(json), done: false, waiters: new Set() };
    this.byKey.set(`${spec.zone}/${name}`, operation);
    return operation;
  }

  finish(operation: SimOperation, failure?: OperationFailure): void {
    if (operation.done) return;
    Object.assign(operation.json, { status: 'DONE', progress: 100, endTime: new Date(this.clock.now()).toISOString() });
    if (failure) {
      operation.json['error'] = { errors: [{ code: failure.code, message: failure.message }] };
      operation.json['httpErrorStatusCode'] = failure.httpErrorStatusCode;
      operation.json['httpErrorMessage'] = failure.httpErrorMessage;
    }
    operation.done = true;
    for (const wake of operation.waiters) wake();
    operation.waiters.clear();
  }

  get(zone: string, name: string): SimOperation | undefined {
    return this.byKey.get(`${zone}/${name}`);
  }

  all(): SimOperation[] {
    return [...this.byKey.values()];
  }

  /** The operation an earlier call with this requestId started: Compute answers a repeat with it. */
  recall(requestId: string | undefined): SimOperation | undefined {
    return requestId === undefined ? undefined : this.byRequestId.get(requestId);
  }

  remember(requestId: string | undefined, operation: SimOperation): void {
    if (requestId !== undefined) this.byRequestId.set(requestId, operation);
  }

  /** Resolves when the operation is DONE, or after `ms` (Compute's wait returns early too). */
  waitFor(operation: SimOperation, ms: number): Promise<void> {
    if (operation.done) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        operation.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      operation.waiters.add(wake);
    });
  }

  /** Wakes every pending `wait` (on close). */
  wakeAll(): void {
    for (const operation of this.byKey.values()) for (const wake of [...operation.waiters]) wake();
  }
}

/** A 19-digit decimal id, as Compute gives its resources (uint64 as a string). */
export function numericId(): string {
  return (BigInt(`0x${randomBytes(8).toString('hex')}`) % 9_000_000_000_000_000_000n + 1_000_000_000_000_000_000n).toString();
}
