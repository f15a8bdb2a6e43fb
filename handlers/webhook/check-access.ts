import type { AccessPolicy } from '../config/types.ts';

export interface RepositoryFacts {
  readonly owner: string;
  readonly fullName: string;
  readonly isPrivate: boolean;
}

/** null when the repository's jobs may get a VM, else the reason they may not. */
export function checkAccess(repository: RepositoryFacts, policy: AccessPolicy): string | null {
  const owner = repository.owner.toLowerCase();
  const fullName = repository.fullName.toLowerCase();
  if (policy.owners.length > 0 && !policy.owners.includes(owner)) return `owner ${owner} is not served`;
  if (policy.repositories.length > 0 && !policy.repositories.includes(fullName)) return `repository ${fullName} is not in the allowlist`;
  if (!repository.isPrivate && !policy.publicRepositories) return `repository ${fullName} is public and public repositories are not served`;
  return null;
}
