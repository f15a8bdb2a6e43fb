import { callFaultError, callFaults, operationFailure, operationFaults } from './fault-errors.ts';
import { alreadyExists, invalidField, type GoogleApiError } from './google-error.ts';
import type { SimInstance } from './instance-store.ts';
import { materializeInstance } from './materialize-instance.ts';
import { instancePath } from './resource-paths.ts';
import { boot } from './sim-lifecycle.ts';
import type { Json } from './sim-types.ts';
import { checkScope, type SimWorld } from './sim-world.ts';
import { validateInstance } from './validate-instance.ts';

/** Compute refuses the zero UUID too. */
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const zeroUuid = '00000000-0000-0000-0000-000000000000';

export function checkRequestId(requestId: string | undefined): GoogleApiError | null {
  if (requestId === undefined || (uuidPattern.test(requestId) && requestId !== zeroUuid)) return null;
  return invalidField('requestId', requestId, `The request ID must be a valid UUID with the exception that zero UUID is not supported (${zeroUuid}).`);
}

/**
 * `instances.insert`: validates like Compute, answers a repeated requestId with its first
 * operation (creating nothing), refuses a taken name with 409, then creates the instance and a
 * RUNNING operation that finishes after `operationDelayMs`. The answer is taken before it finishes,
 * so a client always has to wait on it.
 */
export function insertInstance(world: SimWorld, project: string, zone: string, requestId: string | undefined, body: unknown): Json {
  world.counts.insertCalls += 1;
  const scoped = checkScope(world, project, zone) ?? checkRequestId(requestId);
  if (scoped) throw scoped;
  const repeated = world.operations.recall(requestId);
  if (repeated) return structuredClone(repeated.json);
  const invalid = validateInstance(world.schema, body, zone);
  if (invalid) throw invalid;
  const resource = body as Json;
  const name = String(resource['name']);
  const callFault = world.faults.take('insert', zone, name, callFaults);
  if (callFault) throw callFaultError(callFault, zone, instancePath(project, zone, name));
  if (world.instances.get(zone, name)) throw alreadyExists(instancePath(project, zone, name));
  const fault = world.faults.take('insert', zone, name, operationFaults);
  if (fault) return failedInsert(world, { project, zone, name, requestId }, operationFailure(fault, zone));
  return acceptedInsert(world, { project, zone, name, requestId }, resource);
}

interface InsertTarget {
  readonly project: string;
  readonly zone: string;
  readonly name: string;
  readonly requestId: string | undefined;
}

function failedInsert(world: SimWorld, target: InsertTarget, failure: ReturnType<typeof operationFailure>): Json {
  const operation = world.operations.create({ ...target, operationType: 'insert', targetName: target.name, targetId: '0' });
  world.operations.remember(target.requestId, operation);
  const answer = structuredClone(operation.json);
  world.timers.after(world.timings.operationDelayMs, () => world.operations.finish(operation, failure));
  return answer;
}

function acceptedInsert(world: SimWorld, target: InsertTarget, resource: Json): Json {
  const createdAt = world.clock.now();
  const ip = `10.128.${Math.floor(world.nextHost / 250)}.${(world.nextHost % 250) + 2}`;
  world.nextHost += 1;
  const json = materializeInstance(resource, target.project, target.zone, createdAt, ip);
  const operation = world.operations.create({ ...target, operationType: 'insert', targetName: target.name, targetId: String(json['id']) });
  world.operations.remember(target.requestId, operation);
  const instance: SimInstance = { project: target.project, name: target.name, zone: target.zone, json, createdAt, busyWith: operation };
  world.instances.add(instance);
  world.counts.inserted += 1;
  const answer = structuredClone(operation.json);
  world.timers.after(world.timings.operationDelayMs, () => {
    instance.busyWith = null;
    world.operations.finish(operation);
  });
  boot(world, instance);
  return answer;
}
