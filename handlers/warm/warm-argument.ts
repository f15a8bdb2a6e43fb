import type { WorkflowJobEvent } from '../queue/job-event.ts';

/**
 * The argument of a warm runner's execution: no job yet, only where its runner registers and which
 * seat of the template's pool it fills. The steps take it where they take a job event (the same
 * scope fields), and validate tells the two apart by `warm`.
 */
export interface WarmRunnerArgument {
  readonly warm: { readonly seat: number; readonly generation: number };
  readonly templateName: string;
  readonly runnerName: string;
  readonly installationId: number;
  readonly owner: string;
  readonly ownerIsOrganization: boolean;
  /** The repository the runner registers on, for repository-scoped pools. */
  readonly repo?: string;
}

/** What a runner.yaml execution starts with: a queued job, or a warm pool's seat. */
export type RunnerArgument = WorkflowJobEvent | WarmRunnerArgument;

export function isWarmArgument(argument: RunnerArgument): argument is WarmRunnerArgument {
  return 'warm' in argument && argument.warm !== undefined;
}

/** Cloud Workflows has no request id; the embedded engine's makes a start of the same runner idempotent. */
export function requestIdOf(argument: RunnerArgument, taskName: (event: WorkflowJobEvent) => string): string {
  return isWarmArgument(argument) ? `warm-${argument.runnerName}` : taskName(argument);
}
