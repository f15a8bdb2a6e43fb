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
