/**
 * Runner name = VM name: a webhook's `runner_name` names the VM, and a re-run finds what exists.
 * The prefix is per deployment (`RUNNER_NAME_PREFIX`, checked by loadConfig; Terraform sets
 * `NAME_PREFIX-`), so two deployments in one project, and the IAM condition on VM names, can tell
 * their VMs apart. Read once at load: every module of a process must agree on it.
 */
export const defaultRunnerNamePrefix = 'ghr';
export const runnerNamePrefixPattern = /^[a-z][a-z0-9-]{0,21}$/;
const configured = process.env['RUNNER_NAME_PREFIX']?.trim();
const prefix = configured && runnerNamePrefixPattern.test(configured) ? configured : defaultRunnerNamePrefix;
const pattern = new RegExp(`^${prefix}-([a-z](?:[a-z0-9-]*[a-z0-9])?)-(\\d+)-(\\d+)$`);

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
