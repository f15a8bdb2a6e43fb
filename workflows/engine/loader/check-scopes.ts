import { variablesOf, type Expr } from '../expr/ast.ts';
import type { LoadContext } from './load-context.ts';
import type { Assignment, Routine, Step, StepList, Template } from './program.ts';

/**
 * Variable scopes as Cloud Workflows has them (Syntax reference → Variables → "Variable scope",
 * https://cloud.google.com/workflows/docs/reference/syntax/variables): a variable first created
 * inside a `for` body or an `except` block is local to it, and using it outside is an error
 * when the workflow is deployed; so is naming a variable that exists nowhere ("symbol 'x' not
 * found"). Scopes are textual: an assignment inside a loop to a name its routine creates anywhere
 * outside loops updates that name, wherever the two stand.
 *
 * Each `for` step and `except` block gets the list of its locals, which the runtime deletes when
 * it leaves them, so the engine forgets exactly what the service forgets.
 */
export function checkScopes(routine: Routine, ctx: LoadContext): void {
  const top: Scope = { names: new Set(routine.params.map((param) => param.name)), parent: null, owner: null };
  const scopes: Scopes = { ctx, inner: new Map() };
  for (const param of routine.params) if (param.default) checkTemplate(param.default, top, scopes, routine.name);
  declareList(routine.body, top, scopes);
  checkList(routine.body, top, scopes);
}

/** One routine's check: the scope of each `for` body and `except` block, and where to report. */
interface Scopes {
  readonly ctx: LoadContext;
  readonly inner: Map<StepList, Scope>;
}

interface Scope {
  readonly names: Set<string>;
  readonly parent: Scope | null;
  /** The step whose `for` body or `except` block this is; null for the routine. */
  readonly owner: string | null;
}

/** A `for` step or an `except` block: its locals are set once scopes are checked. */
interface ScopedLocals {
  locals?: readonly string[];
}

function visible(scope: Scope | null, name: string): boolean {
  for (let at = scope; at; at = at.parent) if (at.names.has(name)) return true;
  return false;
}

function declare(scope: Scope, name: string): void {
  if (!visible(scope.parent, name)) scope.names.add(name);
}

/** Names a step list creates in `scope`; nested loops and except blocks get scopes of their own. */
function declareList(list: StepList, scope: Scope, scopes: Scopes): void {
  const nested: Array<() => void> = [];
  const walk = (steps: StepList): void => {
    for (const step of steps.steps) declareStep(step, scope, walk, (holder, body, inner) => nested.push(() => settleInner(holder, body, inner, scopes)));
  };
  walk(list);
  // Inner scopes are settled after their whole enclosing scope, so a name the routine creates
  // further down is still the routine's, not a loop's.
  for (const settle of nested) settle();
}

type Defer = (holder: ScopedLocals, body: StepList, inner: Scope) => void;

function declareStep(step: Step, scope: Scope, walk: (list: StepList) => void, defer: Defer): void {
  const declareAssignments = (assignments: Assignment[]): void => {
    for (const { target } of assignments) if (target.path.length === 0) declare(scope, target.root);
  };
  switch (step.kind) {
    case 'assign':
      declareAssignments(step.assign);
      break;
    case 'call':
      if (step.result !== undefined) declare(scope, step.result);
      break;
    case 'steps':
      walk(step.body);
      break;
    case 'switch':
      for (const branch of step.cases) {
        if (branch.assign) declareAssignments(branch.assign);
        if (branch.steps) walk(branch.steps);
      }
      break;
    case 'for': {
      const inner: Scope = { names: new Set([step.value, ...(step.index === undefined ? [] : [step.index])]), parent: scope, owner: step.name };
      defer(step, step.body, inner);
      break;
    }
    case 'try': {
      walk(step.body);
      const except = step.except;
      if (except) {
        const inner: Scope = { names: new Set(except.as === undefined ? [] : [except.as]), parent: scope, owner: step.name };
        defer(except, except.body, inner);
      }
      break;
    }
    default:
      break;
  }
}

function settleInner(holder: ScopedLocals, body: StepList, inner: Scope, scopes: Scopes): void {
  declareList(body, inner, scopes);
  holder.locals = [...inner.names];
  scopes.inner.set(body, inner);
}

function checkList(list: StepList, scope: Scope, scopes: Scopes): void {
  for (const step of list.steps) checkStep(step, scope, scopes);
}

function checkStep(step: Step, scope: Scope, scopes: Scopes): void {
  const check = (template: Template | undefined): void => {
    if (template) checkTemplate(template, scope, scopes, step.name);
  };
  const checkAssignments = (assignments: Assignment[]): void => {
    for (const { target, value } of assignments) {
      check(value);
      if (target.path.length > 0) checkName(target.root, scope, scopes, step.name);
      for (const part of target.path) if ('index' in part) checkExpr(part.index, scope, scopes, step.name);
    }
  };
  switch (step.kind) {
    case 'assign':
      return checkAssignments(step.assign);
    case 'call':
      for (const [, value] of step.args) check(value);
      return;
    case 'switch':
      for (const branch of step.cases) {
        check(branch.condition);
        if (branch.assign) checkAssignments(branch.assign);
        check(branch.return);
        check(branch.raise);
        if (branch.steps) checkList(branch.steps, scope, scopes);
      }
      return;
    case 'for':
      check(step.in);
      check(step.range);
      return checkList(step.body, scopes.inner.get(step.body) ?? scope, scopes);
    case 'steps':
      return checkList(step.body, scope, scopes);
    case 'try':
      checkList(step.body, scope, scopes);
      if (step.retry) for (const value of [step.retry.maxRetries, step.retry.initialDelay, step.retry.maxDelay, step.retry.multiplier]) check(value);
      if (step.except) checkList(step.except.body, scopes.inner.get(step.except.body) ?? scope, scopes);
      return;
    case 'raise':
    case 'return':
      return check(step.value);
    default:
      return;
  }
}

function checkTemplate(template: Template, scope: Scope, scopes: Scopes, step: string): void {
  switch (template.t) {
    case 'const':
      return;
    case 'expr':
      return checkExpr(template.expr, scope, scopes, step);
    case 'list':
      for (const item of template.items) checkTemplate(item, scope, scopes, step);
      return;
    case 'map':
      for (const [, item] of template.entries) checkTemplate(item, scope, scopes, step);
  }
}

function checkExpr(expr: Expr, scope: Scope, scopes: Scopes, step: string): void {
  for (const name of variablesOf(expr)) checkName(name, scope, scopes, step);
}

function checkName(name: string, scope: Scope, scopes: Scopes, step: string): void {
  if (visible(scope, name)) return;
  // A hint when the name exists, but only inside a loop or except block this step is not in.
  const owners = [...scopes.inner.values()].filter((inner) => inner.names.has(name)).map((inner) => `"${inner.owner}"`);
  const hint = owners.length === 0 ? '' : ` here: it is local to the for loop or except block of step ${owners.join(', ')}`;
  scopes.ctx.problem({ step }, `symbol '${name}' not found${hint}`);
}
