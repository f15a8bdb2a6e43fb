import { typeError, WorkflowError } from '../errors.ts';
import type { PredicateRef, RetrySpec, Step } from '../loader/program.ts';
import { evaluateTemplate } from '../loader/template.ts';
import { isMap, isNumber, numberOf, typeName, type Value } from '../values.ts';
import { callRoutine } from './call-routine.ts';
import type { Flow } from './flow.ts';
import type { Frame } from './frame.ts';
import type { Interpreting } from './interpreting.ts';
import { runList } from './run-steps.ts';
import type { ExecutionRuntime } from './runtime.ts';

type TryStep = Extract<Step, { kind: 'try' }>;

/**
 * `try`/`retry`/`except`. A retry re-runs the whole try block; `max_retries` counts retries, not
 * the first attempt. Delay n is initial_delay × multiplier^(n-1), capped at max_delay. When the
 * predicate says no or the retries run out, `except` gets the error (or it propagates).
 */
export function* runTry(step: TryStep, frame: Frame, rt: ExecutionRuntime): Interpreting<Flow> {
  let retries = 0;
  let policy: Policy | undefined;
  let delay = 0;
  for (;;) {
    try {
      return yield* runList(step.body, frame, rt);
    } catch (error) {
      if (!(error instanceof WorkflowError)) throw error;
      if (step.retry) {
        if (!policy) {
          policy = evaluatePolicy(step.retry, frame);
          delay = policy.initialDelay;
        }
        if (retries < policy.maxRetries && (yield* shouldRetry(step.retry.predicate, error, rt))) {
          retries++;
          yield rt.effects.sleep(Math.min(delay, policy.maxDelay) * 1000, rt.signal);
          delay = Math.min(delay * policy.multiplier, policy.maxDelay);
          continue;
        }
      }
      if (!step.except) throw error;
      return yield* runExcept(step.except, error, frame, rt);
    }
  }
}

/** The except block; its locals (`as` and what it creates) are forgotten when it is left. */
function* runExcept(except: NonNullable<TryStep['except']>, error: WorkflowError, frame: Frame, rt: ExecutionRuntime): Interpreting<Flow> {
  const shadowed = except.as !== undefined && frame.names().includes(except.as) ? [except.as, frame.lookup(except.as)] as const : undefined;
  try {
    if (except.as !== undefined) frame.set(except.as, error.payload);
    return yield* runList(except.body, frame, rt);
  } finally {
    for (const name of except.locals ?? []) frame.delete(name);
    if (shadowed) frame.set(...shadowed);
  }
}

interface Policy {
  maxRetries: number;
  initialDelay: number;
  maxDelay: number;
  multiplier: number;
}

function evaluatePolicy(spec: RetrySpec, frame: Frame): Policy {
  const number = (name: string, value: Value): number => {
    if (!isNumber(value) || numberOf(value) < 0) throw typeError(`retry: ${name} must be a non-negative number, not '${typeName(value)}'`);
    return numberOf(value);
  };
  return {
    maxRetries: number('max_retries', evaluateTemplate(spec.maxRetries, frame)),
    initialDelay: number('initial_delay', evaluateTemplate(spec.initialDelay, frame)),
    maxDelay: number('max_delay', evaluateTemplate(spec.maxDelay, frame)),
    multiplier: number('multiplier', evaluateTemplate(spec.multiplier, frame)),
  };
}

function* shouldRetry(predicate: PredicateRef, error: WorkflowError, rt: ExecutionRuntime): Interpreting<boolean> {
  if (predicate.type === 'builtin') return builtinPredicate(predicate.name, error.payload);
  const routine = rt.program.routines.get(predicate.name);
  if (!routine) throw typeError(`unknown retry predicate ${predicate.name}`);
  const answer = yield* callRoutine(routine, [error.payload], rt);
  if (typeof answer !== 'boolean') throw typeError(`retry predicate ${predicate.name} returned '${typeName(answer)}', not a boolean`);
  return answer;
}

// http.default_retry_predicate retries 429, 502, 503, 504 and connection or timeout failures;
// the non-idempotent one only 429, 503 and failures to connect, where nothing was delivered.
const retried: Record<string, { codes: number[]; tags: string[] }> = {
  'http.default_retry_predicate': { codes: [429, 502, 503, 504], tags: ['ConnectionError', 'ConnectionFailedError', 'TimeoutError'] },
  'http.default_retry_predicate_non_idempotent': { codes: [429, 503], tags: ['ConnectionFailedError'] },
};

function builtinPredicate(name: string, payload: Value): boolean {
  if (name === 'retry.always') return true;
  if (name === 'retry.never') return false;
  const rule = retried[name];
  if (!rule || !isMap(payload)) return false;
  const tags = Array.isArray(payload['tags']) ? payload['tags'] : [];
  const code = payload['code'];
  if (tags.includes('HttpError') && typeof code === 'number' && rule.codes.includes(code)) return true;
  return tags.some((tag) => typeof tag === 'string' && rule.tags.includes(tag));
}
