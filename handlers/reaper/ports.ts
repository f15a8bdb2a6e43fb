import type { ActiveRuns } from '../dispatch/admission.ts';
import type { StepDeps } from '../steps/step-deps.ts';

export type ExecutionState = 'ACTIVE' | 'ENDED' | 'UNKNOWN';

/**
 * Whether a runner.yaml execution still runs: the embedded engine, or Cloud Workflows.
 * `executionId` is what the VM's `execution` label holds (create-vm's `labelValue` of the id, which
 * leaves Workflows' lowercase UUIDs unchanged). `UNKNOWN`: the service could not say; the reaper
 * then leaves the VM alone until its maximum age. Implementations may throw: that reads as UNKNOWN.
 */
export interface ExecutionStates {
  state(executionId: string): Promise<ExecutionState>;
}

/** The part of the steps' deps the reaper uses: any `StepDeps` will do. */
export type ReaperBaseDeps = Pick<StepDeps, 'github' | 'compute' | 'templates' | 'log' | 'clock' | 'slots'>;

/** What the VM reaper needs on top: whether an execution still runs. */
export interface ReaperDeps extends ReaperBaseDeps {
  readonly executionStates: ExecutionStates;
  /** The runners of the active executions, against which runner slots are reconciled. */
  readonly activeRuns: ActiveRuns;
}
