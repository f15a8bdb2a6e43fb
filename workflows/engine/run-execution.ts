import { EngineStopped, ExecutionCancelled, WorkflowError } from './errors.ts';
import type { ExecutionRecord } from './execution-record.ts';
import { RunningExecution, type RunDeps } from './execution-runtime.ts';
import { callRoutine } from './runtime/call-routine.ts';
import { drive } from './runtime/interpreting.ts';
import { newMap, toJsonString, type Value } from './values.ts';

/** Runs `main` with the argument to its end and records the outcome; never rejects. */
export async function runExecution(record: ExecutionRecord, argument: Value, deps: RunDeps): Promise<void> {
  const rt = new RunningExecution(record, deps);
  const main = rt.program.routines.get('main');
  try {
    if (!main) throw new Error('workflow has no main');
    const value = await drive(callRoutine(main, [argument], rt));
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
