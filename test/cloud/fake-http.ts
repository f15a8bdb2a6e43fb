import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as it arrived: what the client library actually sent. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  /** The raw query string, without `?` (decoded), e.g. `$alt=json;enum-encoding=int`. */
  readonly query: string;
  readonly params: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface FakeServer {
  readonly url: string;
  readonly port: number;
  readonly requests: SeenRequest[];
  close(): Promise<void>;
}

/** Google's JSON error body, as both APIs answer it. */
export function googleError(status: number, statusName: string, message: string): Reply {
  return { status, body: { error: { code: status, status: statusName, message } } };
}

/** A JSON HTTP server on 127.0.0.1 and a free port that records every request it answers. */
export async function startFakeServer(handle: (request: SeenRequest) => Reply): Promise<FakeServer> {
  const requests: SeenRequest[] = [];
  const server: Server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const url = new URL(incoming.url ?? '/', 'http://fake');
      const seen: SeenRequest = {
        method: incoming.method ?? '',
        path: url.pathname,
        query: decodeURIComponent(url.search.replace(/^\?/, '')),
        params: url.searchParams,
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(seen);
      let reply: Reply;
      try {
        reply = handle(seen);
      } catch (error) {
        reply = googleError(500, 'INTERNAL', `fake failed: ${(error as Error).message}`);
      }
      response.writeHead(reply.status, { 'content-type': 'application/json; charset=UTF-8', ...reply.headers });
      response.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
