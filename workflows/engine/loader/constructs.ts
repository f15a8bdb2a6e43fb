import { calledFunctions, forEachNode, type Expr } from '../expr/ast.ts';
import type { Program, Step, StepList, Template } from './program.ts';

/** What a loaded workflow uses: step kinds, call targets, and the functions and operators of its expressions. */
export interface Constructs {
  readonly steps: Set<string>;
  readonly calls: Set<string>;
  readonly functions: Set<string>;
  readonly operators: Set<string>;
}

/** Every construct a program uses, so a test can hold each one against the documentation. */
export function constructsOf(program: Program): Constructs {
  const found: Constructs = { steps: new Set(), calls: new Set(), functions: new Set(), operators: new Set() };
  for (const routine of program.routines.values()) {
    if (routine.name !== 'main') found.steps.add('subworkflow');
    for (const param of routine.params) if (param.default) templateFunctions(param.default, found);
    listConstructs(routine.body, found);
  }
  return found;
}

function listConstructs(list: StepList, found: Constructs): void {
  for (const step of list.steps) stepConstructs(step, found);
}

function stepConstructs(step: Step, found: Constructs): void {
  found.steps.add(step.kind);
  if (step.next !== undefined) found.steps.add('next');
  const templates = (items: Array<Template | undefined>): void => {
    for (const item of items) if (item) templateFunctions(item, found);
  };
  switch (step.kind) {
    case 'assign':
      return templates(step.assign.map((assignment) => assignment.value));
    case 'call':
      found.calls.add(step.call.type === 'subworkflow' ? 'subworkflow' : step.call.name);
      return templates(step.args.map(([, value]) => value));
    case 'switch':
      for (const branch of step.cases) {
        templates([branch.condition, branch.return, branch.raise, ...(branch.assign ?? []).map((assignment) => assignment.value)]);
        if (branch.next !== undefined) found.steps.add('next');
        if (branch.steps) listConstructs(branch.steps, found);
      }
      return;
    case 'for':
      templates([step.in, step.range]);
      return listConstructs(step.body, found);
    case 'steps':
      return listConstructs(step.body, found);
    case 'try':
      listConstructs(step.body, found);
      if (step.retry) found.steps.add(step.retry.predicate.type === 'builtin' ? `retry ${step.retry.predicate.name}` : 'retry predicate subworkflow');
      if (step.except) {
        found.steps.add('except');
        listConstructs(step.except.body, found);
      }
      return;
    case 'raise':
    case 'return':
      return templates([step.value]);
    default:
      return;
  }
}

function templateFunctions(template: Template, found: Constructs): void {
  switch (template.t) {
    case 'expr':
      for (const name of calledFunctions(template.expr)) found.functions.add(name);
      operatorsOf(template.expr, found.operators);
      return;
    case 'list':
      for (const item of template.items) templateFunctions(item, found);
      return;
    case 'map':
      for (const [, item] of template.entries) templateFunctions(item, found);
      return;
    default:
      return;
  }
}

/** The operators an expression uses, named as the conformance table names them. */
function operatorsOf(expr: Expr, out: Set<string>): void {
  forEachNode(expr, (node) => {
    if (node.k === 'binary') out.add(node.op);
    else if (node.k === 'unary') out.add(node.op === '-' ? 'unary -' : node.op);
    else if (node.k === 'member') out.add('.');
    else if (node.k === 'index') out.add('[]');
    else if (node.k === 'list') out.add('list literal');
  });
}
