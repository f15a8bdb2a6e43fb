import type { Clock } from '../clock.ts';
import type { Compute } from '../compute/compute.ts';
import type { RunnerTemplate, TemplatesConfig } from '../config/types.ts';
import type { Sealer } from '../crypto/sealer.ts';
import { RunnerError } from '../errors.ts';
import type { GitHub, RunnerScope } from '../github/github.ts';
import type { LostRunnerEvents } from '../dispatch/lost-runner-events.ts';
import type { Log } from '../log/logger.ts';
import type { AdmissionSlots } from '../state/admission-slots.ts';
import type { SpotLedger } from './spot-ledger.ts';

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
  /** The runner cap's slots, taken at admission: delete-vm and a skipping validate give theirs back. */
  readonly slots: AdmissionSlots;
}

/** Labels that mark a VM as ours; the reaper and the runner cap count by them. */
export const managedByLabel = { 'managed-by': 'github-runner' } as const;

/** How old a list of a template's VMs may be when counting them against `maxRunners`. */
export const templateVmsMaxAgeMs = 5_000;

export function findTemplate(templates: TemplatesConfig, name: string): RunnerTemplate {
  const template = templates.templates.find((candidate) => candidate.name === name);
  if (!template) throw new RunnerError('invalid', `no template named ${name}`);
  return template;
}

/** Org-owned repositories register runners at the organization, user-owned ones at the repository. */
export function runnerScopeOf(job: { installationId: number; owner: string; repo: string; ownerIsOrganization: boolean }): RunnerScope {
  return job.ownerIsOrganization ? { installationId: job.installationId, owner: job.owner } : { installationId: job.installationId, owner: job.owner, repo: job.repo };
}
