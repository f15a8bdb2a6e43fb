import { protos } from '@google-cloud/compute';

const Instance = protos.google.cloud.compute.v1.Instance;

/** Every key path of a JSON value, array items as `[]`: `scheduling.maxRunDuration.seconds`, `disks[].boot`. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => keyPaths(item, `${prefix}[]`));
  if (typeof value !== 'object' || value === null) return prefix ? [prefix] : [];
  return Object.entries(value).flatMap(([key, item]) => keyPaths(item, prefix ? `${prefix}.${key}` : key));
}

/**
 * Problems of an Instance body against the Compute v1 message type the client library ships:
 * field names it does not know (dropped by `fromObject`) and values `verify` refuses.
 */
export function instanceShapeProblems(body: unknown): string[] {
  const message = Instance.fromObject(body as Record<string, unknown>);
  const known = new Set(keyPaths(Instance.toObject(message, { longs: String })));
  // Maps (labels) come back with every key, so an entry is known when the map is.
  const unknown = keyPaths(body).filter((path) => !known.has(path) && !path.startsWith('labels.'));
  const verified = Instance.verify(Instance.toObject(message, { longs: Number }));
  return verified === null ? unknown.map((path) => `unknown field ${path}`) : [...unknown, verified];
}
