import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobinProxy {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Cloud Run's front end in miniature: each request goes to the next backend in turn, and to the
 * one after when a backend refuses the connection (an instance that is gone gets no traffic).
 */
export async function startRoundRobinProxy(backends: () => readonly string[]): Promise<RoundRobinProxy> {
  let next = 0;
  const forward = (target: string, incoming: IncomingMessage, body: Buffer, response: ServerResponse) =>
    new Promise<boolean>((resolve) => {
      const url = new URL(incoming.url ?? '/', target);
      const outgoing = httpRequest(url, { method: incoming.method, headers: { ...incoming.headers, host: url.host } }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
        answer.on('end', () => resolve(true));
      });
      outgoing.on('error', () => resolve(response.headersSent));
      outgoing.end(body);
    });
  const server = createServer(async (incoming, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const targets = backends();
    for (let tried = 0; tried < targets.length; tried += 1) {
      const target = targets[next++ % targets.length]!;
      if (await forward(target, incoming, Buffer.concat(chunks), response)) return;
    }
    response.writeHead(503).end('no backend answered');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
