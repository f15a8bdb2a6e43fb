import { callOnlyFunctions, paramsOfCallOnly, stdlib } from '../stdlib/registry.ts';
import { isMap, type Value, type ValueMap } from '../values.ts';
import { isIdentifier } from './compile-assign.ts';
import type { LoadContext, Where } from './load-context.ts';
import type { CallTarget, Step, Template } from './program.ts';
import { compileTemplate } from './template.ts';

type Base = { name: string; line: number; column: number; next?: string };

// Arguments without which the call cannot run; Workflows rejects these at deploy time too.
const requiredArgs: Record<string, readonly string[]> = {
  'http.request': ['url', 'method'],
  'sys.sleep': ['seconds'],
  'events.await_callback': ['callback'],
};

/** A `call` step: a built-in (HTTP, sleep, callbacks), a standard-library function or a subworkflow. */
export function compileCall(base: Base, body: ValueMap, ctx: LoadContext): Step | undefined {
  const where = { step: base.name, node: body };
  const name = body['call'];
  if (typeof name !== 'string') {
    ctx.problem(where, '"call" must name a function or subworkflow');
    return undefined;
  }
  const target = targetOf(name);
  if (!target) {
    ctx.problem(where, `unsupported call "${name}"`);
    return undefined;
  }
  const rawArgs = body['args'] ?? null;
  if (rawArgs !== null && !isMap(rawArgs)) ctx.problem(where, '"args" must be a map');
  const args = isMap(rawArgs) ? rawArgs : {};
  checkArgs(target, Object.keys(args), ctx, where);
  const result = body['result'];
  if (result !== undefined && !isIdentifier(result)) ctx.problem(where, '"result" must be a variable name');
  const compiled = Object.keys(args).map((key): [string, Template] => [key, compileTemplate(args[key] as Value, ctx, where)]);
  return { ...base, kind: 'call', call: target, args: compiled, ...(isIdentifier(result) ? { result } : {}) };

  function targetOf(fn: string): CallTarget | undefined {
    if (callOnlyFunctions.has(fn)) return { type: 'builtin', name: fn };
    if (ctx.routineParams.has(fn)) return { type: 'subworkflow', name: fn };
    if (stdlib.has(fn)) return { type: 'stdlib', name: fn };
    return undefined;
  }
}

function checkArgs(target: CallTarget, given: string[], ctx: LoadContext, where: Where): void {
  let known: readonly string[];
  let required: readonly string[];
  if (target.type === 'subworkflow') {
    const params = ctx.routineParams.get(target.name) ?? { all: [], required: [] };
    known = params.all;
    required = params.required;
  } else if (target.type === 'builtin') {
    known = paramsOfCallOnly(target.name);
    required = requiredArgs[target.name] ?? (target.name.startsWith('http.') ? ['url'] : []);
  } else {
    const fn = stdlib.get(target.name);
    known = fn?.params ?? [];
    required = known.slice(0, fn?.required ?? 0);
  }
  for (const arg of given) {
    if (!known.includes(arg)) ctx.problem(where, `unsupported argument "${arg}" for "${target.name}"`);
  }
  for (const arg of required) {
    if (!given.includes(arg)) ctx.problem(where, `missing argument "${arg}" for "${target.name}"`);
  }
}
