import { RunnerError } from '../errors.ts';

export interface ComputeEndpoint {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
}

/**
 * `COMPUTE_API_ENDPOINT` checked and split into what the client library takes: the host in
 * `apiEndpoint` and the port separately (a port inside `apiEndpoint` silently connects to 443).
 * Pure, so the service can refuse a bad value at start-up without loading the client library.
 */
export function parseComputeEndpoint(apiEndpoint: string): ComputeEndpoint {
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
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port === '' ? (secure ? 443 : 80) : Number(url.port), secure };
}
