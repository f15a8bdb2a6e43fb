import type { TemplatesConfig } from '../config/types.ts';
import type { GitHub, InstallationInfo, RunnerInfo, RunnerScope } from '../github/github.ts';
import { runnerNamePrefix } from '../runner-name.ts';

/**
 * Where runners of ours can be registered, read once per reaper step: every installation of the
 * App; an organization's runners at the organization (and on each of its repositories when a
 * template registers runners there), a user's on each of their repositories (users have no org
 * level). Each list is asked for once and remembered for the step's duration.
 */
export interface ScopeDirectory {
  installations(): Promise<readonly InstallationInfo[]>;
  scopesOf(installation: InstallationInfo): Promise<readonly RunnerScope[]>;
  /** The scope's runners named like ours (`ghr-`). */
  runnersOf(scope: RunnerScope): Promise<readonly RunnerInfo[]>;
}

function remember<K, V>(load: (key: K) => Promise<V>, keyOf: (key: K) => string): (key: K) => Promise<V> {
  const cache = new Map<string, Promise<V>>();
  return (key) => {
    const id = keyOf(key);
    const known = cache.get(id);
    if (known !== undefined) return known;
    const loading = load(key);
    cache.set(id, loading);
    return loading;
  };
}

export function scopeKey(scope: RunnerScope): string {
  return `${scope.installationId}:${scope.owner}/${scope.repo ?? ''}`.toLowerCase();
}

export function createScopeDirectory(github: GitHub, templates: TemplatesConfig): ScopeDirectory {
  const repositoryRunnersInOrganizations = templates.templates.some((template) => template.runnerScope === 'repository');
  const installations = remember(() => github.listInstallations(), () => 'all');
  const scopesOf = remember(async (installation: InstallationInfo): Promise<RunnerScope[]> => {
    const { installationId, owner } = installation;
    const organization = installation.ownerType === 'Organization' ? [{ installationId, owner }] : [];
    if (organization.length > 0 && !repositoryRunnersInOrganizations) return organization;
    const repositories = await github.listInstallationRepositories(installationId);
    return [...organization, ...repositories.map((repo) => ({ installationId, owner, repo }))];
  }, (installation) => String(installation.installationId));
  const runnersOf = remember((scope: RunnerScope) => github.listRunners(scope, runnerNamePrefix), scopeKey);
  return { installations: () => installations(undefined), scopesOf, runnersOf };
}
