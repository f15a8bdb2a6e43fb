import { EngineStopped, ExecutionCancelled, WorkflowError } from './errors.ts';
import type { ExecutionRecord } from './execution-record.ts';
import type { Program } from './loader/program.ts';
import { callRoutine } from './runtime/call-routine.ts';
import type { Effects } from './runtime/effects.ts';
import type { ExecutionRuntime } from './runtime/runtime.ts';
import { newMap, toJson, toJsonString, type Value } from './values.ts';

export interface EngineLogEntry {
  severity: string;
  workflowId: string;
  executionId: string;
  /** What `sys.log` was given: its `text`, `json` or `data`, as JSON. */
  payload: unknown;
}

export interface RunDeps {
  effects: Effects;
  program: Program;
  env: (name: string) => string | undefined;
  callbackUrl: (callbackId: string) => string;
  onLog: ((entry: EngineLogEntry) => void) | undefined;
}

/** Runs `main` with the argument to its end and records the outcome; never rejects. */
export async function runExecution(record: ExecutionRecord, argument: Value, deps: RunDeps): Promise<void> {
  const rt: ExecutionRuntime = {
    program: deps.program,
    effects: deps.effects,
    signal: record.abort.signal,
    history: record.history,
    callbacks: record.callbacks,
    memory: { used: 0 },
    callbackUrl: deps.callbackUrl,
    depth: 0,
    stepsRun: 0,
    stdlib: {
      now: () => deps.effects.now(),
      getEnv: deps.env,
      log: (severity, payload) =>
        deps.onLog?.({ severity, workflowId: record.workflowId, executionId: record.id, payload: toJson(payload) }),
    },
  };
  const main = deps.program.routines.get('main');
  try {
    if (!main) throw new Error('workflow has no main');
    const value = await callRoutine(main, [argument], rt);
    if (record.state !== 'ACTIVE') return;
    record.result = toJsonString(value);
    record.state = 'SUCCEEDED';
  } catch (error) {
    if (record.state !== 'ACTIVE' || record.abort.signal.reason instanceof EngineStopped) return;
    if (error instanceof ExecutionCancelled) {
      record.state = 'CANCELLED';
      return;
    }
    record.state = 'FAILED';
    record.error = errorRecord(error);
  } finally {
    if (record.state !== 'ACTIVE') record.endTime ??= deps.effects.stepTime();
    record.callbacks.clear();
  }
}

function errorRecord(error: unknown): NonNullable<ExecutionRecord['error']> {
  // Anything that is not a WorkflowError is a fault of the engine: reported, never hidden.
  const payload = error instanceof WorkflowError ? error.payload : newMap([
    ['message', error instanceof Error ? error.message : String(error)],
    ['tags', ['SystemError']],
  ]);
  const trace = error instanceof WorkflowError ? error.trace : [];
  const where = trace.map((t) => `in step "${t.step}", routine "${t.routine}", line: ${t.line}`);
  const text = toJsonString(payload);
  return { payload: text, context: [`RuntimeError: ${text}`, ...where].join('\n'), trace };
}
