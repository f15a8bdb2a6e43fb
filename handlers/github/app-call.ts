import { classifyGitHubError } from './classify-error.ts';
import type { CallOptions, InstallationCallDeps } from './installation-call.ts';

/** One REST call authenticated as the App itself (JWT); throws `RunnerError` only. */
export type AppCall = <T>(
  route: string,
  options?: CallOptions,
) => Promise<{ status: number; data: T; headers: Readonly<Record<string, unknown>> }>;

/**
 * `/app/…` routes take the App's JWT, not an installation token. `auth({type: 'app'})` signs one
 * locally (no request to GitHub, nothing minted on GitHub's side), valid for 10 minutes.
 * The headers are returned because the deliveries API paginates with a cursor in `Link`.
 */
export function createAppCall(deps: InstallationCallDeps): AppCall {
  return async <T>(route: string, options: CallOptions = {}) => {
    try {
      const { token } = await deps.auth({ type: 'app' });
      const response = await deps.request(route, {
        ...options.params,
        headers: { authorization: `bearer ${token}` },
        request: { signal: AbortSignal.timeout(deps.timeoutMs) },
      });
      return { status: response.status, data: response.data as T, headers: response.headers as Record<string, unknown> };
    } catch (error) {
      throw classifyGitHubError(error, deps.clock.now(), options.statusKinds);
    }
  };
}
