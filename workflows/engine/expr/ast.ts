import type { Value } from '../values.ts';

export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'and' | 'or';

/** The parsed form of one `${...}` expression. */
export type Expr =
  | { k: 'literal'; value: Value }
  | { k: 'var'; name: string }
  | { k: 'member'; object: Expr; name: string }
  | { k: 'index'; object: Expr; index: Expr }
  | { k: 'call'; name: string; args: Expr[]; pos: number }
  | { k: 'list'; items: Expr[] }
  | { k: 'unary'; op: '-' | 'not'; operand: Expr }
  | { k: 'binary'; op: BinaryOp; left: Expr; right: Expr };

/** Every function name called anywhere in the expression, for load-time checks. */
export function calledFunctions(expr: Expr, out: string[] = []): string[] {
  switch (expr.k) {
    case 'call':
      out.push(expr.name);
      for (const arg of expr.args) calledFunctions(arg, out);
      break;
    case 'member':
      calledFunctions(expr.object, out);
      break;
    case 'index':
      calledFunctions(expr.object, out);
      calledFunctions(expr.index, out);
      break;
    case 'list':
      for (const item of expr.items) calledFunctions(item, out);
      break;
    case 'unary':
      calledFunctions(expr.operand, out);
      break;
    case 'binary':
      calledFunctions(expr.right, calledFunctions(expr.left, out));
      break;
    default:
      break;
  }
  return out;
}

/** `a.b.c` as ['a', 'b', 'c'], or undefined when the expression is not a plain dotted name. */
export function dottedName(expr: Expr): string[] | undefined {
  if (expr.k === 'var') return [expr.name];
  if (expr.k !== 'member') return undefined;
  const head = dottedName(expr.object);
  return head ? [...head, expr.name] : undefined;
}
