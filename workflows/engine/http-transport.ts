/** How the engine sends HTTP requests; tests pass their own, production uses `fetchTransport`. */
export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** Query parameters to append to `url`, each possibly repeated. */
  query: Record<string, string[]>;
  timeoutMs: number;
  /** Aborts when the execution is cancelled. */
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;

/**
 * A transport failure, classified as Workflows tags it: `connection_failed` (no connection was
 * made: refused, DNS), `connection` (the connection broke mid-exchange), `timeout`.
 */
export class HttpTransportError extends Error {
  override readonly name = 'HttpTransportError';
  readonly kind: 'connection_failed' | 'connection' | 'timeout';
  constructor(kind: 'connection_failed' | 'connection' | 'timeout', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }
}

const notConnectedCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

export function withQuery(url: string, query: Record<string, string[]>): string {
  const parsed = new URL(url);
  for (const [key, values] of Object.entries(query)) for (const value of values) parsed.searchParams.append(key, value);
  return parsed.toString();
}

export const fetchTransport: HttpTransport = async (request) => {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
  try {
    const response = await fetch(withQuery(request.url, request.query), {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal,
      redirect: 'follow',
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    return { status: response.status, headers, body: await response.text() };
  } catch (error) {
    if (request.signal?.aborted) throw request.signal.reason;
    if (timeout.aborted) throw new HttpTransportError('timeout', `request to ${request.url} timed out after ${request.timeoutMs} ms`);
    const code = (error as { cause?: { code?: string } }).cause?.code ?? '';
    const kind = notConnectedCodes.has(code) ? 'connection_failed' : 'connection';
    throw new HttpTransportError(kind, `request to ${request.url} failed: ${code || (error as Error).message}`, { cause: error });
  }
};
