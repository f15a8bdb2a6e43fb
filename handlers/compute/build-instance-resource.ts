import type { protos } from '@google-cloud/compute';
import { machineFamilyOf } from '../config/machine-families.ts';
import type { InstanceRequest } from './compute.ts';

type Instance = protos.google.cloud.compute.v1.IInstance;
type AttachedDisk = protos.google.cloud.compute.v1.IAttachedDisk;
type Scheduling = protos.google.cloud.compute.v1.IScheduling;

/** The only scope a runner VM gets; what it may do is decided by its service account's roles (none). */
const cloudPlatformScope = 'https://www.googleapis.com/auth/cloud-platform';

/**
 * On every VM, as in the seed project: no project-wide SSH keys, logins only through OS Login, and
 * zonal DNS names only (https://cloud.google.com/compute/docs/connect/restrict-ssh-keys,
 * https://cloud.google.com/compute/docs/oslogin/set-up-oslogin,
 * https://cloud.google.com/compute/docs/internal-dns#setting_vmdnssetting_using_metadata).
 */
export const seedMetadata: Readonly<Record<string, string>> = {
  'block-project-ssh-keys': 'TRUE',
  'enable-oslogin': 'TRUE',
  VmDnsSetting: 'ZonalOnly',
};

/**
 * The Compute v1 `Instance` for one runner VM. Types are zone-qualified (`zones/Z/machineTypes/T`):
 * the API refuses bare names. No `accessConfigs`, so no external IP: runners reach out through
 * Cloud NAT.
 */
export function buildInstanceResource(request: InstanceRequest, project: string): Instance {
  const { template, zone } = request;
  return {
    name: request.name,
    machineType: `zones/${zone}/machineTypes/${template.machineType}`,
    disks: [bootDisk(request)],
    networkInterfaces: [networkInterface(template.subnetwork, project)],
    guestAccelerators: template.accelerators.map((accelerator) => ({
      acceleratorType: `zones/${zone}/acceleratorTypes/${accelerator.type}`,
      acceleratorCount: accelerator.count,
    })),
    scheduling: scheduling(request),
    // The template's extra labels and metadata first: the loader refuses our keys, and ours win anyway.
    labels: { ...template.vmLabels, ...request.labels },
    metadata: { items: Object.entries({ ...template.metadata, ...request.metadata, ...seedMetadata }).map(([key, value]) => ({ key, value })) },
    serviceAccounts: template.serviceAccount === undefined ? [] : [{ email: template.serviceAccount, scopes: [cloudPlatformScope] }],
    tags: { items: [...template.networkTags] },
    shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true },
    ...(template.minCpuPlatform === undefined ? {} : { minCpuPlatform: template.minCpuPlatform }),
    ...(template.nestedVirtualization ? { advancedMachineFeatures: { enableNestedVirtualization: true } } : {}),
  };
}

function bootDisk(request: InstanceRequest): AttachedDisk {
  const { template, zone } = request;
  return {
    boot: true,
    autoDelete: true,
    type: 'PERSISTENT',
    initializeParams: {
      sourceImage: template.image,
      diskSizeGb: template.diskSizeGb,
      diskType: `zones/${zone}/diskTypes/${template.diskType}`,
      ...(template.provisionedIops === undefined ? {} : { provisionedIops: template.provisionedIops }),
      ...(template.provisionedThroughput === undefined ? {} : { provisionedThroughput: template.provisionedThroughput }),
    },
  };
}

function networkInterface(subnetwork: string | undefined, project: string): protos.google.cloud.compute.v1.INetworkInterface {
  if (subnetwork === undefined) return { network: `projects/${project}/global/networks/default` };
  return { subnetwork };
}

/**
 * Every VM carries `maxRunDuration` with action DELETE: a lost `completed` event or a cancelled
 * execution still ends with the VM gone. GPUs cannot live-migrate, so they need TERMINATE on host
 * maintenance, whether attached (N1) or built into the machine type (G2, A2, A3); spot VMs get the
 * same (the API refuses MIGRATE for them).
 */
function scheduling(request: InstanceRequest): Scheduling {
  const hasGpu = request.template.accelerators.some((accelerator) => accelerator.count > 0) || machineFamilyOf(request.template.machineType)?.builtInGpus === true;
  const base: Scheduling = {
    maxRunDuration: { seconds: request.maxRunDurationSeconds },
    instanceTerminationAction: 'DELETE',
  };
  if (request.spot) return { ...base, provisioningModel: 'SPOT', automaticRestart: false, onHostMaintenance: 'TERMINATE' };
  if (hasGpu) return { ...base, provisioningModel: 'STANDARD', onHostMaintenance: 'TERMINATE' };
  return { ...base, provisioningModel: 'STANDARD' };
}
