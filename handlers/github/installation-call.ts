import type { createAppAuth } from '@octokit/auth-app';
import type { request as octokitRequest } from '@octokit/request';
import type { Clock } from '../clock.ts';
import { classifyGitHubError, type StatusKinds } from './classify-error.ts';

export type AppAuth = ReturnType<typeof createAppAuth>;
export type OctokitRequest = typeof octokitRequest;

export interface CallOptions {
  /** Route parameters, query and body, as octokit takes them. */
  readonly params?: Record<string, unknown>;
  /** What a status means for this operation (e.g. 422 → `busy` when deleting a runner). */
  readonly statusKinds?: StatusKinds;
}

/** One REST call authenticated as an installation; throws `RunnerError` only. */
export type InstallationCall = <T>(
  installationId: number,
  route: string,
  options?: CallOptions,
) => Promise<{ status: number; data: T }>;

/**
 * A 404 or 403 while minting means the installation is gone or suspended: never the "runner
 * already absent" or "job unknown" that a 404 of the call itself means to our callers.
 */
const TOKEN_STATUS_KINDS: StatusKinds = { 403: 'fatal', 404: 'fatal', 422: 'fatal' };

/**
 * The installation token comes from the one `auth` instance, whose cache keeps it until 5
 * minutes before its expiry (token-cache.ts). A 401 with a cached token means GitHub revoked it
 * early (app key rotated, app reinstalled): mint a fresh one and try once more.
 */
export interface InstallationCallDeps {
  readonly auth: AppAuth;
  readonly request: OctokitRequest;
  readonly clock: Clock;
  /** @octokit/request has no timeout of its own: a hung connection would hang the step. */
  readonly timeoutMs: number;
}

export function createInstallationCall(deps: InstallationCallDeps): InstallationCall {
  const tokenFor = async (installationId: number, refresh: boolean) => {
    try {
      return (await deps.auth({ type: 'installation', installationId, refresh })).token;
    } catch (error) {
      throw classifyGitHubError(error, deps.clock.now(), TOKEN_STATUS_KINDS);
    }
  };
  const send = async (installationId: number, route: string, options: CallOptions, refresh: boolean) => {
    const token = await tokenFor(installationId, refresh);
    try {
      const headers = { authorization: `token ${token}` };
      return await deps.request(route, { ...options.params, headers, request: { signal: AbortSignal.timeout(deps.timeoutMs) } });
    } catch (error) {
      if (refresh || (error as { status?: unknown }).status !== 401) throw error;
      return send(installationId, route, options, true);
    }
  };
  return async <T>(installationId: number, route: string, options: CallOptions = {}) => {
    try {
      const response = await send(installationId, route, options, false);
      return { status: response.status, data: response.data as T };
    } catch (error) {
      throw classifyGitHubError(error, deps.clock.now(), options.statusKinds);
    }
  };
}
