import { RunnerError, type ErrorKind } from '../errors.ts';

/** What we read from an octokit `RequestError`, duck-typed so we need not import its package. */
interface HttpErrorLike {
  readonly status: number;
  readonly message: string;
  readonly request?: { readonly method?: string; readonly url?: string };
  readonly response?: { readonly headers?: Record<string, unknown> };
}

/** Per-operation meaning of a status, e.g. a 422 on DELETE runner means `busy`. */
export type StatusKinds = Readonly<Partial<Record<number, ErrorKind>>>;

/** GitHub asks for "at least one minute" after a secondary rate limit that names no wait. */
const SECONDARY_LIMIT_WAIT_SECONDS = 60;

const kindByStatus: Readonly<Record<number, ErrorKind>> = {
  400: 'invalid',
  404: 'not_found',
  409: 'conflict',
  422: 'invalid',
  429: 'rate_limited',
};

/**
 * Turns whatever octokit threw into a `RunnerError`. The message is built from the method, the
 * path and GitHub's own message only: never from the RequestError's request (it holds headers),
 * and the RequestError is not kept as `cause` for the same reason.
 */
export function classifyGitHubError(error: unknown, nowMs: number, statusKinds: StatusKinds = {}): RunnerError {
  if (error instanceof RunnerError) return error;
  if (!isHttpError(error)) {
    const text = error instanceof Error ? error.message : String(error);
    return new RunnerError('fatal', `GitHub call failed: ${text}`);
  }
  const where = describeRequest(error);
  const headers = error.response?.headers;
  // @octokit/request reports a connection failure (no response at all) as status 500.
  if (headers === undefined) return new RunnerError('unavailable', `GitHub ${where} failed to connect: ${error.message}`);
  const message = `GitHub ${where} answered ${error.status}: ${error.message}`;
  const waitSeconds = rateLimitWaitSeconds(error.status, headers, error.message, nowMs);
  if (waitSeconds !== undefined) return new RunnerError('rate_limited', message, { retryAfterSeconds: waitSeconds });
  return new RunnerError(kindOfStatus(error.status, statusKinds), message);
}

function kindOfStatus(status: number, statusKinds: StatusKinds): ErrorKind {
  const special = statusKinds[status];
  if (special !== undefined) return special;
  if (status >= 500) return 'unavailable';
  return kindByStatus[status] ?? 'fatal';
}

/**
 * Seconds to wait when the answer is a rate limit, `undefined` when it is not. 429 always is; a
 * 403 is when GitHub says "secondary rate limit", sends Retry-After, or has no primary quota left.
 */
export function rateLimitWaitSeconds(
  status: number,
  headers: Record<string, unknown>,
  message: string,
  nowMs: number,
): number | undefined {
  if (status !== 429 && status !== 403) return undefined;
  const retryAfter = headerText(headers, 'retry-after');
  const exhausted = headerText(headers, 'x-ratelimit-remaining') === '0';
  const secondary = /secondary rate limit|abuse detection/i.test(message);
  if (status === 403 && retryAfter === undefined && !exhausted && !secondary) return undefined;
  const fromRetryAfter = retryAfterSeconds(retryAfter, nowMs);
  if (fromRetryAfter !== undefined) return fromRetryAfter;
  const reset = Number(headerText(headers, 'x-ratelimit-reset'));
  if (exhausted && Number.isFinite(reset) && reset > 0) return Math.max(1, Math.ceil(reset - nowMs / 1000));
  return SECONDARY_LIMIT_WAIT_SECONDS;
}

/** Retry-After is seconds from GitHub, but HTTP also allows a date. */
function retryAfterSeconds(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - nowMs) / 1000));
}

function headerText(headers: Record<string, unknown>, name: string): string | undefined {
  const value = headers[name];
  return value === undefined || value === null ? undefined : String(value);
}

function isHttpError(error: unknown): error is HttpErrorLike {
  return error instanceof Error && typeof (error as { status?: unknown }).status === 'number';
}

/** `POST /orgs/x/actions/runners/generate-jitconfig`: the path only, never the query or headers. */
function describeRequest(error: HttpErrorLike): string {
  const method = error.request?.method ?? 'request';
  const url = error.request?.url;
  if (url === undefined) return method;
  try {
    return `${method} ${new URL(url).pathname}`;
  } catch {
    return method;
  }
}
