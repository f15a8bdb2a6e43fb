import { runnerNameFor } from '../runner-name.ts';
import type { ActiveRuns } from './admission.ts';

/**
 * ActiveRuns from the arguments of the active runner executions (the job events they started
 * with), wherever those come from: the embedded engine or the Cloud Workflows API.
 */
export function activeRunsFromArguments(activeArguments: () => Promise<readonly (string | null | undefined)[]>): ActiveRuns {
  return {
    async runnerNames(templateName) {
      const names = new Set<string>();
      for (const argument of await activeArguments()) {
        const job = argument ? (JSON.parse(argument) as { templateName?: string; jobId?: number; runAttempt?: number }) : {};
        if (job.templateName === templateName && job.jobId !== undefined) names.add(runnerNameFor(templateName, job.jobId, job.runAttempt ?? 1));
      }
      return names;
    },
  };
}
