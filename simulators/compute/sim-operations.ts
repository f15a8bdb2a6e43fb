import { callFaultError, callFaults } from './fault-errors.ts';
import { notFound } from './google-error.ts';
import type { SimOperation } from './operation-store.ts';
import type { Json } from './sim-types.ts';
import { checkScope, type SimWorld } from './sim-world.ts';

function findOperation(world: SimWorld, project: string, zone: string, name: string): SimOperation {
  const scoped = checkScope(world, project, zone);
  if (scoped) throw scoped;
  const operation = world.operations.get(zone, name);
  if (!operation) throw notFound(`projects/${project}/zones/${zone}/operations/${name}`);
  return operation;
}

export function getOperation(world: SimWorld, project: string, zone: string, name: string): Json {
  const operation = findOperation(world, project, zone, name);
  const fault = world.faults.take('operationGet', zone, undefined, callFaults);
  if (fault) throw callFaultError(fault, zone, `projects/${project}/zones/${zone}/operations/${name}`);
  return structuredClone(operation.json);
}

/**
 * `zoneOperations.wait`: blocks until DONE or `waitTimeoutMs`, then answers the operation as it
 * is, DONE or not. A `wait_early` fault answers at once with the operation still RUNNING (even
 * when it has finished meanwhile), as Compute may: the client has to ask again.
 */
export async function waitOperation(world: SimWorld, project: string, zone: string, name: string): Promise<Json> {
  const operation = findOperation(world, project, zone, name);
  const fault = world.faults.take('operationWait', zone, undefined, new Set([...callFaults, 'wait_early']));
  if (fault === 'wait_early') return structuredClone(operation.runningView);
  if (fault) throw callFaultError(fault, zone, `projects/${project}/zones/${zone}/operations/${name}`);
  await world.operations.waitFor(operation, world.timings.waitTimeoutMs);
  return structuredClone(operation.json);
}
