/**
 * The one error type our modules throw. Its `kind` is the contract with the workflow: the step
 * adapter maps each kind to one HTTP status (see `statusOf`), and runner.yaml retries on exactly
 * the statuses of the retryable kinds. Messages are scrubbed of credentials when built, so an
 * error can be logged or returned without leaking a token.
 */
export type ErrorKind =
  | 'invalid' // bad input or bad template: never retried
  | 'not_found' // the thing is gone: callers usually treat this as done
  | 'conflict' // already exists
  | 'busy' // e.g. a runner still running a job: retry later
  | 'capacity' // stockout or quota in every zone tried: wait, then retry
  | 'rate_limited' // 429 / secondary rate limit: retry after a delay
  | 'unavailable' // 5xx, connection reset: retry
  | 'fatal'; // anything else: no retry

const statusByKind: Record<ErrorKind, number> = {
  invalid: 400,
  not_found: 404,
  conflict: 409,
  busy: 422,
  capacity: 429,
  rate_limited: 429,
  unavailable: 503,
  fatal: 500,
};

export function statusOf(kind: ErrorKind): number {
  return statusByKind[kind];
}

export function isRetryable(kind: ErrorKind): boolean {
  return kind === 'busy' || kind === 'capacity' || kind === 'rate_limited' || kind === 'unavailable';
}

export class RunnerError extends Error {
  override readonly name = 'RunnerError';
  readonly kind: ErrorKind;
  /** Seconds the caller should wait before retrying, when the remote side said so. */
  readonly retryAfterSeconds: number | undefined;

  constructor(kind: ErrorKind, message: string, options: { cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(scrubSecrets(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): number {
    return statusOf(this.kind);
  }
}

const wholeSecrets: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\bgh[pousr]_[A-Za-z0-9_]{16,}/g, // GitHub tokens
  /\bv1\.[0-9a-f]{40}\b/g, // legacy installation tokens
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, // JWTs
  /\beyIu[A-Za-z0-9+/=]{40,}/g, // encoded JIT configs: base64 of `{".runner"…`
];
/** The first group (the label) is kept, the value after it is replaced. */
const labelledSecrets: RegExp[] = [
  /((?:bearer|token)\s+)[A-Za-z0-9._~+/=-]{20,}/gi,
  /("?(?:encoded_jit_config|jitConfig|jit_config|token|secret|password|privateKey)"?\s*[:=]\s*"?)[^\s"',}]+/gi,
];

/** Replaces anything shaped like a credential with `[REDACTED]`. */
export function scrubSecrets(text: string): string {
  let result = text;
  for (const pattern of wholeSecrets) result = result.replace(pattern, '[REDACTED]');
  for (const pattern of labelledSecrets) result = result.replace(pattern, '$1[REDACTED]');
  return result;
}

export function errorKindOf(error: unknown): ErrorKind {
  return error instanceof RunnerError ? error.kind : 'fatal';
}
