import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import test from 'ava';
import { HttpTransportError, nodeHttpTransport, type HttpRequest } from '../../workflows/engine/http-transport.ts';

async function serve(t: { teardown(fn: () => void): void }, handler: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string; port: number | undefined }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, port: req.socket.remotePort });
      handler(req, res, body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const post = (url: string, extra: Partial<HttpRequest> = {}): HttpRequest => ({ method: 'POST', url, headers: { 'content-type': 'application/json', authorization: 'Bearer t' }, body: '{"a":1}', query: {}, timeoutMs: 5000, ...extra });

test('a 303 after a POST is followed as a GET without the body, as fetch follows it; a 307 keeps the method and body', async (t) => {
  const { url, seen } = await serve(t, (req, res) => {
    if (req.url === '/start') return void res.writeHead(303, { location: '/next' }).end();
    if (req.url === '/keep') return void res.writeHead(307, { location: '/next' }).end();
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`${req.method} ${req.headers['content-type'] ?? 'none'}`);
  });
  t.like(await nodeHttpTransport(post(`${url}/start`)), { status: 200, body: 'GET none' });
  t.like(await nodeHttpTransport(post(`${url}/keep`)), { status: 200, body: 'POST application/json' });
  t.deepEqual(seen.map((request) => `${request.method} ${request.url} ${request.body}`), ['POST /start {"a":1}', 'GET /next ', 'POST /keep {"a":1}', 'POST /next {"a":1}']);
});

test('a gzip-encoded answer is decoded, and repeated headers are joined as fetch joins them', async (t) => {
  const { url } = await serve(t, (_req, res) => {
    res.writeHead(200, [['content-type', 'application/json'], ['content-encoding', 'gzip'], ['x-tag', 'a'], ['x-tag', 'b']]).end(gzipSync('{"ok":true}'));
  });
  const response = await nodeHttpTransport(post(url));
  t.is(response.body, '{"ok":true}');
  t.is(response.headers['x-tag'], 'a, b');
});

test('cancelling the execution ends the request with the cancellation, not a transport error', async (t) => {
  const { url } = await serve(t, () => undefined);
  const controller = new AbortController();
  const sending = nodeHttpTransport(post(url, { signal: controller.signal }));
  setTimeout(() => controller.abort(new Error('execution cancelled')), 50);
  await t.throwsAsync(sending, { message: 'execution cancelled' });
});

test('a connection the server drops mid-answer is a ConnectionError; calls made one after another reuse one connection', async (t) => {
  const { url, seen } = await serve(t, (req, res) => {
    if (req.url === '/drop') {
      res.writeHead(200, { 'content-length': '100' }).write('partial');
      return void setTimeout(() => res.destroy(), 20);
    }
    res.writeHead(200).end('ok');
  });
  const error = await t.throwsAsync(nodeHttpTransport(post(`${url}/drop`)), { instanceOf: HttpTransportError });
  t.is(error.kind, 'connection');
  for (let i = 0; i < 3; i += 1) await nodeHttpTransport(post(url));
  t.is(new Set(seen.slice(1).map((request) => request.port)).size, 1);
  t.is(seen.length, 4);
});

// fetch cost ~4× the CPU per loopback step call (undici's parser in WebAssembly, web streams, an
// AbortSignal.timeout per call); this fails if the transport goes back to it.
test('the transport does not go through fetch', async (t) => {
  const { url } = await serve(t, (_req, res) => void res.writeHead(200).end('ok'));
  const original = globalThis.fetch;
  let fetched = 0;
  globalThis.fetch = (...args: Parameters<typeof fetch>) => ((fetched += 1), original(...args));
  try {
    t.like(await nodeHttpTransport(post(url)), { status: 200, body: 'ok' });
  } finally {
    globalThis.fetch = original;
  }
  t.is(fetched, 0);
});
