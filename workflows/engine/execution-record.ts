import type { TraceElement } from './errors.ts';
import type { CallbackRegistry } from './runtime/callbacks.ts';
import type { StepHistory } from './runtime/history.ts';

export type ExecutionState = 'ACTIVE' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

/** The engine's own record of an execution; `toExecution` gives the API's view of it. */
export interface ExecutionRecord {
  id: string;
  name: string;
  workflowId: string;
  revisionId: string;
  state: ExecutionState;
  argument: string | undefined;
  result: string | undefined;
  error: { payload: string; context: string; trace: TraceElement[] } | undefined;
  startTime: number;
  endTime: number | undefined;
  /** Where its callback endpoints live; kept across restarts, since its VM holds the URLs. */
  callbackBaseUrl: string;
  /** Given at creation: a second creation with the same id returns this execution. */
  requestId: string | undefined;
  history: StepHistory;
  callbacks: CallbackRegistry;
  abort: AbortController;
  done: Promise<void>;
}

/** The v1 `Execution` resource, as the REST API and `@google-cloud/workflows` see it. */
export interface Execution {
  name: string;
  state: ExecutionState;
  startTime: string;
  createTime: string;
  endTime?: string;
  duration?: string;
  argument?: string;
  result?: string;
  error?: {
    payload: string;
    context: string;
    // int64 fields are strings in the JSON mapping of the v1 protos.
    stackTrace: { elements: Array<{ step: string; routine: string; position: { line: string; column: string; length: string } }> };
  };
  workflowRevisionId: string;
  callLogLevel: 'CALL_LOG_LEVEL_UNSPECIFIED';
  status?: { currentSteps: Array<{ step: string; routine: string }> };
}

/** The v1 `StepEntry` resource. */
export interface StepEntry {
  name: string;
  step: string;
  routine: string;
  entryId: string;
  stepType: string;
  state: string;
  createTime: string;
  updateTime: string;
  exception?: { payload: string };
}

export type ExecutionView = 'FULL' | 'BASIC';

const iso = (ms: number): string => new Date(ms).toISOString();

export function toExecution(record: ExecutionRecord, view: ExecutionView = 'FULL'): Execution {
  const execution: Execution = {
    name: record.name,
    state: record.state,
    startTime: iso(record.startTime),
    createTime: iso(record.startTime),
    workflowRevisionId: record.revisionId,
    callLogLevel: 'CALL_LOG_LEVEL_UNSPECIFIED',
  };
  if (record.endTime !== undefined) {
    execution.endTime = iso(record.endTime);
    execution.duration = `${((record.endTime - record.startTime) / 1000).toFixed(3)}s`;
  }
  if (view === 'BASIC') return execution;
  if (record.argument !== undefined) execution.argument = record.argument;
  if (record.result !== undefined) execution.result = record.result;
  if (record.error) execution.error = errorOf(record.error);
  if (record.state === 'ACTIVE') {
    execution.status = { currentSteps: record.history.current().map(({ step, routine }) => ({ step, routine })) };
  }
  return execution;
}

function errorOf(error: NonNullable<ExecutionRecord['error']>): NonNullable<Execution['error']> {
  const elements = error.trace.map((t) => ({
    step: t.step,
    routine: t.routine,
    position: { line: String(t.line), column: String(t.column), length: '0' },
  }));
  return { payload: error.payload, context: error.context, stackTrace: { elements } };
}

export function toStepEntries(record: ExecutionRecord): StepEntry[] {
  return record.history.entries.map((entry) => ({
    name: `${record.name}/stepEntries/${entry.entryId}`,
    step: entry.step,
    routine: entry.routine,
    entryId: String(entry.entryId),
    stepType: entry.stepType,
    state: entry.state,
    createTime: iso(entry.createTime),
    updateTime: iso(entry.updateTime),
    ...(entry.exception === undefined ? {} : { exception: { payload: entry.exception } }),
  }));
}
