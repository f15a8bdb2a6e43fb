import type { InstancesClient } from '@google-cloud/compute';
import { PassThroughClient } from 'google-auth-library';
import { RunnerError } from '../errors.ts';

export type ClientOptions = NonNullable<ConstructorParameters<typeof InstancesClient>[0]>;

/**
 * Options of the @google-cloud/compute clients for `COMPUTE_API_ENDPOINT`. REST (`fallback`)
 * always: it is what the simulator speaks and needs no gRPC channel. For a URL, the host goes in
 * `apiEndpoint` and the port separately: a port inside `apiEndpoint` silently connects to 443.
 * Plain `http://` is the simulator or a test server: no Google credentials (PassThroughClient);
 * `https://` (e.g. a Private Service Connect endpoint) keeps Application Default Credentials.
 */
export function clientOptionsFor(apiEndpoint: string | null, project: string): ClientOptions {
  if (apiEndpoint === null) return { fallback: true, projectId: project };
  let url: URL;
  try {
    url = new URL(apiEndpoint);
  } catch {
    throw new RunnerError('invalid', `COMPUTE_API_ENDPOINT is not a URL: ${apiEndpoint}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RunnerError('invalid', `COMPUTE_API_ENDPOINT must be http:// or https://, got ${url.protocol}`);
  }
  if (url.pathname !== '/' && url.pathname !== '') {
    throw new RunnerError('invalid', 'COMPUTE_API_ENDPOINT must have no path: the client adds /compute/v1/…');
  }
  const secure = url.protocol === 'https:';
  const port = url.port === '' ? (secure ? 443 : 80) : Number(url.port);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const options: ClientOptions = { fallback: true, apiEndpoint: host, port, protocol: secure ? 'https' : 'http', projectId: project };
  return secure ? options : { ...options, authClient: new PassThroughClient() };
}
