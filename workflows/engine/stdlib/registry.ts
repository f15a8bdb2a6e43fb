import { typeError } from '../errors.ts';
import type { Value } from '../values.ts';
import { collectionFunctions } from './collections.ts';
import { coreFunctions } from './core.ts';
import type { FunctionSpec, StdlibContext } from './function-spec.ts';
import { miscFunctions } from './misc.ts';
import { textFunctions } from './text.ts';

/** Functions usable in expressions and in `call` steps. */
export const stdlib: ReadonlyMap<string, FunctionSpec> = new Map(
  Object.entries({ ...coreFunctions, ...textFunctions, ...collectionFunctions, ...miscFunctions }),
);

/** Blocking or execution-bound functions: only a `call` step may use them, never an expression. */
export const callOnlyFunctions: ReadonlySet<string> = new Set([
  'http.get',
  'http.post',
  'http.put',
  'http.patch',
  'http.delete',
  'http.request',
  'sys.sleep',
  'events.create_callback_endpoint',
  'events.await_callback',
]);

/** Named arguments each call-only function accepts; anything else is rejected at load time. */
const callOnlyParams: Readonly<Record<string, readonly string[]>> = {
  'http.request': ['url', 'method', 'headers', 'body', 'query', 'auth', 'timeout'],
  'sys.sleep': ['seconds'],
  'events.create_callback_endpoint': ['http_callback_method'],
  'events.await_callback': ['callback', 'timeout'],
};

export function paramsOfCallOnly(name: string): readonly string[] {
  if (name.startsWith('http.') && name !== 'http.request') return ['url', 'headers', 'body', 'query', 'auth', 'timeout'];
  return callOnlyParams[name] ?? [];
}

export const retryPredicateNames: ReadonlySet<string> = new Set([
  'http.default_retry_predicate',
  'http.default_retry_predicate_non_idempotent',
  'retry.always',
  'retry.never',
]);

export const retryPolicyNames: ReadonlySet<string> = new Set(['http.default_retry', 'http.default_retry_non_idempotent']);

export function callStdlib(name: string, args: Value[], ctx: StdlibContext): Value {
  const fn = stdlib.get(name);
  if (!fn) throw typeError(`unknown function ${name}`);
  if (args.length < fn.required || args.length > fn.params.length) {
    const range = fn.required === fn.params.length ? `${fn.required}` : `${fn.required} to ${fn.params.length}`;
    throw typeError(`${name}() takes ${range} arguments, got ${args.length}`);
  }
  return fn.call(args, ctx);
}
