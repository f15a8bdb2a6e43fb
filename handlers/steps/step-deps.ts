import type { Clock } from '../clock.ts';
import type { Compute } from '../compute/compute.ts';
import type { RunnerTemplate, TemplatesConfig } from '../config/types.ts';
import type { Sealer } from '../crypto/sealer.ts';
import { RunnerError } from '../errors.ts';
import type { GitHub, RunnerScope } from '../github/github.ts';
import type { RunnerReleaseSource } from '../github/runner-release-resolver.ts';
import type { LostRunnerEvents } from '../dispatch/lost-runner-events.ts';
import type { Log } from '../log/logger.ts';
import type { AdmissionSlots } from '../state/admission-slots.ts';
import type { SpotLedger } from './spot-ledger.ts';
import type { WarmPools } from '../warm/warm-pools.ts';

/** Everything a step may touch, built once in the entry file and passed in. */
export interface StepDeps {
  readonly github: GitHub;
  readonly compute: Compute;
  readonly templates: TemplatesConfig;
  readonly sealer: Sealer;
  readonly log: Log;
  readonly clock: Clock;
  /** The VM startup script (startup/startup.sh), sent as instance metadata. */
  readonly startupScript: string;
  readonly spot: SpotLedger;
  /** Shared with the dispatcher, which records here the events of runners whose VM is gone. */
  readonly lostEvents: LostRunnerEvents;
  /** The actions/runner release new VMs run (resolved from GitHub, cached). */
  readonly runnerRelease: RunnerReleaseSource;
  /** The runner cap's slots, taken at admission: delete-vm and a skipping validate give theirs back. */
  readonly slots: AdmissionSlots;
  /** Warm pools: validate reads claims, check-vm asks whether a warm runner still fills its seat, delete-vm replaces it. */
  readonly warmPools: WarmPools;
}

/** Labels that mark a VM as ours; the reaper and the runner cap count by them. */
export const defaultManagedBy = 'github-runner';
/**
 * The `managed-by` label value, per deployment (`MANAGED_BY_LABEL`, checked by loadConfig;
 * Terraform sets the name prefix): the reaper and the runner cap count only this deployment's VMs.
 */
export const managedByLabel = { 'managed-by': managedByOf(process.env['MANAGED_BY_LABEL']) } as const;

function managedByOf(value: string | undefined): string {
  const trimmed = value?.trim();
  return trimmed && /^[a-z][a-z0-9_-]{0,62}$/.test(trimmed) ? trimmed : defaultManagedBy;
}

/** How old a list of a template's VMs may be when counting them against `maxRunners`. */
export const templateVmsMaxAgeMs = 5_000;

export function findTemplate(templates: TemplatesConfig, name: string): RunnerTemplate {
  const template = templates.templates.find((candidate) => candidate.name === name);
  if (!template) throw new RunnerError('invalid', `no template named ${name}`);
  return template;
}

/**
 * Org-owned repositories register runners at the organization unless the template asks for the
 * repository; user-owned ones always at the repository (a user account has no organization level).
 */
export function runnerScopeOf(job: { installationId: number; owner: string; repo?: string | undefined; ownerIsOrganization: boolean }, template: Pick<RunnerTemplate, 'runnerScope'>): RunnerScope {
  const atOrganization = job.ownerIsOrganization && template.runnerScope === 'organization';
  if (atOrganization) return { installationId: job.installationId, owner: job.owner };
  if (job.repo === undefined) throw new RunnerError('invalid', `a runner of ${job.owner} registers on a repository, and the input names none`);
  return { installationId: job.installationId, owner: job.owner, repo: job.repo };
}
