import { typeError } from '../errors.ts';
import type { Step } from '../loader/program.ts';
import { evaluateTemplate } from '../loader/template.ts';
import { Double, isNumber, numberOf, typeName, type Value } from '../values.ts';
import { normal, type Flow } from './flow.ts';
import type { Frame } from './frame.ts';
import type { Interpreting } from './interpreting.ts';
import { runList } from './run-steps.ts';
import type { ExecutionRuntime } from './runtime.ts';

type ForStep = Extract<Step, { kind: 'for' }>;

/**
 * `for` over a list or an inclusive range. The loop's locals (its loop variables and what its
 * body creates, as the loader's scope check found them) do not outlive it; variables of the
 * routine keep their changes.
 */
export function* runFor(step: ForStep, frame: Frame, rt: ExecutionRuntime): Interpreting<Flow> {
  const items = iterationOf(step, frame);
  const before = new Set(frame.names());
  const saved = [step.value, step.index].filter((name): name is string => name !== undefined && before.has(name)).map((name) => [name, frame.lookup(name)] as const);
  try {
    let index = 0;
    for (const item of items) {
      frame.set(step.value, item);
      if (step.index !== undefined) frame.set(step.index, index);
      index++;
      const flow = yield* runList(step.body, frame, rt);
      if (flow.k === 'break') break;
      if (flow.k !== 'normal' && flow.k !== 'continue') return flow;
    }
    return normal;
  } finally {
    for (const name of step.locals ?? []) frame.delete(name);
    for (const [name, value] of saved) frame.set(name, value);
  }
}

function iterationOf(step: ForStep, frame: Frame): Iterable<Value> {
  if (step.in) {
    const list = evaluateTemplate(step.in, frame);
    if (!Array.isArray(list)) throw typeError(`for: "in" must be a list, not '${typeName(list)}'`);
    return list;
  }
  const range = evaluateTemplate(step.range ?? { t: 'const', value: null }, frame);
  if (!Array.isArray(range) || range.length !== 2 || !range.every(isNumber)) {
    throw typeError('for: "range" must be a list of two numbers [start, end]');
  }
  const [start, end] = range as [number | Double, number | Double];
  return rangeValues(start, end);
}

function* rangeValues(start: number | Double, end: number | Double): Generator<Value> {
  const isDouble = start instanceof Double || end instanceof Double;
  for (let value = numberOf(start); value <= numberOf(end); value++) yield isDouble ? new Double(value) : value;
}
