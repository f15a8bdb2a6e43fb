import type { protos } from '@google-cloud/compute';
import type { InstanceRequest } from './compute.ts';

type Instance = protos.google.cloud.compute.v1.IInstance;
type AttachedDisk = protos.google.cloud.compute.v1.IAttachedDisk;
type Scheduling = protos.google.cloud.compute.v1.IScheduling;

/** The only scope a runner VM gets; what it may do is decided by its service account's roles (none). */
const cloudPlatformScope = 'https://www.googleapis.com/auth/cloud-platform';

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
    labels: { ...request.labels },
    metadata: { items: Object.entries(request.metadata).map(([key, value]) => ({ key, value })) },
    serviceAccounts: template.serviceAccount === undefined ? [] : [{ email: template.serviceAccount, scopes: [cloudPlatformScope] }],
    tags: { items: [...template.networkTags] },
    shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true },
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
 * maintenance; spot VMs get the same (the API refuses MIGRATE for them).
 */
function scheduling(request: InstanceRequest): Scheduling {
  const hasGpu = request.template.accelerators.some((accelerator) => accelerator.count > 0);
  const base: Scheduling = {
    maxRunDuration: { seconds: request.maxRunDurationSeconds },
    instanceTerminationAction: 'DELETE',
  };
  if (request.spot) return { ...base, provisioningModel: 'SPOT', automaticRestart: false, onHostMaintenance: 'TERMINATE' };
  if (hasGpu) return { ...base, provisioningModel: 'STANDARD', onHostMaintenance: 'TERMINATE' };
  return { ...base, provisioningModel: 'STANDARD' };
}
