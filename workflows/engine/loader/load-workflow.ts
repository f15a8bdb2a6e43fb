import { WorkflowLoadError } from '../errors.ts';
import { isMap, type Value } from '../values.ts';
import { checkJumps } from './check-jumps.ts';
import { checkScopes } from './check-scopes.ts';
import { isIdentifier } from './compile-assign.ts';
import { compileStepList } from './compile-steps.ts';
import { LoadContext } from './load-context.ts';
import type { Param, Program, Routine } from './program.ts';
import { compileTemplate } from './template.ts';
import { parseWorkflowSource } from './yaml-source.ts';

/**
 * Loads a workflow source (YAML or JSON) into a `Program`, or throws a `WorkflowLoadError` naming
 * the file, the step and the construct of every problem: syntax errors, constructs outside the
 * supported subset, unknown calls and functions, jumps to nowhere.
 */
export function loadWorkflow(source: string, fileName: string): Program {
  const parsed = parseWorkflowSource(source);
  if (parsed.errors.length > 0) throw new WorkflowLoadError(parsed.errors.map((e) => `${fileName}: ${e}`));
  const ctx = new LoadContext(fileName, parsed.positionOf);
  const raws = routinesOf(parsed.root, ctx);
  for (const [name, raw] of raws) ctx.routineParams.set(name, paramNames(raw['params'] ?? null));
  const routines = new Map<string, Routine>();
  for (const [name, raw] of raws) {
    const routine = compileRoutine(name, raw, ctx);
    checkJumps(routine.body, ctx);
    checkScopes(routine, ctx);
    routines.set(name, routine);
  }
  if (ctx.problems.length > 0) throw new WorkflowLoadError(ctx.problems);
  return { fileName, routines };
}

type RawRoutine = Record<string, Value>;

function routinesOf(root: Value, ctx: LoadContext): Array<[string, RawRoutine]> {
  if (Array.isArray(root)) return [['main', { steps: root }]];
  if (!isMap(root)) {
    ctx.problem({ node: root }, 'a workflow is a list of steps or a map of subworkflows with "main"');
    return [];
  }
  if (root['main'] === undefined) ctx.problem({ node: root }, 'a workflow with subworkflows needs "main"');
  const routines: Array<[string, RawRoutine]> = [];
  for (const name of Object.keys(root)) {
    const raw = root[name] as Value;
    if (!isMap(raw)) {
      ctx.problem({ node: root }, `subworkflow "${name}" must be a map with "steps"`);
      continue;
    }
    for (const key of Object.keys(raw)) {
      if (key !== 'params' && key !== 'steps') ctx.problem({ node: raw }, `subworkflow "${name}": unsupported key "${key}"`);
    }
    routines.push([name, raw]);
  }
  return routines;
}

function paramNames(raw: Value): { all: string[]; required: string[] } {
  const all: string[] = [];
  const required: string[] = [];
  for (const entry of Array.isArray(raw) ? raw : []) {
    if (typeof entry === 'string') {
      all.push(entry);
      required.push(entry);
    } else if (isMap(entry)) {
      all.push(...Object.keys(entry));
    }
  }
  return { all, required };
}

function compileRoutine(name: string, raw: RawRoutine, ctx: LoadContext): Routine {
  const params = compileParams(name, raw['params'] ?? null, ctx);
  if (name === 'main' && params.length > 1) ctx.problem({ node: raw }, 'main takes at most one parameter, the execution argument');
  const body = compileStepList(raw['steps'] ?? null, ctx, new Set(), undefined);
  return { name, params, body };
}

/** `params: [a, b: 5]`: a bare name is required, a single-key map gives a default. */
function compileParams(routine: string, raw: Value, ctx: LoadContext): Param[] {
  if (raw === null) return [];
  if (!Array.isArray(raw)) {
    ctx.problem({ node: raw }, `subworkflow "${routine}": "params" must be a list`);
    return [];
  }
  const params: Param[] = [];
  for (const entry of raw) {
    const key = isMap(entry) ? Object.keys(entry) : [];
    if (isIdentifier(entry)) {
      params.push({ name: entry });
    } else if (isMap(entry) && key.length === 1 && isIdentifier(key[0])) {
      params.push({ name: key[0], default: compileTemplate(entry[key[0]] as Value, ctx, { node: raw }) });
    } else {
      ctx.problem({ node: raw }, `subworkflow "${routine}": invalid parameter ${JSON.stringify(entry)}`);
    }
  }
  return params;
}
