import type { RunnerTemplate } from './types.ts';
import { longestIdleSeconds } from './warm-pool.ts';

type Timing = Pick<RunnerTemplate, 'idleTimeoutSeconds' | 'maxRunDurationSeconds' | 'vmCheckIntervalSeconds' | 'warmPool'>;

/**
 * Steps one runner.yaml execution runs, as measured on the workflow itself
 * (test/workflows/runner-budget.test.ts): a fixed part (validate, mint, create, the events,
 * delete) and a part per VM check while it waits, whether for the job to start or to end.
 */
export const runnerSteps = {
  fixed: 60,
  perCheck: 10,
  /** Every check of the idle wait and of a job running to its maximum, with one more of each. */
  worstCase(timing: Timing): number {
    const checks = Math.ceil(longestIdleSeconds(timing) / timing.vmCheckIntervalSeconds) + Math.ceil(timing.maxRunDurationSeconds / timing.vmCheckIntervalSeconds) + 2;
    return runnerSteps.fixed + runnerSteps.perCheck * checks;
  },
};

/** Cloud Workflows ends an execution at 100,000 steps (https://cloud.google.com/workflows/quotas). */
export const stepLimit = 100_000;

/**
 * Half the limit: the rest is headroom for retried calls, each of which runs the retry predicate
 * and the call again (a step call may be retried 12 times, or wait out 60 rate limits).
 */
export const stepBudget = stepLimit / 2;

/** A problem for a template whose waits could run an execution out of steps, naming the fix. */
export function stepBudgetProblem(template: RunnerTemplate, index: number): string | undefined {
  const worst = runnerSteps.worstCase(template);
  if (worst <= stepBudget) return undefined;
  const checks = Math.floor((stepBudget - runnerSteps.fixed) / runnerSteps.perCheck) - 2;
  const minimum = Math.ceil((longestIdleSeconds(template) + template.maxRunDurationSeconds) / checks);
  return (
    `templates[${index}] (${template.name}): idleTimeout + maxRunDuration at one VM check every ${template.vmCheckIntervalSeconds}s ` +
    `could take ${worst} workflow steps, over the budget of ${stepBudget} (Cloud Workflows stops an execution at ${stepLimit}): ` +
    `set vmCheckInterval to at least ${minimum}s, or shorten maxRunDuration`
  );
}

/** Cloud Workflows refuses an execution argument over 32 KB (https://cloud.google.com/workflows/quotas). */
export const argumentLimitBytes = 32 * 1024;

/**
 * The job event is the argument. Its size is bounded by the template that serves it: a job's
 * labels are all among the template's labels, owner names have at most 39 characters and
 * repository names at most 100; the rest is ids and fixed keys (about 330 bytes, measured).
 */
export function largestArgumentBytes(template: Pick<RunnerTemplate, 'name' | 'labels'>): number {
  const event = {
    action: 'in_progress', deliveryId: '0'.repeat(36), installationId: Number.MAX_SAFE_INTEGER, owner: 'o'.repeat(39), repo: 'r'.repeat(100),
    ownerIsOrganization: true, jobId: Number.MAX_SAFE_INTEGER, runId: Number.MAX_SAFE_INTEGER, runAttempt: 100, labels: template.labels,
    templateName: template.name, runnerName: 'n'.repeat(63), conclusion: 'action_required',
  };
  return Buffer.byteLength(JSON.stringify(event));
}

/** A problem for a template whose labels could make a job's argument too large for Workflows. */
export function argumentSizeProblem(template: RunnerTemplate, index: number): string | undefined {
  const bytes = largestArgumentBytes(template);
  if (bytes <= argumentLimitBytes / 2) return undefined;
  return `templates[${index}] (${template.name}): its labels could make a job's workflow argument ${bytes} bytes, over half of the ${argumentLimitBytes}-byte limit: use fewer or shorter labels`;
}
