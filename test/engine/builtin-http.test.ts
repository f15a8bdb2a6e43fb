import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import { nodeHttpTransport } from '../../workflows/engine/http-transport.ts';
import { runWorkflow } from './helpers.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<{ url: string; server: Server; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, seen };
}

test('a 2xx answer gives code, headers and the JSON body parsed; the request carries query, headers and JSON', async (t) => {
  const { url, server, seen } = await serve((_req, res) => {
    res.writeHead(201, { 'content-type': 'application/json', 'x-request-id': 'r1' });
    res.end(JSON.stringify({ id: 7, ratio: 0.5 }));
  });
  t.teardown(() => server.close());
  const { result } = await runWorkflow(`
- create:
    call: http.post
    args:
      url: ${url}/things
      query: { zone: [a, b], dry: true }
      headers: { X-Token: t1 }
      body: { name: vm-1, size: 2 }
      auth: { type: OIDC }
    result: response
- done:
    return: \${[response.code, response.headers["x-request-id"], response.body.id, response.body.ratio]}
`, { http: nodeHttpTransport });
  t.deepEqual(result, [201, 'r1', 7, 0.5]);
  t.is(seen[0]?.method, 'POST');
  t.is(seen[0]?.url, '/things?zone=a&zone=b&dry=true');
  t.is(seen[0]?.headers['x-token'], 't1');
  t.is(seen[0]?.headers['content-type'], 'application/json');
  t.deepEqual(JSON.parse(seen[0]?.body ?? ''), { name: 'vm-1', size: 2 });
});

test('a non-2xx answer raises an HttpError carrying code, headers and body', async (t) => {
  const { url, server } = await serve((_req, res) => {
    res.writeHead(409, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '3' });
    res.end(JSON.stringify({ error: { code: 409, message: 'already exists' } }));
  });
  t.teardown(() => server.close());
  const { result } = await runWorkflow(`
- insert:
    try:
      call: http.request
      args:
        url: ${url}/instances
        method: put
    except:
      as: e
      steps:
        - inspect:
            return: \${e}
`, { http: nodeHttpTransport });
  t.like(result, {
    code: 409,
    tags: ['HttpError'],
    body: { error: { code: 409, message: 'already exists' } },
    headers: { 'retry-after': '3' },
  });
  t.regex((result as { message: string }).message, /409/);
});

test('a text answer is kept as a string and http.delete sends a DELETE', async (t) => {
  const { url, server, seen } = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('gone');
  });
  t.teardown(() => server.close());
  const { result } = await runWorkflow(`
- remove:
    call: http.delete
    args: { url: "${url}/x" }
    result: r
- done:
    return: \${r.body}
`, { http: nodeHttpTransport });
  t.is(result, 'gone');
  t.is(seen[0]?.method, 'DELETE');
});

test('a refused connection raises ConnectionFailedError', async (t) => {
  const { url, server } = await serve(() => undefined);
  await new Promise((resolve) => server.close(resolve));
  const { error } = await runWorkflow(`
- call:
    call: http.get
    args: { url: "${url}/" }
`, { http: nodeHttpTransport });
  t.like(error, { tags: ['ConnectionFailedError'] });
});

test('a request that outlives its timeout raises TimeoutError', async (t) => {
  const { url, server } = await serve(() => undefined);
  t.teardown(() => {
    server.closeAllConnections();
    server.close();
  });
  const { error } = await runWorkflow(`
- call:
    call: http.get
    args: { url: "${url}/slow", timeout: 0.2 }
`, { http: nodeHttpTransport });
  t.like(error, { tags: ['TimeoutError'] });
});
