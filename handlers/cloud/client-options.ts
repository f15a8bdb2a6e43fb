import { PassThroughClient } from 'google-auth-library';
import { RunnerError } from '../errors.ts';

/**
 * What both Google clients we use accept (`CloudTasksClient` on google-gax 6, `ExecutionsClient`
 * on google-gax 5). A type, not an interface: the Tasks client's options carry an index signature.
 * The top-level google-auth-library 11 `PassThroughClient` works with gax 5 at run time (gax only
 * duck-types it: `getRequestHeaders`, `fetch`, `universeDomain`; see
 * test/cloud/client-options.test.ts), but TypeScript sees gax 5's nested google-auth-library 10
 * class as another type: `createCloudWorkflowsExecutions` casts at that one boundary.
 */
export type GoogleClientOptions = {
  /** REST over HTTP/1.1: what the fakes speak, no gRPC channel, fine on Cloud Run. */
  readonly fallback: true;
  readonly apiEndpoint?: string;
  readonly port?: number;
  readonly protocol?: 'http' | 'https';
  readonly authClient?: PassThroughClient;
};

/**
 * Client options for an API endpoint URL. Absent → Google itself with Application Default
 * Credentials. `http://host:port` is a fake or a simulator: the host goes in `apiEndpoint` and the
 * port apart (a port inside `apiEndpoint` connects to 443), and no credentials are looked up
 * (PassThroughClient). `https://` (e.g. a Private Service Connect endpoint) keeps ADC.
 * `name` is the setting's name, for the message when the URL is unusable.
 */
export function clientOptionsForEndpoint(endpoint: string | null | undefined, name = 'API endpoint'): GoogleClientOptions {
  if (endpoint === null || endpoint === undefined || endpoint === '') return { fallback: true };
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new RunnerError('invalid', `${name} is not a URL: ${endpoint}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RunnerError('invalid', `${name} must be http:// or https://, got ${url.protocol}`);
  }
  if (url.pathname !== '/' && url.pathname !== '') {
    throw new RunnerError('invalid', `${name} must have no path: the client adds /v1/… or /v2/…`);
  }
  const secure = url.protocol === 'https:';
  const port = url.port === '' ? (secure ? 443 : 80) : Number(url.port);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const options: GoogleClientOptions = { fallback: true, apiEndpoint: host, port, protocol: secure ? 'https' : 'http' };
  return secure ? options : { ...options, authClient: new PassThroughClient() };
}
