import { HttpTransportError, nodeHttpTransport } from '../../workflows/engine/http-transport.ts';

/** A backstop only: every call carries its own deadline as an AbortSignal (installation-call.ts). */
const backstopTimeoutMs = 10 * 60_000;

/**
 * The `fetch` that @octokit/request calls, on node:http with kept-alive connections (the engine's
 * transport): Node's fetch cost ~1 ms of CPU per GitHub call here (undici's WebAssembly parser, web
 * streams), a third of a dispatched task's. It gives octokit what it reads of a response (status,
 * url, headers, text) and fails as fetch fails: the signal's reason when aborted, else a TypeError
 * whose `cause` says why, which octokit turns into its status-500 RequestError. What it does not
 * serve (a body that is not a string, a redirect mode other than follow) goes to fetch itself.
 */
export async function nodeHttpFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const plainHeaders = init.headers === undefined || (typeof init.headers === 'object' && !(init.headers instanceof Headers) && !Array.isArray(init.headers));
  const served = typeof input === 'string' && (init.body === undefined || init.body === null || typeof init.body === 'string') && (init.redirect ?? 'follow') === 'follow' && plainHeaders;
  if (!served) return fetch(input, init);
  let answer;
  try {
    answer = await nodeHttpTransport({
      method: init.method ?? 'GET',
      url: input,
      headers: { ...(init.headers as Record<string, string> | undefined) },
      body: typeof init.body === 'string' ? init.body : undefined,
      query: {},
      timeoutMs: backstopTimeoutMs,
      ...(init.signal ? { signal: init.signal } : {}),
    });
  } catch (error) {
    if (error instanceof HttpTransportError) throw new TypeError('fetch failed', { cause: error.cause ?? error });
    throw error;
  }
  const { status, body } = answer;
  const headers = new Headers(answer.headers);
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: '',
    url: input,
    headers,
    body: null,
    text: async () => body,
    json: async () => JSON.parse(body) as unknown,
    arrayBuffer: async () => new TextEncoder().encode(body).buffer,
  } as unknown as Response;
}
