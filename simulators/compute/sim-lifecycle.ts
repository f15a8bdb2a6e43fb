import type { InstanceStore, SimInstance } from './instance-store.ts';
import type { SimWorld } from './sim-world.ts';
import type { Json } from './sim-types.ts';

/** PROVISIONING → STAGING → RUNNING over `bootDelayMs` (at once when 0). */
export function boot(world: SimWorld, instance: SimInstance): void {
  const half = Math.floor(world.timings.bootDelayMs / 2);
  world.timers.after(half, () => {
    world.instances.setStatus(instance, 'STAGING');
    world.timers.after(world.timings.bootDelayMs - half, () => stillThere(world.instances, instance) && world.instances.setStatus(instance, 'RUNNING'));
  });
}

function stillThere(store: InstanceStore, instance: SimInstance): boolean {
  return store.get(instance.zone, instance.name) === instance && instance.json['status'] === 'STAGING';
}

/**
 * What Compute does to a VM it ends itself (preemption, maxRunDuration): DELETE removes it, STOP
 * (or no action) leaves it TERMINATED. Recorded as a zone operation of `operationType`.
 */
export function terminateByCompute(world: SimWorld, instance: SimInstance, operationType: string): Json {
  const scheduling = (instance.json['scheduling'] ?? {}) as Json;
  const operation = world.operations.create({ project: instance.project, zone: instance.zone, operationType, targetName: instance.name, targetId: String(instance.json['id']) });
  world.instances.setStatus(instance, 'STOPPING');
  if (scheduling['instanceTerminationAction'] === 'DELETE') world.instances.remove(instance);
  else world.instances.setStatus(instance, 'TERMINATED');
  world.counts.terminatedByCompute += 1;
  world.operations.finish(operation);
  return structuredClone(operation.json);
}

/** Preempts a RUNNING Spot VM, as Compute may at any time (operation `compute.instances.preempted`). */
export function preempt(world: SimWorld, name: string, zone: string): Json {
  const instance = world.instances.get(zone, name);
  if (!instance) throw new Error(`no instance ${name} in ${zone}`);
  const scheduling = (instance.json['scheduling'] ?? {}) as Json;
  if (scheduling['provisioningModel'] !== 'SPOT' && scheduling['preemptible'] !== true) throw new Error(`${name} is not a Spot VM`);
  if (instance.json['status'] !== 'RUNNING') throw new Error(`${name} is ${String(instance.json['status'])}, not RUNNING`);
  return terminateByCompute(world, instance, 'compute.instances.preempted');
}

/** Ends every VM past its `maxRunDuration` by the simulator's clock; returns their names. */
export function expireOverdue(world: SimWorld): string[] {
  const ended: string[] = [];
  for (const instance of world.instances.all()) {
    const maxRun = ((instance.json['scheduling'] ?? {}) as Json)['maxRunDuration'] as Json | undefined;
    if (!maxRun || instance.json['status'] === 'TERMINATED') continue;
    if (world.clock.now() < instance.createdAt + Number(maxRun['seconds'] ?? 0) * 1000) continue;
    terminateByCompute(world, instance, 'compute.instances.maxRunDurationReached');
    ended.push(instance.name);
  }
  return ended;
}
