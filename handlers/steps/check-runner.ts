import { z } from 'zod';
import { findTemplate, runnerScopeOf, type StepDeps } from './step-deps.ts';
import { parseInput, runnerFields, runnerName } from './step-input.ts';

const inputSchema = z.object({ ...runnerFields, templateName: z.string().min(1), runnerName });

export interface CheckRunnerResult {
  readonly runnerName: string;
  /** online | offline | absent */
  readonly status: string;
  readonly busy: boolean;
}

/**
 * Asks GitHub whether the runner is running a job. An execution asks before deleting a VM at its
 * idle timeout: an `in_progress` event can be lost, and a busy runner's VM must not be taken away.
 */
export async function checkRunner(input: unknown, deps: StepDeps): Promise<CheckRunnerResult> {
  const job = parseInput(inputSchema, input);
  const runner = await deps.github.findRunnerByName(runnerScopeOf(job, findTemplate(deps.templates, job.templateName)), job.runnerName);
  return { runnerName: job.runnerName, status: runner?.status ?? 'absent', busy: runner?.busy ?? false };
}
