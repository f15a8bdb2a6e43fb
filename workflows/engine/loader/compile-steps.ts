import { isMap, type Value, type ValueMap } from '../values.ts';
import { compileAssign } from './compile-assign.ts';
import { compileCall } from './compile-call.ts';
import { compileFor, compileSwitch, compileTry } from './compile-flow.ts';
import type { LoadContext } from './load-context.ts';
import type { Step, StepList } from './program.ts';
import { compileTemplate } from './template.ts';

type Kind = 'assign' | 'call' | 'switch' | 'for' | 'steps' | 'try' | 'raise' | 'return' | 'next';
const actionKeys = ['assign', 'call', 'switch', 'for', 'steps', 'try', 'raise', 'return', 'parallel'];
const keysOf: Record<Kind, readonly string[]> = {
  assign: ['assign', 'next'],
  call: ['call', 'args', 'result', 'next'],
  switch: ['switch', 'next'],
  for: ['for', 'next'],
  steps: ['steps', 'next'],
  try: ['try', 'retry', 'except', 'next'],
  raise: ['raise'],
  return: ['return'],
  next: ['next'],
};

/** Compiles `- name: {...}` entries; step names must be unique within their routine. */
export function compileStepList(raw: Value, ctx: LoadContext, names: Set<string>, parent?: string): StepList {
  const steps: Step[] = [];
  const index = new Map<string, number>();
  if (!Array.isArray(raw) || raw.length === 0) {
    ctx.problem({ ...(parent === undefined ? {} : { step: parent }), node: raw }, 'steps must be a non-empty list');
    return { steps, index };
  }
  for (const entry of raw) {
    const keys = isMap(entry) ? Object.keys(entry) : [];
    const name = keys[0];
    if (!isMap(entry) || keys.length !== 1 || name === undefined) {
      ctx.problem({ ...(parent === undefined ? {} : { step: parent }), node: entry }, 'each step must be a map with exactly one key, its name');
      continue;
    }
    if (names.has(name)) ctx.problem({ step: name, node: entry }, 'duplicate step name');
    names.add(name);
    const step = compileStep(name, entry[name] as Value, ctx, names, entry);
    if (step) {
      index.set(name, steps.length);
      steps.push(step);
    }
  }
  return { steps, index };
}

/** `at` is the `- name:` entry, whose line is the step's position; a try body has none of its own. */
export function compileStep(name: string, body: Value, ctx: LoadContext, names: Set<string>, at?: Value): Step | undefined {
  const where = { step: name, node: body };
  if (!isMap(body)) {
    ctx.problem(where, 'a step must be a map');
    return undefined;
  }
  const kind = kindOf(body, ctx, where);
  if (!kind) return undefined;
  for (const key of Object.keys(body)) {
    if (!keysOf[kind].includes(key)) ctx.problem(where, `unsupported key "${key}" in a ${kind} step`);
  }
  const position = ctx.position(at ?? body) ?? { line: 0, column: 0 };
  const base = { name, line: position.line, column: position.column, ...nextOf(body, ctx, where) };
  return compileKind(kind, base, body, ctx, names);
}

function kindOf(body: ValueMap, ctx: LoadContext, where: { step: string; node: Value }): Kind | undefined {
  const actions = Object.keys(body).filter((key) => actionKeys.includes(key));
  if (actions.includes('parallel')) {
    ctx.problem(where, 'unsupported construct "parallel"');
    return undefined;
  }
  if (actions.length > 1) {
    ctx.problem(where, `a step holds one action, found ${actions.map((a) => `"${a}"`).join(' and ')}`);
    return undefined;
  }
  const kind = (actions[0] ?? (Object.keys(body).includes('next') ? 'next' : undefined)) as Kind | undefined;
  if (!kind) ctx.problem(where, `unsupported step: no action among ${actionKeys.slice(0, -1).join(', ')} or next`);
  return kind;
}

function nextOf(body: ValueMap, ctx: LoadContext, where: { step: string; node: Value }): { next?: string } {
  const next = body['next'];
  if (next === undefined) return {};
  if (typeof next !== 'string') {
    ctx.problem(where, '"next" must be a step name');
    return {};
  }
  return { next };
}

type Base = { name: string; line: number; column: number; next?: string };

function compileKind(kind: Kind, base: Base, body: ValueMap, ctx: LoadContext, names: Set<string>): Step | undefined {
  const where = { step: base.name, node: body };
  switch (kind) {
    case 'assign':
      return { ...base, kind, assign: compileAssign(body['assign'] ?? null, ctx, where) };
    case 'call':
      return compileCall(base, body, ctx);
    case 'switch':
      return { ...base, kind, cases: compileSwitch(body['switch'] ?? null, ctx, where, names) };
    case 'for':
      return compileFor(base, body['for'] ?? null, ctx, names);
    case 'steps':
      return { ...base, kind, body: compileStepList(body['steps'] ?? null, ctx, names, base.name) };
    case 'try':
      return compileTry(base, body, ctx, names);
    case 'raise':
      return { ...base, kind, value: compileTemplate(body['raise'] ?? null, ctx, where) };
    case 'return':
      return { ...base, kind, value: compileTemplate(body['return'] ?? null, ctx, where) };
    case 'next':
      return { ...base, kind };
  }
}
