/** Runner name = VM name: a webhook's `runner_name` names the VM, and a re-run finds what exists. */
const prefix = 'ghr';
const pattern = /^ghr-([a-z](?:[a-z0-9-]*[a-z0-9])?)-(\d+)-(\d+)$/;

/** Lowercase and at most 63 characters (template names are at most 20), as GCE requires. */
export function runnerNameFor(templateName: string, jobId: number, runAttempt: number): string {
  return `${prefix}-${templateName}-${jobId}-${runAttempt}`;
}

export const runnerNamePrefix = `${prefix}-`;

export function parseRunnerName(name: string): { templateName: string; jobId: number; runAttempt: number } | null {
  const match = pattern.exec(name);
  if (!match) return null;
  return { templateName: match[1]!, jobId: Number(match[2]), runAttempt: Number(match[3]) };
}
