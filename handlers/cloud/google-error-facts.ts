/**
 * What a failed Google API call says, whatever threw it. `@google-cloud/tasks` 7 (google-gax 6)
 * throws `GoogleError`: gRPC status in `code`, HTTP status in `httpStatusCode`. Connection
 * failures there are `code: 14` with no HTTP status. `@google-cloud/workflows` 5 (google-gax 5,
 * REST) lets google-auth-library's `GaxiosError` through: HTTP status in `status` and `code`, the
 * raw response body as `message`, and a connection failure as `code: 'ECONNREFUSED'`.
 */
export interface GoogleErrorFacts {
  readonly httpStatus: number | undefined;
  /** gRPC status code (6 = ALREADY_EXISTS, 14 = UNAVAILABLE, …), when the library gave one. */
  readonly grpcCode: number | undefined;
  /** `ALREADY_EXISTS`, `UNAVAILABLE`, … from the JSON error body, when it could be read. */
  readonly statusName: string | undefined;
  /** `ECONNREFUSED`, `ECONNRESET`, … when no answer came. */
  readonly networkCode: string | undefined;
  readonly message: string;
  readonly retryAfterSeconds: number | undefined;
}

type Bag = Record<string | symbol, unknown>;

const isBag = (value: unknown): value is Bag => typeof value === 'object' && value !== null;

/** The raw body of a failed REST call, kept by google-gax 6 under this registered symbol. */
const rawPayloadSymbol = Symbol.for('google-gax.rawHttpResponsePayload');

export function googleErrorFacts(error: unknown): GoogleErrorFacts {
  const bag: Bag = isBag(error) ? error : {};
  const rawMessage = error instanceof Error ? error.message : String(error);
  const body = errorBodyOf(bag[rawPayloadSymbol]) ?? errorBodyOf(rawMessage);
  const code = bag['code'];
  const numericCode = typeof code === 'number' ? code : undefined;
  return {
    httpStatus: httpStatusOf(bag, numericCode, body),
    grpcCode: numericCode !== undefined && numericCode < 100 ? numericCode : undefined,
    statusName: typeof body?.['status'] === 'string' ? body['status'] : undefined,
    networkCode: typeof code === 'string' && /^E[A-Z_]+$/.test(code) ? code : undefined,
    message: typeof body?.['message'] === 'string' ? body['message'] : rawMessage,
    retryAfterSeconds: retryAfterOf(bag['response']),
  };
}

function httpStatusOf(bag: Bag, numericCode: number | undefined, body: Bag | undefined): number | undefined {
  const candidates = [bag['httpStatusCode'], bag['status'], numericCode, body?.['code']];
  for (const candidate of candidates) {
    if (typeof candidate === 'number' && candidate >= 100 && candidate < 600) return candidate;
  }
  return undefined;
}

/** `{"error":{"code":409,"status":"ALREADY_EXISTS","message":"…"}}` → its `error` object. */
function errorBodyOf(text: unknown): Bag | undefined {
  if (typeof text !== 'string' || !text.trimStart().startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    return isBag(parsed) && isBag(parsed['error']) ? parsed['error'] : undefined;
  } catch {
    return undefined;
  }
}

function retryAfterOf(response: unknown): number | undefined {
  const headers = isBag(response) ? response['headers'] : undefined;
  // gaxios may hand back a Headers of another fetch implementation: duck-type it, not instanceof.
  const get = isBag(headers) ? headers['get'] : undefined;
  const raw = typeof get === 'function' ? (get as (name: string) => unknown).call(headers, 'retry-after') : isBag(headers) ? headers['retry-after'] : undefined;
  const seconds = typeof raw === 'string' ? Number(raw) : NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}
