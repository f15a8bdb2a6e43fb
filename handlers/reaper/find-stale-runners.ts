import { z } from 'zod';
import type { Compute } from '../compute/compute.ts';
import type { RunnerInfo, RunnerScope } from '../github/github.ts';
import { describeScope } from '../github/scope.ts';
import { parseRunnerName } from '../runner-name.ts';
import { managedByLabel } from '../steps/step-deps.ts';
import { parseInput } from '../steps/step-input.ts';
import { eachUntilRateLimited } from './limited-concurrency.ts';
import type { ReaperBaseDeps } from './ports.ts';
import { MAX_RUNNER_CANDIDATES } from './reaper-limits.ts';
import { countBy, isStoppedEarly, unlessRateLimited, type StoppedEarly } from './run-report.ts';
import { createScopeDirectory } from './scope-directory.ts';

const inputSchema = z.object({}).nullish();

/** A runner seen offline, idle and without a VM: removed if it is still so at the second look. */
export interface RunnerCandidate {
  readonly installationId: number;
  readonly owner: string;
  readonly repo: string | null;
  readonly runnerId: number;
  readonly name: string;
}

export interface FindStaleRunnersResult {
  /** When this first look was taken; the second look must come at least the runner grace later. */
  readonly observedAt: string;
  readonly scopes: number;
  /** Runners named as ours (`ghr-<template>-<job>-<attempt>`). */
  readonly found: number;
  readonly candidates: RunnerCandidate[];
  readonly kept: Record<string, number>;
  readonly errors: { readonly scope: string; readonly why: string }[];
  readonly stoppedEarly: StoppedEarly | null;
}

export async function liveVmNames(compute: Compute): Promise<Set<string>> {
  return new Set((await compute.listInstances(managedByLabel)).map((vm) => vm.name));
}

/** Why a runner of ours is not a candidate, or null when it is one. */
function keepReason(runner: RunnerInfo, vmNames: ReadonlySet<string>): string | null {
  if (runner.status === 'online') return 'online';
  if (runner.busy) return 'busy';
  if (vmNames.has(runner.name)) return 'has a VM';
  return null;
}

/**
 * The first look for leaked runner registrations: every scope of every installation, each runner
 * of ours that is offline, idle and has no VM. GitHub tells no registration time, so nothing is
 * removed here: remove-stale-runners looks again after the grace.
 */
export async function findStaleRunners(input: unknown, deps: ReaperBaseDeps): Promise<FindStaleRunnersResult> {
  parseInput(inputSchema, input);
  const observedAt = new Date(deps.clock.now()).toISOString();
  const result = { observedAt, scopes: 0, found: 0, candidates: [] as RunnerCandidate[], kept: {}, errors: [] as FindStaleRunnersResult['errors'] };
  const vmNames = await unlessRateLimited(() => liveVmNames(deps.compute));
  if (isStoppedEarly(vmNames)) return { ...result, stoppedEarly: vmNames };
  const directory = createScopeDirectory(deps.github, deps.templates);
  const installations = await unlessRateLimited(() => directory.installations());
  if (isStoppedEarly(installations)) return { ...result, stoppedEarly: installations };
  const scopes: RunnerScope[] = [];
  const noteError = (scope: string, why: string) => result.errors.push({ scope, why });
  let stoppedEarly = await eachUntilRateLimited(installations, 1, async (installation) => {
    scopes.push(...(await directory.scopesOf(installation)));
  }, (installation, why) => noteError(installation.owner, why));
  const reasons: string[] = [];
  stoppedEarly ??= await eachUntilRateLimited(scopes, 1, async (scope) => {
    result.scopes += 1;
    for (const runner of await directory.runnersOf(scope)) {
      if (parseRunnerName(runner.name) === null) continue;
      result.found += 1;
      const reason = keepReason(runner, vmNames) ?? (result.candidates.length >= MAX_RUNNER_CANDIDATES ? 'over the candidate limit' : null);
      if (reason !== null) reasons.push(reason);
      else result.candidates.push({ installationId: scope.installationId, owner: scope.owner, repo: scope.repo ?? null, runnerId: runner.id, name: runner.name });
    }
  }, (scope, why) => noteError(describeScope(scope), why));
  return { ...result, kept: countBy(reasons), stoppedEarly };
}
