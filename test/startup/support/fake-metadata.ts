import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeMetadataOptions {
  /** Instance attributes served under /computeMetadata/v1/instance/attributes/. */
  readonly attributes: Readonly<Record<string, string>>;
  /**
   * Per attribute, the faults answered before the value, in order: `drop` closes the connection
   * without a reply, a number answers that HTTP status.
   */
  readonly faults?: Readonly<Record<string, ReadonlyArray<'drop' | number>>>;
}

export interface FakeMetadata {
  /** The base URL the script takes as METADATA_URL. */
  readonly url: string;
  /** Every request, in order: attribute name and whether it carried `Metadata-Flavor: Google`. */
  readonly requests: ReadonlyArray<{ readonly key: string; readonly flavored: boolean }>;
  close(): Promise<void>;
}

const prefix = '/computeMetadata/v1/instance/attributes/';

/** A metadata server speaking like GCE's: 403 without the flavor header, 404 for unset keys. */
export async function startFakeMetadata(options: FakeMetadataOptions): Promise<FakeMetadata> {
  const requests: Array<{ key: string; flavored: boolean }> = [];
  const pending = new Map(Object.entries(options.faults ?? {}).map(([key, faults]) => [key, [...faults]]));

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const path = request.url ?? '';
    const key = path.startsWith(prefix) ? decodeURIComponent(path.slice(prefix.length)) : '';
    const flavored = request.headers['metadata-flavor'] === 'Google';
    requests.push({ key, flavored });
    const fault = pending.get(key)?.shift();
    if (fault === 'drop') {
      request.socket.destroy();
      return;
    }
    if (typeof fault === 'number') {
      response.writeHead(fault, { 'content-type': 'text/html' }).end(`error ${fault}`);
      return;
    }
    if (!flavored) {
      response.writeHead(403, { 'content-type': 'text/html' }).end('Missing Metadata-Flavor:Google header.');
      return;
    }
    const value = options.attributes[key];
    if (key === '' || value === undefined) {
      response.writeHead(404, { 'content-type': 'text/html' }).end('Not found');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/text', 'metadata-flavor': 'Google' }).end(value);
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/computeMetadata/v1`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
