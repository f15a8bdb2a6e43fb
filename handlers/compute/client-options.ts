import type { InstancesClient } from '@google-cloud/compute';
import { PassThroughClient } from 'google-auth-library';
import { parseComputeEndpoint } from './compute-endpoint.ts';

export type ClientOptions = NonNullable<ConstructorParameters<typeof InstancesClient>[0]>;

/**
 * Options of the @google-cloud/compute clients for `COMPUTE_API_ENDPOINT`. REST (`fallback`)
 * always: it is what the simulator speaks and needs no gRPC channel.
 * Plain `http://` is the simulator or a test server: no Google credentials (PassThroughClient);
 * `https://` (e.g. a Private Service Connect endpoint) keeps Application Default Credentials.
 */
export function clientOptionsFor(apiEndpoint: string | null, project: string): ClientOptions {
  if (apiEndpoint === null) return { fallback: true, projectId: project };
  const { host, port, secure } = parseComputeEndpoint(apiEndpoint);
  const options: ClientOptions = { fallback: true, apiEndpoint: host, port, protocol: secure ? 'https' : 'http', projectId: project };
  return secure ? options : { ...options, authClient: new PassThroughClient() };
}
