import { RunnerError } from '../errors.ts';
import type { RunnerInfo, RunnerScope } from './github.ts';
import type { InstallationCall } from './installation-call.ts';
import { runnersRoute } from './scope.ts';

/** The fields of GitHub's `runner` object that we read. */
export interface RunnerWire {
  readonly id: number;
  readonly name: string;
  readonly status: string;
  readonly busy: boolean;
  readonly labels: readonly { readonly name: string }[];
}

interface RunnerPage {
  readonly total_count: number;
  readonly runners: readonly RunnerWire[];
}

/** GitHub's maximum page size for the runners list. */
const PAGE_SIZE = 100;
/** 100 pages = 10,000 runners, far above any runner limit: a bound against a server that never ends. */
const MAX_PAGES = 100;

export function toRunnerInfo(wire: RunnerWire): RunnerInfo {
  return {
    id: wire.id,
    name: wire.name,
    status: wire.status,
    busy: wire.busy,
    labels: wire.labels.map((label) => label.name),
  };
}

/** GitHub's `name` filter is an exact match. */
export async function findRunnerByName(call: InstallationCall, scope: RunnerScope, name: string): Promise<RunnerInfo | null> {
  const { route, params } = runnersRoute('GET', scope);
  const { data } = await call<RunnerPage>(scope.installationId, route, { params: { ...params, name, per_page: PAGE_SIZE } });
  const match = data.runners.find((runner) => runner.name === name);
  return match === undefined ? null : toRunnerInfo(match);
}

/** Every runner of the scope whose name starts with `namePrefix`, across all pages. */
export async function listRunners(call: InstallationCall, scope: RunnerScope, namePrefix: string): Promise<RunnerInfo[]> {
  const { route, params } = runnersRoute('GET', scope);
  const found: RunnerInfo[] = [];
  let seen = 0;
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const { data } = await call<RunnerPage>(scope.installationId, route, {
      params: { ...params, per_page: PAGE_SIZE, page },
    });
    seen += data.runners.length;
    for (const runner of data.runners) if (runner.name.startsWith(namePrefix)) found.push(toRunnerInfo(runner));
    if (data.runners.length < PAGE_SIZE || seen >= data.total_count) return found;
  }
  throw new RunnerError('fatal', `listing runners of ${scope.owner} did not end after ${MAX_PAGES} pages`);
}

/** 204 → deleted, 404 → already gone, 422 → still running a job (`busy`). */
export async function deleteRunner(call: InstallationCall, scope: RunnerScope, runnerId: number): Promise<'deleted' | 'absent'> {
  const { route, params } = runnersRoute('DELETE', scope, '/{runner_id}');
  try {
    await call(scope.installationId, route, { params: { ...params, runner_id: runnerId }, statusKinds: { 422: 'busy' } });
    return 'deleted';
  } catch (error) {
    if (error instanceof RunnerError && error.kind === 'not_found') return 'absent';
    throw error;
  }
}
