import { indexError, keyError, typeError } from '../errors.ts';
import { hasKey, isMap, typeName, type Value } from '../values.ts';
import type { Expr } from './ast.ts';
import { applyBinary, applyUnary, requireBoolean } from './operators.ts';

/** What an expression can see: variables, and the functions it may call. */
export interface EvalEnv {
  /** Throws a KeyError when the variable is not defined. */
  lookup(name: string): Value;
  callFunction(name: string, args: Value[]): Value;
}

export function evaluate(expr: Expr, env: EvalEnv): Value {
  switch (expr.k) {
    case 'literal':
      return expr.value;
    case 'var':
      return env.lookup(expr.name);
    case 'member':
      return readKey(evaluate(expr.object, env), expr.name);
    case 'index':
      return readIndex(evaluate(expr.object, env), evaluate(expr.index, env));
    case 'call':
      return env.callFunction(
        expr.name,
        expr.args.map((arg) => evaluate(arg, env)),
      );
    case 'list':
      return expr.items.map((item) => evaluate(item, env));
    case 'unary':
      return applyUnary(expr.op, evaluate(expr.operand, env));
    case 'binary':
      return evaluateBinary(expr, env);
  }
}

function evaluateBinary(expr: Extract<Expr, { k: 'binary' }>, env: EvalEnv): Value {
  const left = evaluate(expr.left, env);
  const right = evaluate(expr.right, env);
  // Both sides are always evaluated: Google documents no short-circuit for `and`/`or`
  // (https://cloud.google.com/workflows/docs/reference/syntax/expressions), so a workflow that
  // needs `x != null and x.y` to stop early fails here first, not on its first deploy.
  if (expr.op === 'and' || expr.op === 'or') {
    const [a, b] = [requireBoolean(expr.op, left), requireBoolean(expr.op, right)];
    return expr.op === 'and' ? a && b : a || b;
  }
  return applyBinary(expr.op, left, right);
}

export function readKey(container: Value, key: string): Value {
  if (!isMap(container)) throw typeError(`cannot read key "${key}" of a '${typeName(container)}'`);
  if (!hasKey(container, key)) throw keyError(`key not found: ${key}`);
  return container[key] as Value;
}

export function readIndex(container: Value, index: Value): Value {
  if (isMap(container)) {
    if (typeof index !== 'string') throw typeError(`map keys are strings, not '${typeName(index)}'`);
    return readKey(container, index);
  }
  if (Array.isArray(container)) return container[checkIndex(container, index)] as Value;
  throw typeError(`cannot index a '${typeName(container)}'`);
}

export function checkIndex(list: Value[], index: Value): number {
  if (typeof index !== 'number') throw typeError(`list indices must be integers, not '${typeName(index)}'`);
  if (index < 0 || index >= list.length) throw indexError(`list index ${index} out of range (length ${list.length})`);
  return index;
}
