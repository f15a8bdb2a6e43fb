import { ComputeOperationError } from './operation-error.ts';

/** What any Compute failure says, whatever the library version that threw it. */
export interface ComputeErrorFacts {
  /** HTTP status, when known (a finished operation's `httpErrorStatusCode` too). */
  readonly httpStatus: number | undefined;
  /** Reasons of the call (`alreadyExists`, `quotaExceeded`, ErrorInfo reasons, …). */
  readonly reasons: readonly string[];
  /** Codes of a finished operation's errors (`ZONE_RESOURCE_POOL_EXHAUSTED`, …). */
  readonly operationCodes: readonly string[];
  /** Connection-level code (`ECONNRESET`, …) when the call never got an answer. */
  readonly networkCode: string | undefined;
  readonly message: string;
  readonly retryAfterSeconds: number | undefined;
}

/** google-gax attaches the raw body of a failed REST call under this registered symbol (6.x). */
const rawPayloadSymbol = Symbol.for('google-gax.rawHttpResponsePayload');

/** gRPC status → HTTP status, for a GoogleError that lacks `httpStatusCode` (older google-gax). */
const httpByGrpc: Readonly<Record<number, number>> = {
  1: 499, 2: 500, 3: 400, 4: 504, 5: 404, 6: 409, 7: 403, 8: 429, 9: 400, 10: 409, 11: 400, 12: 501, 13: 500, 14: 503,
  15: 500, 16: 401,
};

type Bag = Record<string | symbol, unknown>;

function isBag(value: unknown): value is Bag {
  return typeof value === 'object' && value !== null;
}

/**
 * Reads an error of @google-cloud/compute 7.x (`GoogleError`: gRPC `code`, HTTP `httpStatusCode`,
 * raw body under a symbol), 6.x (`GaxiosError`: HTTP status in `code`/`status`, body in
 * `response.data`), a finished operation (`ComputeOperationError`) or a network failure.
 */
export function computeErrorFacts(error: unknown): ComputeErrorFacts {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ComputeOperationError) {
    const operationCodes = error.errors.map((entry) => entry.code);
    return { httpStatus: error.httpStatus, reasons: [], operationCodes, networkCode: undefined, message, retryAfterSeconds: undefined };
  }
  const bag: Bag = isBag(error) ? error : {};
  const response = isBag(bag['response']) ? bag['response'] : {};
  return {
    httpStatus: httpStatusOf(bag, response),
    reasons: reasonsOf(bag, response),
    operationCodes: [],
    networkCode: typeof bag['code'] === 'string' && /^E[A-Z_]+$/.test(bag['code']) ? bag['code'] : undefined,
    message,
    retryAfterSeconds: retryAfterOf(response),
  };
}

function httpStatusOf(bag: Bag, response: Bag): number | undefined {
  for (const candidate of [bag['httpStatusCode'], bag['status'], response['status']]) {
    if (typeof candidate === 'number' && candidate >= 100 && candidate < 600) return candidate;
  }
  const code = typeof bag['code'] === 'string' && /^\d+$/.test(bag['code']) ? Number(bag['code']) : bag['code'];
  if (typeof code !== 'number') return undefined;
  if (code >= 100 && code < 600) return code; // 6.x: GaxiosError carries the HTTP status in `code`
  return httpByGrpc[code];
}

function reasonsOf(bag: Bag, response: Bag): string[] {
  const reasons: string[] = [];
  if (typeof bag['reason'] === 'string') reasons.push(bag['reason']);
  for (const body of [parseJson(bag[rawPayloadSymbol]), response['data'], { error: { errors: bag['errors'] } }]) {
    const inner = isBag(body) && isBag(body['error']) ? body['error'] : {};
    for (const list of [inner['errors'], inner['details']]) {
      if (!Array.isArray(list)) continue;
      for (const entry of list) if (isBag(entry) && typeof entry['reason'] === 'string') reasons.push(entry['reason']);
    }
  }
  return [...new Set(reasons)];
}

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

function retryAfterOf(response: Bag): number | undefined {
  const headers = response['headers'];
  const raw = headers instanceof Headers ? headers.get('retry-after') : isBag(headers) ? headers['retry-after'] : undefined;
  const seconds = typeof raw === 'string' ? Number(raw) : NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}
