import { classifyComputeError } from './classify-compute-error.ts';
import type { InstanceInfo, ListOptions } from './compute.ts';
import type { ComputeContext } from './compute-context.ts';
import { toInstanceInfo, zoneOf } from './instance-info.ts';
import { fieldFilter, labelFilter } from './label-filter.ts';
import { withDeadline, type DeadlineOptions } from './own-deadline.ts';

export async function getInstance(context: ComputeContext, name: string, zone: string): Promise<InstanceInfo | null> {
  try {
    const [instance] = await withDeadline(context.timings.callTimeoutMs, `get ${name}`, (options) =>
      context.instances.get({ project: context.project, zone, instance: name }, options),
    );
    return toInstanceInfo(instance, zone);
  } catch (error) {
    const classified = classifyComputeError(error, `get ${name} in ${zone}`);
    if (classified.kind === 'not_found') return null;
    throw classified;
  }
}

/**
 * One aggregated list filtered by name rather than a GET per zone: one call however many zones the
 * template has, and a VM not made yet (the usual case before an insert) is an empty answer, not a
 * 404 per zone.
 */
export async function findInstance(context: ComputeContext, name: string, zones: readonly string[]): Promise<InstanceInfo | null> {
  const found = await listWhere(context, fieldFilter({ name }), {});
  return found.find((instance) => zones.includes(instance.zone)) ?? null;
}

/**
 * What a list without metadata asks Compute to send of each instance (a partial response,
 * X-Goog-FieldMask): all of `InstanceInfo` but the metadata, which holds the startup script
 * (~13 KB a VM). Admission lists the fleet for every job; whole instances moved megabytes per job.
 */
export const summaryFields = 'items.*.instances(name,zone,status,labels,creationTimestamp,scheduling(provisioningModel,preemptible)),nextPageToken';

/** One aggregated list across every zone of the project, filtered on the server by label. */
export function listInstances(context: ComputeContext, labels: Readonly<Record<string, string>>, options: ListOptions = {}): Promise<InstanceInfo[]> {
  return listWhere(context, labelFilter(labels), options);
}

async function listWhere(context: ComputeContext, filter: string, options: ListOptions): Promise<InstanceInfo[]> {
  try {
    return await withDeadline(context.timings.callTimeoutMs, `list instances where ${filter}`, (deadline) => allPages(context, filter, options, deadline));
  } catch (error) {
    throw classifyComputeError(error, `list instances where ${filter}`);
  }
}

async function allPages(context: ComputeContext, filter: string, options: ListOptions, deadline: DeadlineOptions): Promise<InstanceInfo[]> {
  const found: InstanceInfo[] = [];
  const pages = context.instances.aggregatedListAsync(
    { project: context.project, filter },
    { ...deadline, autoPaginate: false, ...(options.metadata === false ? { otherArgs: { headers: { 'x-goog-fieldmask': summaryFields } } } : {}) },
  );
  for await (const [scope, list] of pages) for (const instance of list.instances ?? []) found.push(toInstanceInfo(instance, zoneOf(scope)));
  return found;
}
