import { ExecutionCancelled, taggedError, typeError, type ErrorTag } from '../errors.ts';
import { HttpTransportError, type HttpResponse } from '../http-transport.ts';
import { fromJson, isMap, isNumber, newMap, numberOf, toJsonString, typeName, type Value, type ValueMap } from '../values.ts';
import { limits, type ExecutionRuntime } from './runtime.ts';

// Workflows' default HTTP timeout is 300 s; 1800 s is the most a request may be given.
const defaultTimeoutSeconds = 300;
const maxTimeoutSeconds = 1800;

/**
 * `http.get|post|put|patch|delete|request`. `auth` (OIDC, OAuth2) is accepted and ignored: the
 * embedded engine calls endpoints that trust it. A non-2xx answer raises an HttpError map with
 * `code`, `headers` and `body`; transport failures raise ConnectionFailedError, ConnectionError
 * or TimeoutError.
 */
export async function callHttp(name: string, args: ValueMap, rt: ExecutionRuntime): Promise<Value> {
  const method = name === 'http.request' ? stringArg(name, 'method', args['method']).toUpperCase() : name.slice(5).toUpperCase();
  const url = stringArg(name, 'url', args['url']);
  const headers = stringMap(name, 'headers', args['headers'] ?? null);
  const body = encodeBody(args['body'] ?? null, headers);
  const timeout = args['timeout'] ?? defaultTimeoutSeconds;
  if (!isNumber(timeout) || numberOf(timeout) <= 0) throw typeError(`${name}: timeout must be a positive number of seconds`);
  let response: HttpResponse;
  try {
    response = await rt.effects.http({
      method,
      url,
      headers,
      body,
      query: queryOf(name, args['query'] ?? null),
      timeoutMs: Math.min(numberOf(timeout), maxTimeoutSeconds) * 1000,
      signal: rt.signal,
    });
  } catch (error) {
    if (rt.signal.aborted) throw new ExecutionCancelled();
    throw transportError(error);
  }
  return responseValue(response);
}

function stringArg(fn: string, arg: string, value: Value | undefined): string {
  if (typeof value !== 'string') throw typeError(`${fn}: "${arg}" must be a string, not '${typeName(value ?? null)}'`);
  return value;
}

function stringMap(fn: string, arg: string, value: Value): Record<string, string> {
  if (value === null) return {};
  if (!isMap(value)) throw typeError(`${fn}: "${arg}" must be a map`);
  const out: Record<string, string> = {};
  for (const key of Object.keys(value)) {
    const item = value[key] as Value;
    out[key] = typeof item === 'string' ? item : toJsonString(item);
  }
  return out;
}

function queryOf(fn: string, value: Value): Record<string, string[]> {
  if (value === null) return {};
  if (!isMap(value)) throw typeError(`${fn}: "query" must be a map`);
  const out: Record<string, string[]> = {};
  for (const key of Object.keys(value)) {
    const item = value[key] as Value;
    const items = Array.isArray(item) ? item : [item];
    out[key] = items.map((v) => (typeof v === 'string' ? v : toJsonString(v)));
  }
  return out;
}

/** JSON unless the request says otherwise; a map with a form Content-Type is form-encoded. */
function encodeBody(body: Value, headers: Record<string, string>): string | undefined {
  if (body === null) return undefined;
  const typeKey = Object.keys(headers).find((key) => key.toLowerCase() === 'content-type');
  const contentType = typeKey === undefined ? undefined : headers[typeKey];
  if (contentType === undefined) {
    headers['Content-Type'] = 'application/json';
    return toJsonString(body);
  }
  if (/json/i.test(contentType)) return toJsonString(body);
  if (typeof body === 'string') return body;
  if (isMap(body) && /x-www-form-urlencoded/i.test(contentType)) {
    return new URLSearchParams(Object.entries(stringMap('http', 'body', body))).toString();
  }
  throw typeError(`a ${typeName(body)} body cannot be sent as ${contentType}`);
}

function responseValue(response: HttpResponse): Value {
  if (response.body.length > limits.httpResponseBytes) {
    throw taggedError('ResourceLimitError', `HTTP response of ${response.body.length} bytes exceeds ${limits.httpResponseBytes}`);
  }
  const headers = newMap(Object.entries(response.headers));
  const contentType = Object.entries(response.headers).find(([key]) => key.toLowerCase() === 'content-type')?.[1] ?? '';
  const body = decodeBody(response.body, contentType);
  if (response.status >= 200 && response.status < 300) {
    return newMap([
      ['code', response.status],
      ['headers', headers],
      ['body', body],
    ]);
  }
  throw taggedError('HttpError', `HTTP server responded with error code ${response.status}`, newMap([
    ['code', response.status],
    ['headers', headers],
    ['body', body],
  ]));
}

function decodeBody(text: string, contentType: string): Value {
  if (text === '') return null;
  if (!/json/i.test(contentType)) return text;
  try {
    return fromJson(JSON.parse(text));
  } catch {
    return text;
  }
}

function transportError(error: unknown): Error {
  const tags: Record<HttpTransportError['kind'], ErrorTag> = {
    connection_failed: 'ConnectionFailedError',
    connection: 'ConnectionError',
    timeout: 'TimeoutError',
  };
  if (error instanceof HttpTransportError) return taggedError(tags[error.kind], error.message);
  return taggedError('ConnectionError', error instanceof Error ? error.message : String(error));
}
