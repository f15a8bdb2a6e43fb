import type { Response } from 'express';
import { RunnerError, statusOf } from '../errors.ts';

/**
 * The one place where outcomes become HTTP statuses, which runner.yaml acts on:
 *   400 invalid input or template     never retried; the execution fails (VM deleted)
 *   404 not found                     treated as done by callers that delete
 *   409 conflict                      already exists
 *   422 busy                          runner still running a job; retried
 *   429 capacity, rate limited        retried with backoff (honours Retry-After)
 *   503 unavailable                   retried with backoff
 *   500 anything else                 a bare message, nothing echoed
 */
export function sendError(response: Response, error: unknown): void {
  if (error instanceof RunnerError) {
    if (error.retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(Math.ceil(error.retryAfterSeconds)));
    response.status(error.status).json({ error: { kind: error.kind, message: error.message } });
    return;
  }
  response.status(statusOf('fatal')).json({ error: { kind: 'fatal', message: 'internal error' } });
}
