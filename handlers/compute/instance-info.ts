import type { protos } from '@google-cloud/compute';
import type { InstanceInfo } from './compute.ts';

/** Never read back: it is the runner's registration secret. */
export const secretMetadataKeys: ReadonlySet<string> = new Set(['jit-config']);

/** The last segment of a zone URL or `zones/Z` key (`…/zones/us-central1-a` → `us-central1-a`). */
export function zoneOf(zoneUrl: string | null | undefined): string {
  return (zoneUrl ?? '').split('/').pop() ?? '';
}

export function toInstanceInfo(instance: protos.google.cloud.compute.v1.IInstance, fallbackZone = ''): InstanceInfo {
  const metadata: Record<string, string> = {};
  for (const item of instance.metadata?.items ?? []) {
    if (item.key && !secretMetadataKeys.has(item.key)) metadata[item.key] = item.value ?? '';
  }
  return {
    name: instance.name ?? '',
    zone: zoneOf(instance.zone) || fallbackZone,
    status: instance.status ?? 'UNKNOWN',
    labels: { ...instance.labels },
    metadata,
    createdAt: instance.creationTimestamp ?? '',
    spot: instance.scheduling?.provisioningModel === 'SPOT' || instance.scheduling?.preemptible === true,
  };
}
