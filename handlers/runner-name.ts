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
// `w<seat>-<generation>`: the `w` keeps a warm name from ever reading as `<job>-<attempt>`.
const warmPattern = new RegExp(`^${prefix}-([a-z](?:[a-z0-9-]*[a-z0-9])?)-w(\\d+)-(\\d+)$`);

/** Lowercase and at most 63 characters (template names are at most 20), as GCE requires. */
export function runnerNameFor(templateName: string, jobId: number, runAttempt: number): string {
  return `${prefix}-${templateName}-${jobId}-${runAttempt}`;
}

export const runnerNamePrefix = `${prefix}-`;

/** A warm pool's runner: made before any job, for seat `seat` of the template's pool, its `generation`-th occupant. */
export function warmRunnerName(templateName: string, seat: number, generation: number): string {
  return `${prefix}-${templateName}-w${seat}-${generation}`;
}

export type ParsedRunnerName =
  | { readonly templateName: string; readonly jobId: number; readonly runAttempt: number; readonly warm?: undefined }
  | { readonly templateName: string; readonly warm: { readonly seat: number; readonly generation: number }; readonly jobId?: undefined; readonly runAttempt?: undefined };

/** Null for a runner this deployment did not name (a job's or a warm pool's). */
export function parseRunnerName(name: string): ParsedRunnerName | null {
  const match = pattern.exec(name);
  if (match) return { templateName: match[1]!, jobId: Number(match[2]), runAttempt: Number(match[3]) };
  const warm = warmPattern.exec(name);
  if (warm) return { templateName: warm[1]!, warm: { seat: Number(warm[2]), generation: Number(warm[3]) } };
  return null;
}
