import type { GitHub, RunnerScope } from '../../handlers/github/github.ts';

/**
 * The runner scope for `--owner` (and `--repo`): the App's installation on that account. An
 * organization's runners register at the organization unless a repository is named; a user
 * account has no organization level, so its runners need a repository.
 */
export async function resolveScope(github: GitHub, owner: string, repo: string | undefined): Promise<RunnerScope> {
  const installation = (await github.listInstallations()).find((candidate) => candidate.owner.toLowerCase() === owner.toLowerCase());
  if (!installation) throw new Error(`the GitHub App is not installed on ${owner}`);
  if (repo !== undefined) return { installationId: installation.installationId, owner: installation.owner, repo };
  if (installation.ownerType === 'User') throw new Error(`${installation.owner} is a user account: its runners register on a repository; add --repo`);
  return { installationId: installation.installationId, owner: installation.owner };
}

/** Every scope our runners may be registered in: each organization, and each repository of each user account. */
export async function allScopes(github: GitHub): Promise<RunnerScope[]> {
  const scopes: RunnerScope[] = [];
  for (const installation of await github.listInstallations()) {
    const { installationId, owner } = installation;
    if (installation.ownerType === 'Organization') scopes.push({ installationId, owner });
    else for (const repo of await github.listInstallationRepositories(installationId)) scopes.push({ installationId, owner, repo });
  }
  return scopes;
}

/** `owner` or `owner/repo`, as create-vm writes it into the VM's `runner-scope` metadata. */
export function scopeFromMetadata(metadata: Readonly<Record<string, string>>): RunnerScope | null {
  const installationId = Number(metadata['installation-id']);
  const [owner, repo] = (metadata['runner-scope'] ?? '').split('/');
  if (!Number.isInteger(installationId) || !owner) return null;
  return repo ? { installationId, owner, repo } : { installationId, owner };
}
