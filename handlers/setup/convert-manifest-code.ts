import { request as defaultRequest } from '@octokit/request';
import type { OctokitRequest } from '../github/installation-call.ts';
import type { AppCredentials } from './app-credentials.ts';

export interface CreatedApp {
  readonly credentials: AppCredentials;
  readonly name: string;
  readonly slug: string;
  /** e.g. `https://github.com/apps/SLUG`: its `/installations/new` installs it. */
  readonly htmlUrl: string;
  readonly owner: string;
}

/** GitHub refused the code (expired after an hour, already used, or not ours); the message holds no secret. */
export class ManifestConversionError extends Error {
  override readonly name = 'ManifestConversionError';
  readonly status: number;
  constructor(status: number) {
    super(status === 404 || status === 422 ? 'GitHub did not accept the code: it expires after an hour and works once. Start again.' : `GitHub answered ${status} to the code exchange`);
    this.status = status;
  }
}

/**
 * Exchanges the manifest flow's one-time code for the new App's id, key and webhook secret
 * (`POST /app-manifests/{code}/conversions`, unauthenticated: the code is the credential).
 */
export async function convertManifestCode(apiUrl: string, code: string, request: OctokitRequest = defaultRequest): Promise<CreatedApp> {
  let data: Record<string, unknown>;
  try {
    const response = await request('POST /app-manifests/{code}/conversions', {
      code,
      baseUrl: apiUrl.replace(/\/+$/, ''),
      headers: { 'user-agent': 'google-cloud-github-runner', 'x-github-api-version': '2022-11-28' },
      request: { signal: AbortSignal.timeout(30_000) },
    });
    data = response.data as unknown as Record<string, unknown>;
  } catch (error) {
    throw new ManifestConversionError(typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : 502);
  }
  const { id, pem, webhook_secret: webhookSecret, slug, name, html_url: htmlUrl, owner } = data;
  if (typeof id !== 'number' || typeof pem !== 'string' || typeof webhookSecret !== 'string' || webhookSecret === '') throw new ManifestConversionError(502);
  return {
    credentials: { appId: String(id), privateKey: pem, webhookSecret },
    name: String(name),
    slug: String(slug),
    htmlUrl: String(htmlUrl),
    owner: String((owner as { login?: unknown } | null)?.login ?? ''),
  };
}
