import { dottedName } from '../expr/ast.ts';
import { retryPolicyNames, retryPredicateNames } from '../stdlib/registry.ts';
import { Double, isMap, type Value } from '../values.ts';
import type { LoadContext, Where } from './load-context.ts';
import type { PredicateRef, RetrySpec, Template } from './program.ts';
import { compileExpression, compileTemplate, isExpression } from './template.ts';

// retry.default_backoff: 1 s initial delay, 60 s maximum, multiplier 1.25; the HTTP policies use
// it with max_retries 5.
const defaultBackoff = { initialDelay: 1, maxDelay: 60, multiplier: 1.25 };
const constant = (value: Value): Template => ({ t: 'const', value });

/** `retry: ${http.default_retry}` or `{predicate, max_retries, backoff}`. */
export function compileRetry(raw: Value, ctx: LoadContext, where: Where): RetrySpec | undefined {
  if (typeof raw === 'string') return compilePolicyName(raw, ctx, where);
  if (!isMap(raw)) {
    ctx.problem(where, '"retry" must be a policy expression or a map');
    return undefined;
  }
  for (const key of Object.keys(raw)) {
    if (!['predicate', 'max_retries', 'backoff'].includes(key)) ctx.problem(where, `unsupported key "${key}" in retry`);
  }
  if (raw['max_retries'] === undefined) ctx.problem(where, 'a retry policy needs "max_retries"');
  const predicate = compilePredicate(raw['predicate'] ?? null, ctx, where);
  if (!predicate) return undefined;
  return {
    predicate,
    maxRetries: compileTemplate(raw['max_retries'] ?? 0, ctx, where),
    ...compileBackoff(raw['backoff'] ?? null, ctx, where),
  };
}

function referencedName(raw: Value, ctx: LoadContext, where: Where): string | undefined {
  if (typeof raw !== 'string' || !isExpression(raw)) return undefined;
  const expr = compileExpression(raw, ctx, where);
  return expr ? dottedName(expr)?.join('.') : undefined;
}

function compilePolicyName(raw: string, ctx: LoadContext, where: Where): RetrySpec | undefined {
  const name = referencedName(raw, ctx, where);
  if (name !== undefined && retryPolicyNames.has(name)) {
    const predicate = name === 'http.default_retry' ? 'http.default_retry_predicate' : 'http.default_retry_predicate_non_idempotent';
    return { predicate: { type: 'builtin', name: predicate }, maxRetries: constant(5), ...defaults() };
  }
  const hint = name !== undefined && retryPredicateNames.has(name) ? `; "${name}" is a predicate: use predicate: \${${name}} with max_retries` : '';
  ctx.problem(where, `unsupported retry policy ${JSON.stringify(raw)}${hint}`);
  return undefined;
}

function compilePredicate(raw: Value, ctx: LoadContext, where: Where): PredicateRef | undefined {
  const name = referencedName(raw, ctx, where);
  if (name !== undefined && retryPredicateNames.has(name)) return { type: 'builtin', name };
  if (name !== undefined && ctx.routineParams.has(name)) {
    if (ctx.routineParams.get(name)?.all.length !== 1) ctx.problem(where, `retry predicate "${name}" must take exactly one parameter`);
    return { type: 'subworkflow', name };
  }
  ctx.problem(where, `unsupported retry predicate ${JSON.stringify(raw)}: name a subworkflow or a built-in predicate as \${name}`);
  return undefined;
}

function defaults(): Pick<RetrySpec, 'initialDelay' | 'maxDelay' | 'multiplier'> {
  return {
    initialDelay: constant(defaultBackoff.initialDelay),
    maxDelay: constant(defaultBackoff.maxDelay),
    multiplier: constant(new Double(defaultBackoff.multiplier)),
  };
}

function compileBackoff(raw: Value, ctx: LoadContext, where: Where): Pick<RetrySpec, 'initialDelay' | 'maxDelay' | 'multiplier'> {
  if (raw === null) return defaults();
  if (typeof raw === 'string' && referencedName(raw, ctx, where) === 'retry.default_backoff') return defaults();
  if (!isMap(raw)) {
    ctx.problem(where, '"backoff" must be a map with initial_delay, max_delay and multiplier');
    return defaults();
  }
  for (const key of Object.keys(raw)) {
    if (!['initial_delay', 'max_delay', 'multiplier'].includes(key)) ctx.problem(where, `unsupported key "${key}" in backoff`);
  }
  const base = defaults();
  return {
    initialDelay: raw['initial_delay'] === undefined ? base.initialDelay : compileTemplate(raw['initial_delay'], ctx, where),
    maxDelay: raw['max_delay'] === undefined ? base.maxDelay : compileTemplate(raw['max_delay'], ctx, where),
    multiplier: raw['multiplier'] === undefined ? base.multiplier : compileTemplate(raw['multiplier'], ctx, where),
  };
}
