import { RunnerError } from '../errors.ts';
import type { RunnerScope } from './github.ts';

/** The fields of a `workflow_job` payload that decide where its runner registers. */
export interface RepositoryPayload {
  readonly installation?: { readonly id: number } | null | undefined;
  readonly repository: {
    readonly name: string;
    readonly owner: { readonly login: string; readonly type?: string | undefined };
  };
}

/**
 * Organization-owned repositories get org-level runners (one pool, runner groups apply); a user
 * account has no org level, so its runners register on the repository itself.
 */
export function scopeForRepository(payload: RepositoryPayload): RunnerScope {
  const installationId = payload.installation?.id;
  if (installationId === undefined) {
    throw new RunnerError('invalid', 'the payload names no installation: is the webhook configured on the GitHub App?');
  }
  const owner = payload.repository.owner.login;
  if (payload.repository.owner.type === 'Organization') return { installationId, owner };
  return { installationId, owner, repo: payload.repository.name };
}

/** An octokit route under the scope's runners collection, and the parameters it needs. */
export function runnersRoute(
  method: 'GET' | 'POST' | 'DELETE',
  scope: RunnerScope,
  suffix = '',
): { route: string; params: Record<string, string> } {
  if (scope.repo === undefined) {
    return { route: `${method} /orgs/{org}/actions/runners${suffix}`, params: { org: scope.owner } };
  }
  return {
    route: `${method} /repos/{owner}/{repo}/actions/runners${suffix}`,
    params: { owner: scope.owner, repo: scope.repo },
  };
}

/** For log fields: `my-org` or `me/my-repo`. */
export function describeScope(scope: RunnerScope): string {
  return scope.repo === undefined ? scope.owner : `${scope.owner}/${scope.repo}`;
}
