import { callFaultError, callFaults } from './fault-errors.ts';
import { notFound, notReady } from './google-error.ts';
import { instancePath } from './resource-paths.ts';
import { checkRequestId } from './sim-insert.ts';
import type { Json } from './sim-types.ts';
import { checkScope, type SimWorld } from './sim-world.ts';

/**
 * `instances.delete`: 404 when absent, `resourceNotReady` while another operation runs on the VM,
 * else STOPPING and gone when its operation finishes (after `operationDelayMs`).
 */
export function deleteInstance(world: SimWorld, project: string, zone: string, name: string, requestId: string | undefined): Json {
  world.counts.deleteCalls += 1;
  const scoped = checkScope(world, project, zone) ?? checkRequestId(requestId);
  if (scoped) throw scoped;
  const repeated = world.operations.recall(requestId);
  if (repeated) return structuredClone(repeated.json);
  const path = instancePath(project, zone, name);
  const fault = world.faults.take('delete', zone, name, callFaults);
  if (fault) throw callFaultError(fault, zone, path);
  const instance = world.instances.get(zone, name);
  if (!instance) throw notFound(path);
  if (instance.busyWith && !instance.busyWith.done) throw notReady(path);
  const operation = world.operations.create({ project, zone, operationType: 'delete', targetName: name, targetId: String(instance.json['id']) });
  world.operations.remember(requestId, operation);
  instance.busyWith = operation;
  world.instances.setStatus(instance, 'STOPPING');
  const answer = structuredClone(operation.json);
  world.timers.after(world.timings.operationDelayMs, () => {
    world.instances.remove(instance);
    world.counts.deleted += 1;
    world.operations.finish(operation);
  });
  return answer;
}
