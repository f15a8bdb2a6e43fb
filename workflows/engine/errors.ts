import { isMap, newMap, type Value, type ValueMap } from './values.ts';

/** The error tags Workflows documents; a raised map carries them in `tags`. */
export type ErrorTag =
  | 'AuthError'
  | 'ConnectionError'
  | 'ConnectionFailedError'
  | 'HttpError'
  | 'IndexError'
  | 'KeyError'
  | 'RecursionError'
  | 'ResourceLimitError'
  | 'SystemError'
  | 'TimeoutError'
  | 'TypeError'
  | 'ValueError'
  | 'ZeroDivisionError';

/** One level of the call stack an uncaught error went through, innermost first. */
export interface TraceElement {
  step: string;
  routine: string;
  line: number;
  column: number;
}

/**
 * An error inside the workflow language: what `raise` throws, what `except` catches. `payload` is
 * exactly the raised value (a string or a map), so `raise ${e}` re-raises it with its tags.
 */
export class WorkflowError extends Error {
  override readonly name = 'WorkflowError';
  readonly payload: Value;
  readonly trace: TraceElement[] = [];

  constructor(payload: Value) {
    super(messageOf(payload));
    this.payload = payload;
  }

  hasTag(tag: ErrorTag): boolean {
    const tags = isMap(this.payload) ? this.payload['tags'] : undefined;
    return Array.isArray(tags) && tags.includes(tag);
  }
}

export function messageOf(payload: Value): string {
  if (typeof payload === 'string') return payload;
  if (isMap(payload) && typeof payload['message'] === 'string') return payload['message'];
  return JSON.stringify(payload);
}

export function taggedError(tag: ErrorTag, message: string, extra?: ValueMap): WorkflowError {
  const payload = newMap([
    ['message', message],
    ['tags', [tag]],
  ]);
  if (extra) Object.assign(payload, extra);
  return new WorkflowError(payload);
}

export const typeError = (message: string): WorkflowError => taggedError('TypeError', message);
export const keyError = (message: string): WorkflowError => taggedError('KeyError', message);
export const indexError = (message: string): WorkflowError => taggedError('IndexError', message);
export const valueError = (message: string): WorkflowError => taggedError('ValueError', message);

/** Thrown when an execution is cancelled: not a WorkflowError, so no `except` can catch it. */
/** The engine is shutting down: executions stop where they are and stay ACTIVE, to be resumed. */
export class EngineStopped extends Error {
  override readonly name = 'EngineStopped';
}

export class ExecutionCancelled extends Error {
  override readonly name = 'ExecutionCancelled';
  constructor() {
    super('execution cancelled');
  }
}

/** A workflow source outside the supported subset, or malformed; lists every problem found. */
export class WorkflowLoadError extends Error {
  override readonly name = 'WorkflowLoadError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.join('\n'));
    this.problems = problems;
  }
}
