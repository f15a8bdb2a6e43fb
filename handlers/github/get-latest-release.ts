import type { InstallationCall } from './installation-call.ts';

/**
 * The latest release of a repository as GitHub returns it (the parsing is the caller's). Asked with
 * the installation's token: an installation token reads public repositories too, and its quota
 * (5,000 an hour) is the App's own, where an anonymous call shares 60 an hour with every other
 * tenant behind the same egress address.
 */
export async function getLatestRelease(call: InstallationCall, installationId: number, owner: string, repo: string): Promise<unknown> {
  const { data } = await call<unknown>(installationId, 'GET /repos/{owner}/{repo}/releases/latest', { params: { owner, repo } });
  return data;
}
