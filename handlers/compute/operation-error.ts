/** One entry of a finished zone operation's `error.errors`. */
export interface OperationErrorEntry {
  readonly code: string;
  readonly message: string;
}

/**
 * A zone operation that finished with `error`: stockout and asynchronous quota arrive this way,
 * not as a failed call. Carries only codes and messages (never the request), so it is safe to log.
 */
export class ComputeOperationError extends Error {
  override readonly name = 'ComputeOperationError';
  readonly errors: readonly OperationErrorEntry[];
  /** `httpErrorStatusCode` of the operation: what the call would have answered had it failed synchronously. */
  readonly httpStatus: number | undefined;

  constructor(errors: readonly OperationErrorEntry[], httpStatus: number | undefined) {
    super(errors.map((entry) => entry.message).join('; ') || 'operation failed');
    this.errors = errors;
    this.httpStatus = httpStatus;
  }
}

interface OperationLike {
  readonly error?: { readonly errors?: readonly { code?: string | null; message?: string | null }[] | null } | null;
  readonly httpErrorStatusCode?: number | null;
}

/** The error of a DONE operation, or null when it succeeded. */
export function operationErrorOf(operation: OperationLike): ComputeOperationError | null {
  const entries = (operation.error?.errors ?? []).map((entry) => ({ code: entry.code ?? 'UNKNOWN', message: entry.message ?? '' }));
  if (entries.length === 0) return null;
  return new ComputeOperationError(entries, operation.httpErrorStatusCode ?? undefined);
}
