/** Google's canonical error statuses the executions API answers with. */
export type ApiStatus = 'INVALID_ARGUMENT' | 'NOT_FOUND' | 'FAILED_PRECONDITION' | 'RESOURCE_EXHAUSTED';

const httpCodeOf: Record<ApiStatus, number> = {
  INVALID_ARGUMENT: 400,
  NOT_FOUND: 404,
  FAILED_PRECONDITION: 400,
  RESOURCE_EXHAUSTED: 429,
};

/** An engine API call refused, shaped like Google's `{error: {code, message, status}}`. */
export class EngineApiError extends Error {
  override readonly name = 'EngineApiError';
  readonly code: number;

  readonly status: ApiStatus;
  constructor(status: ApiStatus, message: string) {
    super(message);
    this.status = status;
    this.code = httpCodeOf[status];
  }

  toJSON(): { error: { code: number; message: string; status: ApiStatus } } {
    return { error: { code: this.code, message: this.message, status: this.status } };
  }
}
