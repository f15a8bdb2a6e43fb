import type { Compute, InstanceInfo, ListOptions } from './compute.ts';

type ListInstances = Compute['listInstances'];

/**
 * Serves a list call that accepts an answer up to `maxAgeMs` old from the last list of the same
 * labels (and metadata choice), in flight or done, instead of asking Compute again. A failed list
 * is forgotten at once, so the next caller asks again.
 */
export function reuseRecentLists(list: ListInstances, now: () => number): ListInstances {
  const recent = new Map<string, { readonly at: number; readonly instances: Promise<readonly InstanceInfo[]> }>();
  return (labels, options: ListOptions = {}) => {
    if (options.maxAgeMs === undefined) return list(labels, options);
    const key = JSON.stringify([Object.entries(labels).sort(), options.metadata !== false]);
    const last = recent.get(key);
    if (last && now() - last.at <= options.maxAgeMs) return last.instances;
    const instances = list(labels, options);
    recent.set(key, { at: now(), instances });
    instances.catch(() => recent.get(key)?.instances === instances && recent.delete(key));
    return instances;
  };
}
