import { invalidField, type GoogleApiError } from './google-error.ts';
import { checkShape, type ComputeSchema } from './proto-shape.ts';
import { zonalReference } from './resource-paths.ts';
import type { Json } from './sim-types.ts';
import { validateMachine } from './validate-machine.ts';
import { validateScheduling } from './validate-scheduling.ts';

const namePattern = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const labelKeyPattern = /^[a-z][a-z0-9_-]{0,62}$/;
const labelValuePattern = /^[a-z0-9_-]{0,63}$/;
const metadataKeyPattern = /^[a-zA-Z0-9_-]{1,128}$/;
/** Compute's limits: 256 KB per metadata value, 512 KB in all, 64 labels. */
const maxMetadataValueBytes = 256 * 1024;
const maxMetadataBytes = 512 * 1024;
const maxLabels = 64;

/** The first reason Compute would refuse this `instances.insert` body with a 400, or null. */
export function validateInstance(schema: ComputeSchema, body: unknown, zone: string): GoogleApiError | null {
  const shape = checkShape(schema, 'Instance', body, 'instance_resource');
  if (shape) return shape;
  const instance = body as Json;
  const checks = [validateName, validateMachineType, validateDisks, validateNetwork, validateLabels, validateMetadata, validateAccelerators, validateMachine];
  for (const check of checks) {
    const problem = check(instance, zone);
    if (problem) return problem;
  }
  return validateScheduling(instance);
}

function validateName(instance: Json): GoogleApiError | null {
  const name = instance['name'];
  if (typeof name === 'string' && namePattern.test(name)) return null;
  return invalidField('resource.name', name, `Must be a match of regex '${namePattern.source.slice(1, -1)}'`);
}

function validateMachineType(instance: Json, zone: string): GoogleApiError | null {
  const reference = zonalReference(instance['machineType'], 'machineTypes');
  if (reference && reference.zone === zone) return null;
  return invalidField('resource.machineType', instance['machineType'], `Invalid machine type; expected 'zones/${zone}/machineTypes/TYPE'.`);
}

function validateDisks(instance: Json, zone: string): GoogleApiError | null {
  const disks = (instance['disks'] ?? []) as Json[];
  const boots = disks.filter((disk) => disk['boot'] === true);
  if (boots.length !== 1) return invalidField('resource.disks', '', 'Exactly one boot disk must be specified.');
  for (const [index, disk] of disks.entries()) {
    const params = disk['initializeParams'] as Json | undefined;
    if (!params && disk['source'] === undefined) return invalidField(`resource.disks[${index}]`, '', 'Source or initializeParams must be specified.');
    if (!params) continue;
    if (disk['boot'] === true && params['sourceImage'] === undefined) return invalidField(`resource.disks[${index}].initializeParams.sourceImage`, '', 'Required.');
    const type = params['diskType'];
    const reference = type === undefined ? { zone } : zonalReference(type, 'diskTypes');
    if (!reference || reference.zone !== zone) return invalidField(`resource.disks[${index}].initializeParams.diskType`, type, `Invalid disk type; expected 'zones/${zone}/diskTypes/TYPE'.`);
    const size = params['diskSizeGb'];
    if (size !== undefined && !(Number(size) >= 10 && Number(size) <= 65536)) return invalidField(`resource.disks[${index}].initializeParams.diskSizeGb`, size, 'Must be between 10 and 65536.');
  }
  return null;
}

function validateNetwork(instance: Json): GoogleApiError | null {
  const interfaces = (instance['networkInterfaces'] ?? []) as Json[];
  if (interfaces.length === 0) return invalidField('resource.networkInterfaces', '', 'At least one network interface is required.');
  for (const [index, nic] of interfaces.entries()) {
    if (nic['network'] === undefined && nic['subnetwork'] === undefined) return invalidField(`resource.networkInterfaces[${index}]`, '', 'A network or subnetwork is required.');
  }
  return null;
}

function validateLabels(instance: Json): GoogleApiError | null {
  const labels = (instance['labels'] ?? {}) as Record<string, string>;
  if (Object.keys(labels).length > maxLabels) return invalidField('resource.labels', '', `At most ${maxLabels} labels.`);
  for (const [key, value] of Object.entries(labels)) {
    if (!labelKeyPattern.test(key)) return invalidField('resource.labels', key, `Label key '${key}' violates format constraints. The key must start with a lowercase character, can only contain lowercase letters, numeric characters, underscores and dashes. The key can be at most 63 characters long.`);
    if (!labelValuePattern.test(value)) return invalidField('resource.labels', value, `Label value '${value}' violates format constraints. The value can only contain lowercase letters, numeric characters, underscores and dashes. The value can be at most 63 characters long.`);
  }
  return null;
}

/** Values are never echoed: they can hold the runner's JIT config. */
function validateMetadata(instance: Json): GoogleApiError | null {
  const items = (((instance['metadata'] ?? {}) as Json)['items'] ?? []) as Json[];
  const seen = new Set<string>();
  let total = 0;
  for (const item of items) {
    const key = String(item['key'] ?? '');
    if (!metadataKeyPattern.test(key)) return invalidField('resource.metadata', key, 'Metadata key must match [a-zA-Z0-9-_]{1,128}.');
    if (seen.has(key)) return invalidField('resource.metadata', key, `Duplicate metadata key '${key}'.`);
    seen.add(key);
    const size = Buffer.byteLength(String(item['value'] ?? ''));
    if (size > maxMetadataValueBytes) return invalidField('resource.metadata', key, `Value of metadata key '${key}' exceeds ${maxMetadataValueBytes} bytes.`);
    total += size + Buffer.byteLength(key);
  }
  return total > maxMetadataBytes ? invalidField('resource.metadata', '', `Metadata exceeds ${maxMetadataBytes} bytes.`) : null;
}

function validateAccelerators(instance: Json, zone: string): GoogleApiError | null {
  for (const [index, accelerator] of ((instance['guestAccelerators'] ?? []) as Json[]).entries()) {
    const reference = zonalReference(accelerator['acceleratorType'], 'acceleratorTypes');
    if (!reference || reference.zone !== zone) return invalidField(`resource.guestAccelerators[${index}].acceleratorType`, accelerator['acceleratorType'], `Invalid accelerator type; expected 'zones/${zone}/acceleratorTypes/TYPE'.`);
    if (!(Number(accelerator['acceleratorCount'] ?? 0) >= 1)) return invalidField(`resource.guestAccelerators[${index}].acceleratorCount`, accelerator['acceleratorCount'], 'Must be at least 1.');
  }
  return null;
}
