import { isMap, type Value, type ValueMap } from '../values.ts';
import { compileAssign, isIdentifier } from './compile-assign.ts';
import { compileRetry } from './compile-retry.ts';
import { compileStep, compileStepList } from './compile-steps.ts';
import type { LoadContext, Where } from './load-context.ts';
import type { Step, StepList, SwitchCase } from './program.ts';
import { compileTemplate } from './template.ts';

type Base = { name: string; line: number; column: number; next?: string };
const caseKeys = ['condition', 'next', 'steps', 'assign', 'return', 'raise'];

/** `switch`: the first case whose condition is true runs; none true falls through. */
export function compileSwitch(raw: Value, ctx: LoadContext, where: Where, names: Set<string>): SwitchCase[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    ctx.problem(where, '"switch" must be a non-empty list of conditions');
    return [];
  }
  const cases: SwitchCase[] = [];
  for (const entry of raw) {
    if (!isMap(entry) || entry['condition'] === undefined) {
      ctx.problem(where, 'each switch entry needs a "condition"');
      continue;
    }
    for (const key of Object.keys(entry)) {
      if (!caseKeys.includes(key)) ctx.problem(where, `unsupported key "${key}" in a switch condition`);
    }
    cases.push(compileCase(entry, ctx, { ...where, node: entry }, names));
  }
  return cases;
}

function compileCase(entry: ValueMap, ctx: LoadContext, where: Where, names: Set<string>): SwitchCase {
  const result: SwitchCase = { condition: compileTemplate(entry['condition'] ?? null, ctx, where) };
  const next = entry['next'];
  if (next !== undefined) {
    if (typeof next === 'string') result.next = next;
    else ctx.problem(where, '"next" must be a step name');
  }
  if (entry['assign'] !== undefined) result.assign = compileAssign(entry['assign'], ctx, where);
  if (entry['steps'] !== undefined) result.steps = compileStepList(entry['steps'], ctx, names, where.step);
  if (entry['return'] !== undefined) result.return = compileTemplate(entry['return'], ctx, where);
  if (entry['raise'] !== undefined) result.raise = compileTemplate(entry['raise'], ctx, where);
  return result;
}

/** `for` over a list (`in`) or an inclusive numeric `range`, with optional `index`. */
export function compileFor(base: Base, raw: Value, ctx: LoadContext, names: Set<string>): Step | undefined {
  const where = { step: base.name, node: raw };
  if (!isMap(raw)) {
    ctx.problem(where, '"for" must be a map');
    return undefined;
  }
  for (const key of Object.keys(raw)) {
    if (!['value', 'index', 'in', 'range', 'steps'].includes(key)) ctx.problem(where, `unsupported key "${key}" in a for loop`);
  }
  const value = raw['value'];
  const index = raw['index'];
  if (!isIdentifier(value)) ctx.problem(where, 'a for loop needs "value", a variable name');
  if (index !== undefined && !isIdentifier(index)) ctx.problem(where, '"index" must be a variable name');
  if ((raw['in'] === undefined) === (raw['range'] === undefined)) ctx.problem(where, 'a for loop needs exactly one of "in" and "range"');
  const body = compileStepList(raw['steps'] ?? null, ctx, names, base.name);
  if (!isIdentifier(value)) return undefined;
  const step: Step = { ...base, kind: 'for', value, body };
  if (isIdentifier(index)) step.index = index;
  if (raw['in'] !== undefined) step.in = compileTemplate(raw['in'], ctx, where);
  if (raw['range'] !== undefined) step.range = compileTemplate(raw['range'], ctx, where);
  return step;
}

/** `try` with an optional `retry` policy and an optional `except`. */
export function compileTry(base: Base, body: ValueMap, ctx: LoadContext, names: Set<string>): Step | undefined {
  const where = { step: base.name, node: body };
  const tryBody = compileTryBody(base.name, body['try'] ?? null, ctx, names);
  const step: Step = { ...base, kind: 'try', body: tryBody };
  if (body['retry'] !== undefined) {
    const retry = compileRetry(body['retry'], ctx, where);
    if (retry) step.retry = retry;
  }
  const except = body['except'];
  if (except !== undefined) {
    if (!isMap(except) || except['steps'] === undefined) {
      ctx.problem(where, '"except" must be a map with "steps" (and optionally "as")');
    } else {
      for (const key of Object.keys(except)) if (key !== 'as' && key !== 'steps') ctx.problem(where, `unsupported key "${key}" in except`);
      if (except['as'] !== undefined && !isIdentifier(except['as'])) ctx.problem(where, '"as" must be a variable name');
      const as = isIdentifier(except['as']) ? { as: except['as'] } : {};
      step.except = { ...as, body: compileStepList(except['steps'], ctx, names, base.name) };
    }
  }
  if (!step.retry && !step.except) ctx.problem(where, '"try" needs "retry" or "except"');
  return step;
}

/** The `try` body is either `{steps: [...]}` or the body of one step, run under the try's name. */
function compileTryBody(name: string, raw: Value, ctx: LoadContext, names: Set<string>): StepList {
  if (isMap(raw) && Object.keys(raw).length === 1 && raw['steps'] !== undefined) {
    return compileStepList(raw['steps'], ctx, names, name);
  }
  const step = compileStep(name, raw, ctx, names);
  return step ? { steps: [step], index: new Map([[name, 0]]) } : { steps: [], index: new Map() };
}
