import { RunnerError, type ErrorKind } from '../errors.ts';
import { googleErrorFacts, type GoogleErrorFacts } from './google-error-facts.ts';

const grpc = { deadlineExceeded: 4, notFound: 5, alreadyExists: 6, resourceExhausted: 8, aborted: 10, unavailable: 14 } as const;

/**
 * True for ALREADY_EXISTS: gRPC 6, or an HTTP 409 whose body does not say otherwise (409 is also
 * ABORTED, gRPC 10, which is a retryable conflict rather than a duplicate).
 */
export function isAlreadyExists(error: unknown): boolean {
  const facts = googleErrorFacts(error);
  if (facts.grpcCode !== undefined) return facts.grpcCode === grpc.alreadyExists;
  if (facts.statusName !== undefined) return facts.statusName === 'ALREADY_EXISTS';
  return facts.httpStatus === 409;
}

export function isNotFound(error: unknown): boolean {
  const facts = googleErrorFacts(error);
  return facts.grpcCode === grpc.notFound || facts.httpStatus === 404;
}

/**
 * A failed Cloud Tasks or Workflows call as the kind our callers act on: `rate_limited` for 429 /
 * RESOURCE_EXHAUSTED (e.g. Workflows' cap on concurrent executions), `unavailable` for 5xx,
 * UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED and no answer at all, `fatal` for the rest (a missing
 * queue or workflow, a permission denied: retrying cannot help). The client libraries retry none
 * of these for createTask/createExecution, so the caller's retry is the only one. The original
 * error is not kept as `cause`: a GaxiosError carries the request's headers, with the bearer token.
 */
export function classifyGoogleError(error: unknown, context: string): RunnerError {
  const facts = googleErrorFacts(error);
  const detail = [facts.httpStatus === undefined ? undefined : `HTTP ${facts.httpStatus}`, facts.statusName ?? facts.networkCode]
    .filter((part) => part !== undefined)
    .join(' ');
  const message = `${context}: ${detail ? `${detail}: ` : ''}${facts.message.slice(0, 300)}`;
  const retryAfter = facts.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: facts.retryAfterSeconds };
  return new RunnerError(kindOf(facts), message, retryAfter);
}

function kindOf(facts: GoogleErrorFacts): ErrorKind {
  const status = facts.statusName;
  if (facts.httpStatus === 429 || facts.grpcCode === grpc.resourceExhausted || status === 'RESOURCE_EXHAUSTED') return 'rate_limited';
  if (facts.httpStatus !== undefined && facts.httpStatus >= 500) return 'unavailable';
  const retryableCodes: readonly number[] = [grpc.deadlineExceeded, grpc.aborted, grpc.unavailable];
  if (facts.grpcCode !== undefined && retryableCodes.includes(facts.grpcCode)) return 'unavailable';
  // google-gax 5 gives no gRPC code: the body's status name says the same thing.
  if (status === 'ABORTED' || status === 'UNAVAILABLE' || status === 'DEADLINE_EXCEEDED') return 'unavailable';
  if (facts.httpStatus === undefined && facts.networkCode !== undefined) return 'unavailable';
  return 'fatal';
}
