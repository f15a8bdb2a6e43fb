import { RunnerError, type ErrorKind } from '../errors.ts';
import { computeErrorFacts, type ComputeErrorFacts } from './compute-error-facts.ts';

/** No room in the zone, or a quota reached: try another zone, then wait. Never a crash. */
const capacityCodes = new Set([
  'ZONE_RESOURCE_POOL_EXHAUSTED',
  'ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS',
  'RESOURCE_POOL_EXHAUSTED',
  'QUOTA_EXCEEDED',
  'RESOURCE_EXHAUSTED', // only as an operation code; as a call status it is a rate limit (429)
  'STOCKOUT',
  'quotaExceeded',
  'stockout',
]);
const rateLimitReasons = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'RATE_LIMIT_EXCEEDED']);
const alreadyExistsReasons = new Set(['alreadyExists', 'RESOURCE_ALREADY_EXISTS']);
const notFoundReasons = new Set(['notFound', 'RESOURCE_NOT_FOUND']);
/** A delete or insert racing another operation on the same VM: retry shortly. */
export const notReadyReasons: ReadonlySet<string> = new Set(['resourceNotReady', 'RESOURCE_NOT_READY']);

/**
 * The one place that maps a Compute failure to the kind the workflow acts on: `capacity`
 * (stockout, quota), `rate_limited`, `unavailable` (5xx, network, resource not ready), `conflict`
 * (already exists), `not_found`, `invalid` (400: a bad template), `fatal` (401/403 and the rest).
 * Only codes, reasons and the server's message go into the result: never the request, which holds
 * the JIT config.
 */
export function classifyComputeError(error: unknown, context: string): RunnerError {
  const facts = computeErrorFacts(error);
  const kind = kindOf(facts);
  const detail = [facts.httpStatus === undefined ? undefined : `HTTP ${facts.httpStatus}`, ...facts.operationCodes, ...facts.reasons]
    .filter((part) => part !== undefined)
    .join(' ');
  const message = `${context}: ${detail ? `${detail}: ` : ''}${facts.message}`;
  return new RunnerError(kind, message, facts.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: facts.retryAfterSeconds });
}

function kindOf(facts: ComputeErrorFacts): ErrorKind {
  const codes = [...facts.operationCodes, ...facts.reasons];
  const has = (set: ReadonlySet<string>): boolean => codes.some((code) => set.has(code));
  if (facts.operationCodes.some((code) => capacityCodes.has(code))) return 'capacity';
  if (has(rateLimitReasons) || facts.httpStatus === 429) return 'rate_limited';
  if (facts.reasons.some((reason) => capacityCodes.has(reason))) return 'capacity';
  if (has(notReadyReasons)) return 'unavailable';
  if (has(alreadyExistsReasons)) return 'conflict';
  if (has(notFoundReasons)) return 'not_found';
  return kindOfStatus(facts.httpStatus, facts.networkCode);
}

function kindOfStatus(status: number | undefined, networkCode: string | undefined): ErrorKind {
  if (status === undefined) return networkCode === undefined ? 'fatal' : 'unavailable';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 400 || status === 422) return 'invalid';
  if (status === 408 || status === 499 || status >= 500) return 'unavailable';
  return 'fatal';
}
