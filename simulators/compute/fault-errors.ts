import { backendError, notReady, quotaExceeded, rateLimited, type GoogleApiError } from './google-error.ts';
import { regionOf } from './resource-paths.ts';
import type { FaultKind } from './sim-types.ts';

/** Faults that answer the call itself with an HTTP error. */
export const callFaults: ReadonlySet<FaultKind> = new Set(['quota', 'unavailable', 'internal', 'rate_limit', 'rate_limit_403', 'not_ready']);
/** Faults that let the insert through and fail its operation. */
export const operationFaults: ReadonlySet<FaultKind> = new Set(['stockout', 'stockout_details', 'quota_async']);

/** The HTTP error a call fault answers with (the resource path goes into `resourceNotReady`). */
export function callFaultError(kind: FaultKind, zone: string | undefined, resource: string): GoogleApiError {
  switch (kind) {
    case 'quota':
      return quotaExceeded(regionOf(zone ?? 'us-central1-a'));
    case 'rate_limit':
      return rateLimited(429);
    case 'rate_limit_403':
      return rateLimited(403);
    case 'not_ready':
      return notReady(resource);
    case 'internal':
      return backendError(500);
    default:
      return backendError(503);
  }
}

export interface OperationFailure {
  readonly code: string;
  readonly message: string;
  readonly httpErrorStatusCode: number;
  readonly httpErrorMessage: string;
}

/** The `error` a finished insert operation carries for an operation fault, worded as Compute words it. */
export function operationFailure(kind: FaultKind, zone: string): OperationFailure {
  if (kind === 'quota_async') {
    return {
      code: 'QUOTA_EXCEEDED',
      message: `Quota 'CPUS' exceeded.  Limit: 24.0 in region ${regionOf(zone)}.`,
      httpErrorStatusCode: 403,
      httpErrorMessage: 'FORBIDDEN',
    };
  }
  return {
    code: kind === 'stockout_details' ? 'ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS' : 'ZONE_RESOURCE_POOL_EXHAUSTED',
    message: `The zone 'projects/-/zones/${zone}' does not have enough resources available to fulfill the request.  Try a different zone, or try again later.`,
    httpErrorStatusCode: 503,
    httpErrorMessage: 'SERVICE UNAVAILABLE',
  };
}
