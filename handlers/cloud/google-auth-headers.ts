import { GoogleAuth, type AuthClient } from 'google-auth-library';
import { RunnerError } from '../errors.ts';

/** Calls to a Cloud Workflows callback URL need an OAuth2 access token of this scope. */
export const cloudPlatformScope = 'https://www.googleapis.com/auth/cloud-platform';

/** The part of google-auth-library's `GoogleAuth` used here, so a test can hand in its own. */
export type AuthSource = Pick<GoogleAuth, 'getClient'>;

/**
 * `authHeaders` for `createHttpCallbackSender`: `Authorization: Bearer <token>` from Application
 * Default Credentials (on Cloud Run, the service's account via the metadata server). The client is
 * made once per factory call and caches and refreshes its token; a failed attempt to find
 * credentials is not cached, so the next call tries again. No credentials → `fatal` (a
 * misconfiguration); a token fetch that fails → `unavailable` (the metadata server can blip).
 */
export function createGoogleAuthHeaders(auth: AuthSource = new GoogleAuth({ scopes: [cloudPlatformScope] })): () => Promise<Record<string, string>> {
  let client: Promise<AuthClient> | undefined;
  return async () => {
    client ??= auth.getClient().catch((error: unknown) => {
      client = undefined;
      throw new RunnerError('fatal', `no Google credentials for callback posts: ${messageOf(error)}`);
    });
    let headers: Headers;
    try {
      headers = await (await client).getRequestHeaders();
    } catch (error) {
      if (error instanceof RunnerError) throw error;
      throw new RunnerError('unavailable', `could not get an access token for callback posts: ${messageOf(error)}`);
    }
    const record: Record<string, string> = {};
    headers.forEach((value, key) => (record[key] = value));
    return record;
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
