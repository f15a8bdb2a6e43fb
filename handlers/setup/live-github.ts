import { RunnerError } from '../errors.ts';
import type { GitHub } from '../github/github.ts';
import type { AppCredentials, CredentialSource } from './app-credentials.ts';

/**
 * A GitHub client that follows the App's credentials: built on first use, rebuilt when /setup
 * replaced the App (new id or key), so no restart is needed. One client per App keeps
 * @octokit/auth-app's token cache (one installation token per hour). Before any App is configured,
 * calls fail `unavailable`, which the workflow retries.
 */
export function liveGitHub(source: CredentialSource, build: (credentials: AppCredentials) => GitHub): GitHub {
  let built: { key: string; client: GitHub } | null = null;
  const client = async (): Promise<GitHub> => {
    const credentials = await source.current();
    if (credentials === null) throw new RunnerError('unavailable', 'the GitHub App is not configured yet: open /setup on the webhook service');
    const key = `${credentials.appId}\n${credentials.privateKey}`;
    if (built?.key !== key) built = { key, client: build(credentials) };
    return built.client;
  };
  const via = <K extends keyof GitHub>(name: K): GitHub[K] =>
    (async (...args: unknown[]) => ((await client())[name] as (...a: unknown[]) => unknown)(...args)) as GitHub[K];
  return {
    getJob: via('getJob'),
    rerunJob: via('rerunJob'),
    generateJitConfig: via('generateJitConfig'),
    deleteRunner: via('deleteRunner'),
    findRunnerByName: via('findRunnerByName'),
    listRunners: via('listRunners'),
    listInstallations: via('listInstallations'),
    listInstallationRepositories: via('listInstallationRepositories'),
    listDeliveries: via('listDeliveries'),
    redeliver: via('redeliver'),
    getLatestRelease: via('getLatestRelease'),
  };
}
