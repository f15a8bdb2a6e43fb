import { ExecutionCancelled, taggedError, typeError, WorkflowError } from '../errors.ts';
import type { Step, StepList, SwitchCase } from '../loader/program.ts';
import { evaluateTemplate } from '../loader/template.ts';
import { toJsonString, typeName } from '../values.ts';
import { assign } from './assign.ts';
import { runCall } from './call-routine.ts';
import { flowOfNext, normal, type Flow } from './flow.ts';
import type { Frame } from './frame.ts';
import { runFor } from './run-for.ts';
import type { Interpreting } from './interpreting.ts';
import { runTry } from './run-try.ts';
import { limits, type ExecutionRuntime } from './runtime.ts';

/**
 * Runs a step list from the top; a jump to a step of this list continues from there. Each step
 * is run here rather than in a generator of its own: one suspended level less per nesting.
 */
export function* runList(list: StepList, frame: Frame, rt: ExecutionRuntime): Interpreting<Flow> {
  let at = 0;
  while (at < list.steps.length) {
    const step = list.steps[at] as Step;
    const entryId = startStep(step, frame, rt);
    let flow: Flow;
    try {
      const running = execute(step, frame, rt);
      flow = 'k' in running ? running : yield* running;
    } catch (error) {
      failStep(entryId, error, rt);
      throw error;
    }
    flow = finishStep(step, entryId, flow, rt);
    if (flow.k === 'normal') {
      at++;
    } else if (flow.k === 'jump' && list.index.has(flow.target)) {
      at = list.index.get(flow.target) as number;
    } else {
      return flow;
    }
  }
  return normal;
}

// The v1 StepType of each kind of step; a call is typed by what it calls.
const stepTypes: Record<Step['kind'], string> = {
  assign: 'STEP_ASSIGN',
  call: 'STEP_CALL',
  switch: 'STEP_SWITCH',
  for: 'STEP_FOR',
  steps: 'STEP_TYPE_UNSPECIFIED',
  try: 'STEP_TRY',
  raise: 'STEP_RAISE',
  return: 'STEP_RETURN',
  next: 'STEP_GOTO',
};
const callTypes = { builtin: 'STEP_STD_LIB_CALL', stdlib: 'STEP_STD_LIB_CALL', subworkflow: 'STEP_SUBWORKFLOW_CALL' } as const;

function startStep(step: Step, frame: Frame, rt: ExecutionRuntime): number {
  if (rt.signal.aborted) throw new ExecutionCancelled();
  if (++rt.stepsRun > limits.steps) throw taggedError('ResourceLimitError', `more than ${limits.steps} steps run`);
  frame.currentStep = step;
  const type = step.kind === 'call' ? callTypes[step.call.type] : stepTypes[step.kind];
  return rt.history.start(step.name, frame.routine, type, rt.effects.stepTime());
}

function failStep(entryId: number, error: unknown, rt: ExecutionRuntime): void {
  const failed = error instanceof ExecutionCancelled ? 'STATE_CANCELLED' : 'STATE_FAILED';
  const payload = error instanceof WorkflowError ? toJsonString(error.payload) : undefined;
  rt.history.finish(entryId, failed, rt.effects.stepTime(), payload);
}

/** Records the step as succeeded; the flow it leaves with, its `next` applied. */
function finishStep(step: Step, entryId: number, flow: Flow, rt: ExecutionRuntime): Flow {
  rt.history.finish(entryId, 'STATE_SUCCEEDED', rt.effects.stepTime());
  return flow.k === 'normal' && step.next !== undefined ? flowOfNext(step.next) : flow;
}

// Not a generator itself: a synchronous step (assign, raise, return) gives its flow at once, the
// others their interpreter, so a waiting step adds one suspended level, not two.
function execute(step: Step, frame: Frame, rt: ExecutionRuntime): Flow | Interpreting<Flow> {
  switch (step.kind) {
    case 'assign':
      for (const a of step.assign) assign(frame, a.target, evaluateTemplate(a.value, frame));
      return normal;
    case 'call':
      return runCall(step, frame, rt);
    case 'switch':
      return runSwitch(step.cases, frame, rt);
    case 'for':
      return runFor(step, frame, rt);
    case 'steps':
      return runList(step.body, frame, rt);
    case 'try':
      return runTry(step, frame, rt);
    case 'raise':
      throw new WorkflowError(evaluateTemplate(step.value, frame));
    case 'return':
      return { k: 'return', value: evaluateTemplate(step.value, frame) };
    case 'next':
      return normal;
  }
}

/** The first case whose condition is true runs; when none is, the step falls through. */
function* runSwitch(cases: SwitchCase[], frame: Frame, rt: ExecutionRuntime): Interpreting<Flow> {
  for (const branch of cases) {
    const condition = evaluateTemplate(branch.condition, frame);
    if (typeof condition !== 'boolean') throw typeError(`switch condition must be a boolean, not '${typeName(condition)}'`);
    if (!condition) continue;
    for (const a of branch.assign ?? []) assign(frame, a.target, evaluateTemplate(a.value, frame));
    if (branch.steps) {
      const flow = yield* runList(branch.steps, frame, rt);
      if (flow.k !== 'normal') return flow;
    }
    if (branch.return) return { k: 'return', value: evaluateTemplate(branch.return, frame) };
    if (branch.raise) throw new WorkflowError(evaluateTemplate(branch.raise, frame));
    return branch.next === undefined ? normal : flowOfNext(branch.next);
  }
  return normal;
}
