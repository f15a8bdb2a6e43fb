import { z } from 'zod';
import { RunnerError } from '../errors.ts';
import type { RunnerInfo, RunnerScope } from '../github/github.ts';
import { describeScope } from '../github/scope.ts';
import { parseInput, runnerName } from '../steps/step-input.ts';
import { liveVmNames, type RunnerCandidate } from './find-stale-runners.ts';
import { eachUntilRateLimited } from './limited-concurrency.ts';
import type { ReaperBaseDeps } from './ports.ts';
import { MAX_RUNNER_CANDIDATES, RUNNER_GRACE_SECONDS } from './reaper-limits.ts';
import { countBy, isStoppedEarly, unlessRateLimited, type StoppedEarly } from './run-report.ts';

const candidate = z.object({
  installationId: z.number().int(),
  owner: z.string().min(1),
  repo: z.string().min(1).nullable(),
  runnerId: z.number().int(),
  name: runnerName,
});
const inputSchema = z.object({
  observedAt: z.iso.datetime(),
  candidates: z.array(candidate).max(MAX_RUNNER_CANDIDATES),
  /** What the workflow waited between the two looks. */
  graceSeconds: z.number().int().min(0).default(RUNNER_GRACE_SECONDS),
});

export interface RemoveStaleRunnersResult {
  readonly removed: { readonly name: string; readonly scope: string; readonly why: string }[];
  readonly kept: Record<string, number>;
  readonly skipped: { readonly name: string; readonly why: string }[];
  readonly stoppedEarly: StoppedEarly | null;
}

function scopeOf(c: RunnerCandidate): RunnerScope {
  const base = { installationId: c.installationId, owner: c.owner };
  return c.repo === null ? base : { ...base, repo: c.repo };
}

/** Why a candidate is no longer one at the second look, or null when it still is. */
function keepReason(runner: RunnerInfo | null, c: RunnerCandidate, vmNames: ReadonlySet<string>): string | null {
  if (runner === null) return 'already gone';
  if (runner.id !== c.runnerId) return 'registered again since';
  if (runner.status === 'online') return 'came online';
  if (runner.busy) return 'busy';
  if (vmNames.has(c.name)) return 'has a VM now';
  return null;
}

/** A job can reach the runner between the lookup and the delete: GitHub then answers 422. */
async function deleteUnlessBusy(deps: ReaperBaseDeps, scope: RunnerScope, runnerId: number): Promise<'deleted' | 'absent' | 'busy'> {
  try {
    return await deps.github.deleteRunner(scope, runnerId);
  } catch (error) {
    if (error instanceof RunnerError && error.kind === 'busy') return 'busy';
    throw error;
  }
}

/**
 * The second look: a candidate of find-stale-runners that is still the same registration (same
 * id), still offline and idle, and still without a VM, at least the grace later, is removed.
 */
export async function removeStaleRunners(input: unknown, deps: ReaperBaseDeps): Promise<RemoveStaleRunnersResult> {
  const { observedAt, candidates, graceSeconds } = parseInput(inputSchema, input);
  const elapsed = Math.floor((deps.clock.now() - Date.parse(observedAt)) / 1000);
  const result = { removed: [] as RemoveStaleRunnersResult['removed'], skipped: [] as RemoveStaleRunnersResult['skipped'] };
  if (elapsed < graceSeconds) {
    return { ...result, kept: candidates.length === 0 ? {} : { [`looked again after ${elapsed} s, before the ${graceSeconds} s grace`]: candidates.length }, stoppedEarly: null };
  }
  const vmNames = await unlessRateLimited(() => liveVmNames(deps.compute));
  if (isStoppedEarly(vmNames)) return { ...result, kept: {}, stoppedEarly: vmNames };
  const reasons: string[] = [];
  const stoppedEarly = await eachUntilRateLimited(candidates, 1, async (c) => {
    const scope = scopeOf(c);
    const reason = keepReason(await deps.github.findRunnerByName(scope, c.name), c, vmNames);
    if (reason !== null) return void reasons.push(reason);
    const outcome = await deleteUnlessBusy(deps, scope, c.runnerId);
    if (outcome !== 'deleted') return void reasons.push(outcome === 'busy' ? 'busy' : 'already gone');
    const why = `offline and idle with no VM at ${observedAt} and still ${elapsed} s later`;
    result.removed.push({ name: c.name, scope: describeScope(scope), why });
    deps.log.info({ runnerName: c.name, runnerId: c.runnerId, scope: describeScope(scope), why }, 'reaper removed a runner');
  }, (c, why) => result.skipped.push({ name: c.name, why }));
  return { ...result, kept: countBy(reasons), stoppedEarly };
}
