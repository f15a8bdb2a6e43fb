import { scopeKey } from './runner-registry.ts';
import type { SimJob, SimRunner } from './types.ts';

/**
 * GitHub gives a job to a runner when every job label is among the runner's labels, compared
 * case-insensitively, and the runner is registered on the job's organization or its repository.
 */
export function canRun(runner: SimRunner, job: SimJob): boolean {
  const runnerLabels = new Set(runner.labels.map((label) => label.name.toLowerCase()));
  const labelsMatch = job.labels.every((label) => runnerLabels.has(label.toLowerCase()));
  const scope = runner.scope.repo === undefined ? { owner: job.owner } : { owner: job.owner, repo: job.repo };
  return labelsMatch && scopeKey(scope) === scopeKey(runner.scope);
}

/** Group 1 is every account's "Default" group; others are named after their id. */
export function groupName(groupId: number): string {
  return groupId === 1 ? 'Default' : `group-${groupId}`;
}
