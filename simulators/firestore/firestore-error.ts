/** gRPC status names and the HTTP status Google's REST front end answers them with. */
const httpStatusOf = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  UNAUTHENTICATED: 401,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  ABORTED: 409,
  UNIMPLEMENTED: 501,
} as const;

export type FirestoreStatus = keyof typeof httpStatusOf;

/** An error answered as Google APIs do over REST: `{error: {code, message, status}}`. */
export class FirestoreError extends Error {
  override readonly name = 'FirestoreError';
  readonly status: FirestoreStatus;
  constructor(status: FirestoreStatus, message: string) {
    super(message);
    this.status = status;
  }

  get httpStatus(): number {
    return httpStatusOf[this.status];
  }

  toJson(): { error: { code: number; message: string; status: string } } {
    return { error: { code: this.httpStatus, message: this.message, status: this.status } };
  }
}

/** What Firestore says when it gives up on a transaction under contention (transaction-data-contention docs). */
export const contention = () => new FirestoreError('ABORTED', 'Too much contention on these documents. Please try again.');
