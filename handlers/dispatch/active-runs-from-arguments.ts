import { runnerNameFor } from '../runner-name.ts';
import type { ActiveRuns } from './admission.ts';

interface RunOf {
  readonly templateName: string | undefined;
  readonly runnerName: string | undefined;
}

function parseRun(argument: string): RunOf {
  // A warm runner's argument names its runner; a job's runner name derives from the job.
  const job = JSON.parse(argument) as { templateName?: string; jobId?: number; runAttempt?: number; runnerName?: string; warm?: unknown };
  const runnerName = job.warm !== undefined ? job.runnerName : job.templateName !== undefined && job.jobId !== undefined ? runnerNameFor(job.templateName, job.jobId, job.runAttempt ?? 1) : undefined;
  return { templateName: job.templateName, runnerName };
}

/**
 * ActiveRuns from the arguments of the active runner executions (the job events they started
 * with), wherever those come from: the embedded engine or the Cloud Workflows API. An argument
 * never changes, so each is parsed once while its execution stays active.
 */
export function activeRunsFromArguments(activeArguments: () => Promise<readonly (string | null | undefined)[]>): ActiveRuns {
  let parsed = new Map<string, RunOf>();
  return {
    async runnerNames(templateName) {
      const current = new Map<string, RunOf>();
      for (const argument of await activeArguments()) {
        if (argument) current.set(argument, parsed.get(argument) ?? parseRun(argument));
      }
      parsed = current;
      const names = new Set<string>();
      for (const run of current.values()) if (run.templateName === templateName && run.runnerName) names.add(run.runnerName);
      return names;
    },
  };
}
