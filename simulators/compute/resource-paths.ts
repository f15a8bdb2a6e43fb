/** How Compute names resources in URLs: `https://www.googleapis.com/compute/v1/projects/P/…`. */
export const apiBase = 'https://www.googleapis.com/compute/v1/';

/**
 * The `zones/Z/<collection>/NAME` a partial or full URL points to, or null when it is not one: the
 * API accepts `zones/Z/machineTypes/T`, `projects/P/zones/Z/machineTypes/T` and full URLs, never
 * the bare name.
 */
export function zonalReference(value: unknown, collection: string): { zone: string; name: string } | null {
  if (typeof value !== 'string') return null;
  const path = value.startsWith(apiBase) ? value.slice(apiBase.length) : value;
  const match = new RegExp(`^(?:projects/[a-z0-9:.-]+/)?zones/([a-z0-9-]+)/${collection}/([A-Za-z0-9_.-]+)$`).exec(path);
  return match ? { zone: match[1]!, name: match[2]! } : null;
}

/** Full URL of a partial reference (`zones/Z/…`, `global/…`, `regions/R/…`, `projects/P/…`). */
export function fullUrl(reference: string, project: string): string {
  if (/^https?:\/\//.test(reference)) return reference;
  if (reference.startsWith('projects/')) return `${apiBase}${reference}`;
  return `${apiBase}projects/${project}/${reference}`;
}

export function zoneUrl(project: string, zone: string): string {
  return `${apiBase}projects/${project}/zones/${zone}`;
}

export function instancePath(project: string, zone: string, name: string): string {
  return `projects/${project}/zones/${zone}/instances/${name}`;
}

/** `us-central1-a` → `us-central1`. */
export function regionOf(zone: string): string {
  return zone.replace(/-[a-z]$/, '');
}
