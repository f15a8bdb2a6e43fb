import { calledFunctions, type Expr } from '../expr/ast.ts';
import { evaluate, type EvalEnv } from '../expr/evaluator.ts';
import { parseExpression } from '../expr/parser.ts';
import { ExpressionSyntaxError } from '../expr/tokenizer.ts';
import { callOnlyFunctions, stdlib } from '../stdlib/registry.ts';
import { isMap, newMap, type Value } from '../values.ts';
import type { LoadContext, Where } from './load-context.ts';
import type { Template } from './program.ts';

/** True when the whole string is one `${...}` expression, the only form Workflows evaluates. */
export function isExpression(text: string): boolean {
  return text.startsWith('${') && text.endsWith('}');
}

/** Parses one `${...}` string and checks the functions it calls; undefined after a problem. */
export function compileExpression(text: string, ctx: LoadContext, where: Where): Expr | undefined {
  const source = text.slice(2, -1);
  let expr: Expr;
  try {
    expr = parseExpression(source);
  } catch (error) {
    if (!(error instanceof ExpressionSyntaxError)) throw error;
    ctx.problem(where, `invalid expression ${text}: ${error.message}`);
    return undefined;
  }
  for (const name of calledFunctions(expr)) checkFunction(name, ctx, where);
  return expr;
}

export function checkFunction(name: string, ctx: LoadContext, where: Where): void {
  if (stdlib.has(name)) return;
  if (callOnlyFunctions.has(name)) {
    ctx.problem(where, `unsupported use of "${name}" in an expression: use a call step`);
  } else if (ctx.routineParams.has(name)) {
    ctx.problem(where, `unsupported subworkflow call "${name}" in an expression: use a call step`);
  } else {
    ctx.problem(where, `unsupported function "${name}"`);
  }
}

/** Compiles a source value; parts without expressions stay constants shared by all executions. */
export function compileTemplate(value: Value, ctx: LoadContext, where: Where): Template {
  if (typeof value === 'string') {
    if (isExpression(value)) {
      const expr = compileExpression(value, ctx, where);
      return expr ? { t: 'expr', expr, source: value } : { t: 'const', value: null };
    }
    if (value.includes('${')) {
      ctx.problem(where, `unsupported string interpolation ${JSON.stringify(value)}: an expression must be the whole value`);
    }
    return { t: 'const', value };
  }
  if (Array.isArray(value)) {
    const items = value.map((item) => compileTemplate(item, ctx, where));
    return items.every((item) => item.t === 'const') ? { t: 'const', value } : { t: 'list', items };
  }
  if (isMap(value)) {
    const entries = Object.keys(value).map((key): [string, Template] => [key, compileTemplate(value[key] as Value, ctx, where)]);
    return entries.every(([, item]) => item.t === 'const') ? { t: 'const', value } : { t: 'map', entries };
  }
  return { t: 'const', value };
}

export function evaluateTemplate(template: Template, env: EvalEnv): Value {
  switch (template.t) {
    case 'const':
      return template.value;
    case 'expr':
      return evaluate(template.expr, env);
    case 'list':
      return template.items.map((item) => evaluateTemplate(item, env));
    case 'map':
      return newMap(template.entries.map(([key, item]) => [key, evaluateTemplate(item, env)] as const));
  }
}
