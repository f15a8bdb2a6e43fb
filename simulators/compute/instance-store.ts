import type { Log } from '../../handlers/log/logger.ts';
import type { SimOperation } from './operation-store.ts';
import type { InstanceStatusEvent, InstanceStatusListener, Json } from './sim-types.ts';

export interface SimInstance {
  readonly project: string;
  readonly name: string;
  readonly zone: string;
  readonly json: Json;
  /** Clock time of creation, in ms: `maxRunDuration` counts from it. */
  readonly createdAt: number;
  /** The insert or delete still running on it: another delete meanwhile is `resourceNotReady`. */
  busyWith: SimOperation | null;
}

/** Pseudo status of the event sent when an instance is gone (Compute has none: it answers 404). */
export const deletedStatus = 'DELETED';

/** The instances of the simulated project, keyed by zone and name, with status listeners. */
export class InstanceStore {
  private readonly byKey = new Map<string, SimInstance>();
  private readonly listeners = new Set<InstanceStatusListener>();

  private readonly log: Log | undefined;
  constructor(log: Log | undefined) {
    this.log = log;
  }

  get(zone: string, name: string): SimInstance | undefined {
    return this.byKey.get(`${zone}/${name}`);
  }

  all(): SimInstance[] {
    return [...this.byKey.values()];
  }

  add(instance: SimInstance): void {
    this.byKey.set(`${instance.zone}/${instance.name}`, instance);
    this.emit(instance, null);
  }

  setStatus(instance: SimInstance, status: string): void {
    if (!this.byKey.has(`${instance.zone}/${instance.name}`)) return;
    const previous = String(instance.json['status']);
    if (previous === status) return;
    instance.json['status'] = status;
    this.emit(instance, previous);
  }

  remove(instance: SimInstance): void {
    if (!this.byKey.delete(`${instance.zone}/${instance.name}`)) return;
    const previous = String(instance.json['status']);
    instance.json['status'] = deletedStatus;
    this.emit(instance, previous);
  }

  listen(listener: InstanceStatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Listeners run synchronously, one at a time; a throwing or rejecting listener is logged, never fatal. */
  private emit(instance: SimInstance, previousStatus: string | null): void {
    const status = String(instance.json['status']);
    const event: InstanceStatusEvent = {
      name: instance.name,
      zone: instance.zone,
      status,
      previousStatus,
      instance: status === deletedStatus ? null : structuredClone(instance.json),
    };
    for (const listener of this.listeners) {
      try {
        const result = listener(event);
        if (result instanceof Promise) result.catch((error: unknown) => this.log?.warn({ error, name: instance.name }, 'instance status listener failed'));
      } catch (error) {
        this.log?.warn({ error, name: instance.name }, 'instance status listener failed');
      }
    }
  }
}
