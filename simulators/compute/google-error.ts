import type { Json } from './sim-types.ts';

/** An HTTP error answered in Google's JSON error shape (`{error:{code,message,errors:[…]}}`). */
export class GoogleApiError extends Error {
  readonly httpStatus: number;
  readonly reason: string;
  readonly domain: string;
  readonly status: string | undefined;
  readonly details: readonly Json[];

  constructor(httpStatus: number, reason: string, message: string, extra: { domain?: string; status?: string; details?: Json[] } = {}) {
    super(message);
    this.httpStatus = httpStatus;
    this.reason = reason;
    this.domain = extra.domain ?? 'global';
    this.status = extra.status;
    this.details = extra.details ?? [];
  }

  toJson(): Json {
    const error: Json = {
      code: this.httpStatus,
      message: this.message,
      errors: [{ message: this.message, domain: this.domain, reason: this.reason }],
    };
    if (this.status !== undefined) error['status'] = this.status;
    if (this.details.length > 0) error['details'] = this.details;
    return { error };
  }
}

/** `Invalid value for field 'F': 'V'. Why.` with reason `invalid`, as Compute words a 400. */
export function invalidField(field: string, value: unknown, why: string): GoogleApiError {
  const shown = typeof value === 'string' ? value : JSON.stringify(value ?? '');
  return new GoogleApiError(400, 'invalid', `Invalid value for field '${field}': '${shown}'. ${why}`);
}

export function invalidPayload(why: string): GoogleApiError {
  return new GoogleApiError(400, 'invalid', `Invalid JSON payload received. ${why}`, { status: 'INVALID_ARGUMENT' });
}

export function notFound(resource: string): GoogleApiError {
  return new GoogleApiError(404, 'notFound', `The resource '${resource}' was not found`);
}

export function alreadyExists(resource: string): GoogleApiError {
  return new GoogleApiError(409, 'alreadyExists', `The resource '${resource}' already exists`);
}

export function notReady(resource: string): GoogleApiError {
  return new GoogleApiError(400, 'resourceNotReady', `The resource '${resource}' is not ready`);
}

function errorInfo(reason: string, domain: string, metadata: Record<string, string>): Json {
  return { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain, metadata };
}

export function quotaExceeded(region: string): GoogleApiError {
  const message = `Quota 'CPUS' exceeded.  Limit: 24.0 in region ${region}.`;
  const details = [errorInfo('QUOTA_EXCEEDED', 'compute.googleapis.com', { quota_metric: 'compute.googleapis.com/cpus', limit: '24' })];
  return new GoogleApiError(403, 'quotaExceeded', message, { domain: 'usageLimits', details });
}

export function rateLimited(httpStatus: 403 | 429): GoogleApiError {
  const message = "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute' of service 'compute.googleapis.com'.";
  if (httpStatus === 403) return new GoogleApiError(403, 'rateLimitExceeded', 'Rate Limit Exceeded', { domain: 'usageLimits' });
  const details = [errorInfo('RATE_LIMIT_EXCEEDED', 'googleapis.com', { service: 'compute.googleapis.com' })];
  return new GoogleApiError(429, 'rateLimitExceeded', message, { status: 'RESOURCE_EXHAUSTED', details });
}

export function backendError(httpStatus: 500 | 503): GoogleApiError {
  const message = httpStatus === 503 ? 'The service is currently unavailable.' : 'Internal error. Please try again or contact Google Support.';
  return new GoogleApiError(httpStatus, 'backendError', message);
}
