import type { Step } from '../steps/index.ts';
import { findStaleRunners } from './find-stale-runners.ts';
import type { ActiveRuns } from '../dispatch/admission.ts';
import type { ExecutionStates } from './ports.ts';
import { reapVms } from './reap-vms.ts';
import { redeliverFailed } from './redeliver-failed.ts';
import { removeStaleRunners } from './remove-stale-runners.ts';

export type { ExecutionState, ExecutionStates, ReaperDeps } from './ports.ts';
export { startReaperTimer, type ReaperTimer, type ReaperTimerOptions } from './start-reaper-timer.ts';

/**
 * The reaper's steps, by the name reaper.yaml posts to (`POST /steps/<name>`). They take the
 * steps' deps, so they mount in the same router as the runner's steps (one router must hold every
 * name: mountSteps answers 404 for a name it does not have); the execution-state port, which only
 * the reaper needs, is closed over here rather than added to every step's deps.
 */
export function createReaperSteps(executionStates: ExecutionStates, activeRuns: ActiveRuns): Readonly<Record<string, Step>> {
  return {
    'reap-vms': (input, deps) => reapVms(input, { ...deps, executionStates, activeRuns }),
    'redeliver-failed': redeliverFailed,
    'find-stale-runners': findStaleRunners,
    'remove-stale-runners': removeStaleRunners,
    'tend-warm-pools': async (_input, deps) => ({ pools: await deps.warmPools.tend() }),
  };
}
