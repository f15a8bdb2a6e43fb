import { imageArch, machineFamilyName, machineFamilyOf, type MachineFamily } from '../../handlers/config/machine-families.ts';
import { hyperdiskBalanced } from '../../handlers/config/template-rules.ts';
import { invalidField, type GoogleApiError } from './google-error.ts';
import type { Json } from './sim-types.ts';

/**
 * What Compute Engine refuses about the machine type and what goes with it: an unknown type, a
 * boot disk type or an image of the wrong series or architecture, provisioned performance on a
 * disk that takes none, GPUs on a series that cannot attach them, a GPU machine left to migrate,
 * nested virtualization or a minimum CPU platform where the series has none. The rules and their
 * sources are in handlers/config/machine-families.ts.
 */
export function validateMachine(instance: Json): GoogleApiError | null {
  const machineType = String(instance['machineType']).split('/').pop() ?? '';
  const family = machineFamilyOf(machineType);
  if (!family) return invalidField('resource.machineType', instance['machineType'], `Machine type with name '${machineType}' does not exist.`);
  const checks = [checkDisks, checkAccelerators, checkFeatures];
  for (const check of checks) {
    const problem = check(instance, machineType, family);
    if (problem) return problem;
  }
  return null;
}

function checkDisks(instance: Json, machineType: string, family: MachineFamily): GoogleApiError | null {
  for (const [index, disk] of ((instance['disks'] ?? []) as Json[]).entries()) {
    const params = (disk['initializeParams'] ?? {}) as Json;
    const at = `resource.disks[${index}].initializeParams`;
    const diskType = String(params['diskType'] ?? 'pd-standard').split('/').pop() ?? '';
    if (disk['boot'] === true && !family.bootDiskTypes.includes(diskType)) {
      return invalidField(`${at}.diskType`, params['diskType'], `[${diskType}] disk type cannot be used by [${machineType}] machine type.`);
    }
    const image = typeof params['sourceImage'] === 'string' ? imageArch(params['sourceImage']) : null;
    if (image !== null && image !== family.arch) {
      return invalidField(`${at}.sourceImage`, params['sourceImage'], `The selected machine type (${machineType}) has a different architecture (${family.arch}) from the image (${image}).`);
    }
    const problem = checkProvisioned(params, at, diskType);
    if (problem) return problem;
  }
  return null;
}

function checkProvisioned(params: Json, at: string, diskType: string): GoogleApiError | null {
  const iops = params['provisionedIops'];
  const throughput = params['provisionedThroughput'];
  if (diskType !== 'hyperdisk-balanced') {
    if (iops !== undefined) return invalidField(`${at}.provisionedIops`, iops, `Provisioned IOPS cannot be set for disk type ${diskType}.`);
    if (throughput !== undefined) return invalidField(`${at}.provisionedThroughput`, throughput, `Provisioned throughput cannot be set for disk type ${diskType}.`);
    return null;
  }
  const size = Number(params['diskSizeGb'] ?? 100);
  const maxIops = Math.min(hyperdiskBalanced.maxIops, hyperdiskBalanced.iopsPerGiB * size);
  if (iops !== undefined && !(Number(iops) >= hyperdiskBalanced.minIops && Number(iops) <= maxIops)) {
    return invalidField(`${at}.provisionedIops`, iops, `Requested provisioned IOPS must be between ${hyperdiskBalanced.minIops} and ${maxIops} for a ${size} GB disk.`);
  }
  if (throughput !== undefined && !(Number(throughput) >= hyperdiskBalanced.minThroughput && Number(throughput) <= hyperdiskBalanced.maxThroughput)) {
    return invalidField(`${at}.provisionedThroughput`, throughput, `Requested provisioned throughput must be between ${hyperdiskBalanced.minThroughput} and ${hyperdiskBalanced.maxThroughput}.`);
  }
  return null;
}

function checkAccelerators(instance: Json, machineType: string, family: MachineFamily): GoogleApiError | null {
  const accelerators = (instance['guestAccelerators'] ?? []) as Json[];
  if (accelerators.length > 0 && !family.attachesGpus) {
    return invalidField('resource.guestAccelerators', '', `Machine type ${machineType} does not support guest accelerators.`);
  }
  const scheduling = (instance['scheduling'] ?? {}) as Json;
  const spot = scheduling['provisioningModel'] === 'SPOT' || scheduling['preemptible'] === true;
  const onHostMaintenance = scheduling['onHostMaintenance'] ?? (spot ? 'TERMINATE' : 'MIGRATE');
  if (family.builtInGpus && onHostMaintenance !== 'TERMINATE') {
    return invalidField('resource.scheduling.onHostMaintenance', onHostMaintenance, `Instances with GPUs (${machineType}) do not support live migration.`);
  }
  return null;
}

function checkFeatures(instance: Json, machineType: string, family: MachineFamily): GoogleApiError | null {
  const features = (instance['advancedMachineFeatures'] ?? {}) as Json;
  if (features['enableNestedVirtualization'] === true && !family.nestedVirtualization) {
    return invalidField('resource.advancedMachineFeatures.enableNestedVirtualization', true, `Nested virtualization is not supported on machine type ${machineType}.`);
  }
  if (instance['minCpuPlatform'] !== undefined && !family.minCpuPlatform) {
    return invalidField('resource.minCpuPlatform', instance['minCpuPlatform'], `Machine series ${machineFamilyName(machineType).toUpperCase()} does not support a minimum CPU platform.`);
  }
  return null;
}
