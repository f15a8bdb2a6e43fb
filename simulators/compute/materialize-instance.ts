import { createHash } from 'node:crypto';
import { numericId } from './operation-store.ts';
import { fullUrl, zoneUrl } from './resource-paths.ts';
import type { Json } from './sim-types.ts';

/**
 * The instance as `instances.get` returns it after an insert: the body, with references made
 * full URLs, server fields added (id, status, selfLink, fingerprints, an internal IP) and the
 * scheduling defaults Compute fills in.
 */
export function materializeInstance(body: Json, project: string, zone: string, createdAt: number, internalIp: string): Json {
  const name = String(body['name']);
  const selfLink = fullUrl(`zones/${zone}/instances/${name}`, project);
  const instance: Json = {
    ...structuredClone(body),
    kind: 'compute#instance',
    id: numericId(),
    creationTimestamp: new Date(createdAt).toISOString(),
    zone: zoneUrl(project, zone),
    machineType: fullUrl(String(body['machineType']), project),
    status: 'PROVISIONING',
    selfLink,
    cpuPlatform: 'Unknown CPU Platform',
    fingerprint: fingerprint(body),
    labelFingerprint: fingerprint(body['labels'] ?? {}),
    startRestricted: false,
    deletionProtection: body['deletionProtection'] ?? false,
    disks: ((body['disks'] ?? []) as Json[]).map((disk, index) => attachedDisk(disk, index, name, project, zone)),
    networkInterfaces: ((body['networkInterfaces'] ?? []) as Json[]).map((nic, index) => networkInterface(nic, index, project, internalIp)),
    metadata: { kind: 'compute#metadata', fingerprint: fingerprint(body['metadata'] ?? {}), items: [], ...(body['metadata'] as Json | undefined) },
    scheduling: scheduling((body['scheduling'] ?? {}) as Json),
  };
  if (Array.isArray(body['guestAccelerators'])) {
    instance['guestAccelerators'] = (body['guestAccelerators'] as Json[]).map((accelerator) => ({
      ...accelerator,
      acceleratorType: fullUrl(String(accelerator['acceleratorType']), project),
    }));
  }
  return instance;
}

function attachedDisk(disk: Json, index: number, instanceName: string, project: string, zone: string): Json {
  const params = (disk['initializeParams'] ?? {}) as Json;
  const diskName = String(params['diskName'] ?? (index === 0 ? instanceName : `${instanceName}-${index}`));
  return {
    kind: 'compute#attachedDisk',
    type: disk['type'] ?? 'PERSISTENT',
    mode: disk['mode'] ?? 'READ_WRITE',
    source: disk['source'] ?? fullUrl(`zones/${zone}/disks/${diskName}`, project),
    deviceName: disk['deviceName'] ?? diskName,
    index,
    boot: disk['boot'] ?? false,
    autoDelete: disk['autoDelete'] ?? false,
    interface: disk['interface'] ?? 'SCSI',
    diskSizeGb: String(params['diskSizeGb'] ?? '10'),
  };
}

function networkInterface(nic: Json, index: number, project: string, internalIp: string): Json {
  const network = nic['network'] === undefined ? fullUrl('global/networks/default', project) : fullUrl(String(nic['network']), project);
  return {
    ...nic,
    kind: 'compute#networkInterface',
    name: `nic${index}`,
    network,
    ...(nic['subnetwork'] === undefined ? {} : { subnetwork: fullUrl(String(nic['subnetwork']), project) }),
    networkIP: internalIp,
    stackType: 'IPV4_ONLY',
    fingerprint: fingerprint(nic),
  };
}

/** Compute's defaults: STANDARD VMs migrate and restart; Spot VMs terminate and do not restart. */
function scheduling(given: Json): Json {
  const spot = given['provisioningModel'] === 'SPOT' || given['preemptible'] === true;
  return {
    onHostMaintenance: spot ? 'TERMINATE' : 'MIGRATE',
    automaticRestart: !spot,
    preemptible: given['preemptible'] ?? false,
    provisioningModel: 'STANDARD',
    ...given,
  };
}

function fingerprint(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64').slice(0, 11) + '=';
}
