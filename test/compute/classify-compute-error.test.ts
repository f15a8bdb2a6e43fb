import test from 'ava';
import { classifyComputeError } from '../../handlers/compute/classify-compute-error.ts';
import { ComputeOperationError } from '../../handlers/compute/operation-error.ts';
import type { ErrorKind } from '../../handlers/errors.ts';

const rawPayload = Symbol.for('google-gax.rawHttpResponsePayload');

/** As @google-cloud/compute 7.x (google-gax 6, REST) throws: gRPC `code`, HTTP `httpStatusCode`, the body under a symbol. */
function googleError(grpcCode: number, httpStatus: number | undefined, body: { message: string; reason?: string; status?: string; details?: unknown[] }): Error {
  const error = Object.assign(new Error(body.message), { code: grpcCode, details: [], note: undefined, metadata: {}, statusDetails: undefined });
  Object.defineProperty(error, 'name', { value: 'GoogleError' });
  if (httpStatus !== undefined) Object.assign(error, { httpStatusCode: httpStatus });
  const errors = body.reason === undefined ? [] : [{ message: body.message, domain: 'global', reason: body.reason }];
  const json = { error: { code: httpStatus, message: body.message, errors, status: body.status, details: body.details } };
  Object.defineProperty(error, rawPayload, { value: JSON.stringify(json), enumerable: false });
  return error;
}

/** As @google-cloud/compute 6.x threw: a GaxiosError with the HTTP status in `code` and the body in `response.data`. */
function gaxiosError(status: number, reason: string, message: string, headers: Record<string, string> = {}): Error {
  const data = { error: { code: status, message, errors: [{ message, domain: 'global', reason }] } };
  const error = Object.assign(new Error(message), { code: status, status, response: { status, data, headers }, config: { headers: { Authorization: 'Bearer ya29.secret-token' } } });
  Object.defineProperty(error, 'name', { value: 'GaxiosError' });
  return error;
}

const stockout = new ComputeOperationError([{ code: 'ZONE_RESOURCE_POOL_EXHAUSTED', message: "The zone 'projects/p/zones/us-central1-a' does not have enough resources available to fulfill the request." }], 503);
const table: [string, unknown, ErrorKind][] = [
  ['operation stockout', stockout, 'capacity'],
  ['operation stockout with details', new ComputeOperationError([{ code: 'ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS', message: 'm' }], 503), 'capacity'],
  ['operation quota', new ComputeOperationError([{ code: 'QUOTA_EXCEEDED', message: "Quota 'GPUS_ALL_REGIONS' exceeded." }], 403), 'capacity'],
  ['operation resource exhausted', new ComputeOperationError([{ code: 'RESOURCE_EXHAUSTED', message: 'm' }], undefined), 'capacity'],
  ['operation already exists', new ComputeOperationError([{ code: 'RESOURCE_ALREADY_EXISTS', message: 'm' }], 409), 'conflict'],
  ['operation not found', new ComputeOperationError([{ code: 'RESOURCE_NOT_FOUND', message: 'm' }], 404), 'not_found'],
  ['operation bad request', new ComputeOperationError([{ code: 'INVALID_FIELD_VALUE', message: 'm' }], 400), 'invalid'],
  ['operation unknown code', new ComputeOperationError([{ code: 'SOMETHING_NEW', message: 'm' }], undefined), 'fatal'],
  ['7.x 409 alreadyExists arrives as gRPC 10', googleError(10, 409, { message: 'already exists', reason: 'alreadyExists' }), 'conflict'],
  ['7.x 404', googleError(5, 404, { message: 'was not found', reason: 'notFound' }), 'not_found'],
  ['7.x 403 quota with ErrorInfo', googleError(7, 403, { message: "Quota 'CPUS' exceeded.", reason: 'quotaExceeded' }), 'capacity'],
  ['7.x 403 rateLimitExceeded', googleError(7, 403, { message: 'Rate Limit Exceeded', reason: 'rateLimitExceeded' }), 'rate_limited'],
  ['7.x 403 userRateLimitExceeded', googleError(7, 403, { message: 'User Rate Limit Exceeded', reason: 'userRateLimitExceeded' }), 'rate_limited'],
  ['7.x 429 RESOURCE_EXHAUSTED', googleError(8, 429, { message: "Quota exceeded for quota metric 'Queries'", reason: 'rateLimitExceeded', status: 'RESOURCE_EXHAUSTED' }), 'rate_limited'],
  ['7.x 403 permission denied', googleError(7, 403, { message: "Required 'compute.instances.create' permission", reason: 'forbidden' }), 'fatal'],
  ['7.x 400 resourceNotReady', googleError(3, 400, { message: 'is not ready', reason: 'resourceNotReady' }), 'unavailable'],
  ['7.x 400 invalid', googleError(3, 400, { message: "Invalid value for field 'resource.machineType'", reason: 'invalid' }), 'invalid'],
  ['7.x 503', googleError(14, 503, { message: 'unavailable', reason: 'backendError' }), 'unavailable'],
  ['7.x 500', googleError(13, 500, { message: 'internal', reason: 'backendError' }), 'unavailable'],
  ['7.x 401', googleError(16, 401, { message: 'Request had invalid authentication credentials.' }), 'fatal'],
  ['GoogleError without httpStatusCode: gRPC 10', googleError(10, undefined, { message: 'aborted' }), 'conflict'],
  ['GoogleError without httpStatusCode: gRPC 14', googleError(14, undefined, { message: 'socket hang up' }), 'unavailable'],
  ['GoogleError without httpStatusCode: gRPC 4', googleError(4, undefined, { message: 'Deadline exceeded' }), 'unavailable'],
  ['GoogleError without httpStatusCode: gRPC 8', googleError(8, undefined, { message: 'resource exhausted' }), 'rate_limited'],
  ['6.x GaxiosError 409', gaxiosError(409, 'alreadyExists', 'already exists'), 'conflict'],
  ['6.x GaxiosError 403 quotaExceeded', gaxiosError(403, 'quotaExceeded', "Quota 'CPUS' exceeded."), 'capacity'],
  ['6.x GaxiosError 429', gaxiosError(429, 'rateLimitExceeded', 'Rate Limit Exceeded'), 'rate_limited'],
  ['6.x GaxiosError 502', gaxiosError(502, 'backendError', 'Bad Gateway'), 'unavailable'],
  ['6.x GaxiosError 400 resourceNotReady', gaxiosError(400, 'resourceNotReady', 'not ready'), 'unavailable'],
  ['network failure', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'unavailable'],
  ['not an error at all', 'boom', 'fatal'],
];

for (const [name, error, kind] of table) {
  test(`classifies ${name} as ${kind}`, (t) => {
    t.is(classifyComputeError(error, 'insert runner-1 in us-central1-a').kind, kind);
  });
}

test('the message names the call, the status and the reason, and carries no credential', (t) => {
  const classified = classifyComputeError(gaxiosError(429, 'rateLimitExceeded', 'Rate Limit Exceeded', { 'retry-after': '30' }), 'list instances');
  t.is(classified.message, 'list instances: HTTP 429 rateLimitExceeded: Rate Limit Exceeded');
  t.is(classified.retryAfterSeconds, 30);
  t.is(classified.cause, undefined, 'the library error (request config, headers) is not kept');
  t.false(JSON.stringify({ ...classified, message: classified.message }).includes('ya29'));
});

test('an operation error reads as its code and message', (t) => {
  t.is(classifyComputeError(stockout, 'insert runner-1 in us-central1-a').message,
    "insert runner-1 in us-central1-a: HTTP 503 ZONE_RESOURCE_POOL_EXHAUSTED: The zone 'projects/p/zones/us-central1-a' does not have enough resources available to fulfill the request.");
});
