import { calledFunctions, type Expr } from '../expr/ast.ts';
import { parseExpression } from '../expr/parser.ts';
import { ExpressionSyntaxError } from '../expr/tokenizer.ts';
import { isMap, type Value } from '../values.ts';
import type { LoadContext, Where } from './load-context.ts';
import type { AssignTarget, Assignment } from './program.ts';
import { checkFunction, compileTemplate } from './template.ts';

// Workflows allows at most 50 assignments in one step.
const maxAssignments = 50;

/** `assign: [ {target: value}, ... ]`, evaluated in order, each seeing the ones before. */
export function compileAssign(raw: Value, ctx: LoadContext, where: Where): Assignment[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    ctx.problem(where, '"assign" must be a non-empty list of single-key maps');
    return [];
  }
  if (raw.length > maxAssignments) ctx.problem(where, `an assign step holds at most ${maxAssignments} assignments`);
  const assignments: Assignment[] = [];
  for (const entry of raw) {
    const keys = isMap(entry) ? Object.keys(entry) : [];
    const key = keys[0];
    if (!isMap(entry) || keys.length !== 1 || key === undefined) {
      ctx.problem(where, 'each assignment must be a map with exactly one key');
      continue;
    }
    const target = compileAssignTarget(key, ctx, where);
    if (target) assignments.push({ target, value: compileTemplate(entry[key] as Value, ctx, where) });
  }
  return assignments;
}

export function compileAssignTarget(source: string, ctx: LoadContext, where: Where): AssignTarget | undefined {
  let expr: Expr;
  try {
    expr = parseExpression(source);
  } catch (error) {
    if (!(error instanceof ExpressionSyntaxError)) throw error;
    ctx.problem(where, `invalid assignment target "${source}": ${error.message}`);
    return undefined;
  }
  const path: AssignTarget['path'] = [];
  let node = expr;
  while (node.k === 'member' || node.k === 'index') {
    if (node.k === 'member') path.unshift({ key: node.name });
    else if (node.index.k === 'literal' && typeof node.index.value === 'string') path.unshift({ key: node.index.value });
    else {
      for (const name of calledFunctions(node.index)) checkFunction(name, ctx, where);
      path.unshift({ index: node.index });
    }
    node = node.object;
  }
  if (node.k !== 'var') {
    ctx.problem(where, `invalid assignment target "${source}": expected a variable, field or index`);
    return undefined;
  }
  return { root: node.name, path, source };
}

export function isIdentifier(value: Value | undefined): value is string {
  return typeof value === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(value);
}
