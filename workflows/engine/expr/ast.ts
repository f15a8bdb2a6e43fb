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

/** Calls `visit` on every node of the expression, each before the nodes inside it. */
export function forEachNode(expr: Expr, visit: (node: Expr) => void): void {
  visit(expr);
  switch (expr.k) {
    case 'member':
      return forEachNode(expr.object, visit);
    case 'index':
      forEachNode(expr.object, visit);
      return forEachNode(expr.index, visit);
    case 'call':
      for (const arg of expr.args) forEachNode(arg, visit);
      return;
    case 'list':
      for (const item of expr.items) forEachNode(item, visit);
      return;
    case 'unary':
      return forEachNode(expr.operand, visit);
    case 'binary':
      forEachNode(expr.left, visit);
      return forEachNode(expr.right, visit);
    default:
      return;
  }
}

/** Every function name called anywhere in the expression, for load-time checks. */
export function calledFunctions(expr: Expr): string[] {
  const names: string[] = [];
  forEachNode(expr, (node) => {
    if (node.k === 'call') names.push(node.name);
  });
  return names;
}

/** Every variable an expression reads; function names are not variables. */
export function variablesOf(expr: Expr): string[] {
  const names: string[] = [];
  forEachNode(expr, (node) => {
    if (node.k === 'var') names.push(node.name);
  });
  return names;
}

/** `a.b.c` as ['a', 'b', 'c'], or undefined when the expression is not a plain dotted name. */
export function dottedName(expr: Expr): string[] | undefined {
  if (expr.k === 'var') return [expr.name];
  if (expr.k !== 'member') return undefined;
  const head = dottedName(expr.object);
  return head ? [...head, expr.name] : undefined;
}
