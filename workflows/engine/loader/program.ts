import type { Expr } from '../expr/ast.ts';
import type { Value } from '../values.ts';

/** A value written in the source: a constant, a `${...}` expression, or a list/map holding some. */
export type Template =
  | { t: 'const'; value: Value }
  | { t: 'expr'; expr: Expr; source: string }
  | { t: 'list'; items: Template[] }
  | { t: 'map'; entries: Array<[string, Template]> };

/** An assignment target: `name`, then fields and indices (`a.b`, `a["k"]`, `a[0]`). */
export interface AssignTarget {
  root: string;
  path: Array<{ key: string } | { index: Expr }>;
  source: string;
}

export interface Assignment {
  target: AssignTarget;
  value: Template;
}

/** A step list with its step names indexed, so `next` finds its target without a scan. */
export interface StepList {
  steps: Step[];
  index: ReadonlyMap<string, number>;
}

export type CallTarget =
  | { type: 'builtin'; name: string }
  | { type: 'stdlib'; name: string }
  | { type: 'subworkflow'; name: string };

export interface SwitchCase {
  condition: Template;
  assign?: Assignment[];
  steps?: StepList;
  return?: Template;
  raise?: Template;
  next?: string;
}

export type PredicateRef = { type: 'builtin'; name: string } | { type: 'subworkflow'; name: string };

export interface RetrySpec {
  predicate: PredicateRef;
  maxRetries: Template;
  initialDelay: Template;
  maxDelay: Template;
  multiplier: Template;
}

interface StepBase {
  name: string;
  line: number;
  column: number;
  next?: string;
}

export type Step = StepBase &
  (
    | { kind: 'assign'; assign: Assignment[] }
    | { kind: 'call'; call: CallTarget; args: Array<[string, Template]>; result?: string }
    | { kind: 'switch'; cases: SwitchCase[] }
    | { kind: 'for'; value: string; index?: string; in?: Template; range?: Template; body: StepList; locals?: readonly string[] }
    | { kind: 'steps'; body: StepList }
    | { kind: 'try'; body: StepList; retry?: RetrySpec; except?: { as?: string; body: StepList; locals?: readonly string[] } }
    | { kind: 'raise'; value: Template }
    | { kind: 'return'; value: Template }
    | { kind: 'next' }
  );

export interface Param {
  name: string;
  default?: Template;
}

export interface Routine {
  name: string;
  params: Param[];
  body: StepList;
}

/** A loaded workflow: every routine compiled, every construct checked against the subset. */
export interface Program {
  fileName: string;
  routines: ReadonlyMap<string, Routine>;
}
