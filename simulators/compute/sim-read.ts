import { callFaultError, callFaults } from './fault-errors.ts';
import { compileFilter } from './filter-expression.ts';
import { invalidField, notFound } from './google-error.ts';
import { apiBase, instancePath } from './resource-paths.ts';
import type { Json, SimCall } from './sim-types.ts';
import { checkScope, type SimWorld } from './sim-world.ts';

/** Compute's default and largest page. */
const maxPageSize = 500;

export interface ListQuery {
  readonly filter?: string | undefined;
  readonly maxResults?: string | undefined;
  readonly pageToken?: string | undefined;
}

function failIfFaulted(world: SimWorld, call: SimCall, zone: string | undefined, name: string | undefined, resource: string, filter?: string): void {
  const fault = world.faults.take(call, zone, name, callFaults, filter);
  if (fault) throw callFaultError(fault, zone, resource);
}

export function getInstance(world: SimWorld, project: string, zone: string, name: string): Json {
  const scoped = checkScope(world, project, zone);
  if (scoped) throw scoped;
  failIfFaulted(world, 'get', zone, name, instancePath(project, zone, name));
  const instance = world.instances.get(zone, name);
  if (!instance) throw notFound(instancePath(project, zone, name));
  return structuredClone(instance.json);
}

/** One page of `items`, with `nextPageToken` (an offset) when more remain. */
function page<T>(items: T[], query: ListQuery): { items: T[]; nextPageToken?: string } {
  const size = query.maxResults === undefined ? maxPageSize : Number(query.maxResults);
  if (!Number.isInteger(size) || size < 0 || size > maxPageSize) throw invalidField('maxResults', query.maxResults, `Must be between 0 and ${maxPageSize}.`);
  const offset = query.pageToken === undefined ? 0 : Number(Buffer.from(query.pageToken, 'base64url').toString());
  if (!Number.isInteger(offset) || offset < 0) throw invalidField('pageToken', query.pageToken, 'Invalid page token.');
  const end = size === 0 ? items.length : offset + size;
  const result: { items: T[]; nextPageToken?: string } = { items: items.slice(offset, end) };
  if (end < items.length) result.nextPageToken = Buffer.from(String(end)).toString('base64url');
  return result;
}

export function listInstances(world: SimWorld, project: string, zone: string, query: ListQuery): Json {
  const scoped = checkScope(world, project, zone);
  if (scoped) throw scoped;
  failIfFaulted(world, 'list', zone, undefined, `projects/${project}/zones/${zone}/instances`, query.filter);
  const matches = compileFilter(query.filter);
  const found = world.instances.all().filter((instance) => instance.zone === zone && matches(instance.json));
  const { items, nextPageToken } = page(found.map((instance) => instance.json), query);
  return {
    kind: 'compute#instanceList',
    id: `projects/${project}/zones/${zone}/instances`,
    items,
    selfLink: `${apiBase}projects/${project}/zones/${zone}/instances`,
    ...(nextPageToken === undefined ? {} : { nextPageToken }),
  };
}

/** `aggregated/instances`: every zone as `zones/Z`, those without a match carrying a NO_RESULTS_ON_PAGE warning. */
export function aggregatedListInstances(world: SimWorld, project: string, query: ListQuery): Json {
  const scoped = checkScope(world, project);
  if (scoped) throw scoped;
  failIfFaulted(world, 'aggregatedList', undefined, undefined, `projects/${project}/aggregated/instances`, query.filter);
  const matches = compileFilter(query.filter);
  const found = world.instances.all().filter((instance) => matches(instance.json));
  const { items, nextPageToken } = page(found, query);
  const scopes: Record<string, Json> = {};
  for (const zone of world.zones) {
    // No copy: the answer is serialized at once (after a field mask, if any, picked its fields).
    const here = items.filter((instance) => instance.zone === zone).map((instance) => instance.json);
    scopes[`zones/${zone}`] = here.length > 0
      ? { instances: here }
      : { warning: { code: 'NO_RESULTS_ON_PAGE', message: 'There are no results for scope \'zones/' + zone + '\' on this page.', data: [{ key: 'scope', value: `zones/${zone}` }] } };
  }
  return {
    kind: 'compute#instanceAggregatedList',
    id: `projects/${project}/aggregated/instances`,
    items: scopes,
    selfLink: `${apiBase}projects/${project}/aggregated/instances`,
    ...(nextPageToken === undefined ? {} : { nextPageToken }),
  };
}
