import { taggedError, typeError, WorkflowError } from '../errors.ts';
import type { Routine, Step } from '../loader/program.ts';
import { evaluateTemplate } from '../loader/template.ts';
import { callStdlib, stdlib } from '../stdlib/registry.ts';
import { newMap, type Value } from '../values.ts';
import { callBuiltin } from './builtins.ts';
import { normal, type Flow } from './flow.ts';
import { Frame } from './frame.ts';
import type { Interpreting } from './interpreting.ts';
import { runList } from './run-steps.ts';
import { limits, type ExecutionRuntime } from './runtime.ts';

type CallStep = Extract<Step, { kind: 'call' }>;

/** A `call` step: evaluates `args`, calls, stores the value in `result`. */
export function* runCall(step: CallStep, frame: Frame, rt: ExecutionRuntime): Interpreting<Flow> {
  const args = new Map(step.args.map(([name, template]) => [name, evaluateTemplate(template, frame)] as const));
  let value: Value;
  switch (step.call.type) {
    case 'builtin': {
      const called = callBuiltin(step.call.name, newMap(args), rt);
      value = called instanceof Promise ? ((yield called) as Value) : called;
      break;
    }
    case 'stdlib':
      value = callStdlib(step.call.name, positional(step.call.name, args), rt.stdlib);
      break;
    case 'subworkflow': {
      const routine = rt.program.routines.get(step.call.name);
      if (!routine) throw typeError(`unknown subworkflow ${step.call.name}`);
      value = yield* callRoutine(routine, args, rt);
      break;
    }
  }
  if (step.result !== undefined) frame.set(step.result, value);
  return normal;
}

/** Named call arguments in the function's parameter order; trailing ones not given are left out. */
function positional(name: string, args: ReadonlyMap<string, Value>): Value[] {
  const params = stdlib.get(name)?.params ?? [];
  const values = params.map((param) => args.get(param) ?? null);
  while (values.length > 0 && values.at(-1) === null && !args.has(params[values.length - 1] as string)) values.pop();
  return values;
}

/**
 * Runs a routine in a fresh frame. Arguments come by name (call steps) or by position (the
 * execution argument, retry predicates); missing ones take their defaults. `next: end` or running
 * off the end returns null. An error leaving the routine records where it came from.
 */
export function* callRoutine(routine: Routine, args: ReadonlyMap<string, Value> | Value[], rt: ExecutionRuntime): Interpreting<Value> {
  if (rt.depth >= limits.callDepth) throw taggedError('RecursionError', `subworkflow calls nested deeper than ${limits.callDepth}`);
  const frame = new Frame(routine.name, rt);
  rt.depth++;
  try {
    bindParams(routine, args, frame);
    const flow = yield* runList(routine.body, frame, rt);
    return flow.k === 'return' ? flow.value : null;
  } catch (error) {
    if (error instanceof WorkflowError) {
      const at = frame.currentStep;
      error.trace.push({ step: at.name, routine: routine.name, line: at.line, column: at.column });
    }
    throw error;
  } finally {
    rt.depth--;
    frame.release();
  }
}

function bindParams(routine: Routine, args: ReadonlyMap<string, Value> | Value[], frame: Frame): void {
  routine.params.forEach((param, position) => {
    const given = Array.isArray(args) ? args[position] : args.get(param.name);
    if (given !== undefined) frame.set(param.name, given);
    else if (param.default) frame.set(param.name, evaluateTemplate(param.default, frame));
    else if (routine.name === 'main') frame.set(param.name, null);
    else throw typeError(`${routine.name}: missing argument "${param.name}"`);
  });
}
