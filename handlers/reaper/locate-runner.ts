import type { InstanceInfo } from '../compute/compute.ts';
import type { GitHub, RunnerInfo, RunnerScope } from '../github/github.ts';
import { labelValue } from '../steps/create-vm.ts';
import type { ScopeDirectory } from './scope-directory.ts';

export interface LocatedRunner {
  readonly scope: RunnerScope;
  readonly runner: RunnerInfo;
}

/**
 * The scope a VM's runner registered in, when the VM says so exactly: metadata `runner-scope`
 * (`owner` for an organization, `owner/repo` for a repository) and `installation-id`. Metadata,
 * not labels, because label values cannot hold a repository name's dots or capitals.
 */
export function scopeFromMetadata(metadata: Readonly<Record<string, string>>): RunnerScope | null {
  const installationId = Number(metadata['installation-id']);
  const [owner, repo, extra] = (metadata['runner-scope'] ?? '').split('/');
  if (!Number.isSafeInteger(installationId) || installationId <= 0 || !owner || extra !== undefined) return null;
  return repo ? { installationId, owner, repo } : { installationId, owner };
}

/**
 * Finds the runner named like the VM. With the scope in the VM's metadata, one call; otherwise the
 * installations whose account matches the VM's `owner` label (all of them when the label is
 * missing), through the directory's runner lists, which one step run reads once.
 */
export async function locateRunner(github: GitHub, directory: ScopeDirectory, vm: InstanceInfo): Promise<LocatedRunner | null> {
  const exact = scopeFromMetadata(vm.metadata);
  if (exact !== null) {
    const runner = await github.findRunnerByName(exact, vm.name);
    return runner === null ? null : { scope: exact, runner };
  }
  const ownerLabel = vm.labels['owner'];
  const installations = (await directory.installations()).filter((i) => ownerLabel === undefined || labelValue(i.owner) === ownerLabel);
  for (const installation of installations) {
    for (const scope of await directory.scopesOf(installation)) {
      const runner = (await directory.runnersOf(scope)).find((candidate) => candidate.name === vm.name);
      if (runner !== undefined) return { scope, runner };
    }
  }
  return null;
}
