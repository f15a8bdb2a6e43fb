import type { Response } from 'express';

const DOCS = 'https://docs.github.com/rest';

/** GitHub's error body: `message`, `documentation_url`, and `status` as a string. */
export function errorBody(status: number, message: string): Record<string, unknown> {
  return { message, documentation_url: DOCS, status: String(status) };
}

export function sendError(res: Response, status: number, message: string): void {
  res.status(status).json(errorBody(status, message));
}

/** A default message per status, for faults that bring no body of their own. */
export function defaultMessage(status: number): string {
  if (status === 403) return 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';
  if (status === 429) return 'API rate limit exceeded';
  if (status === 404) return 'Not Found';
  if (status === 409) return 'Conflict';
  if (status === 422) return 'Validation Failed';
  if (status >= 500) return 'Server Error';
  return 'Error';
}

/** A string route or query value; Express 5 types them loosely. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A positive integer from a route or query value, else `undefined`. */
export function positiveInt(value: unknown): number | undefined {
  const parsed = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(parsed) && parsed > 0 ? parsed : undefined;
}

/** GitHub timestamps: ISO 8601 without milliseconds. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
