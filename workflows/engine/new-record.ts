import { EngineApiError } from './api-error.ts';
import type { ExecutionRecord } from './execution-record.ts';
import { CallbackRegistry, DerivedCallbackIds } from './runtime/callbacks.ts';
import { StepHistory } from './runtime/history.ts';
import { limits } from './runtime/runtime.ts';
import type { FinLine } from './store/engine-lines.ts';
import { fromJson, type Value } from './values.ts';

export interface RecordInit {
  id: string;
  name: string;
  workflowId: string;
  revisionId: string;
  argument: string | undefined;
  startTime: number;
  callbackBaseUrl: string;
  requestId: string | undefined;
  /** The secret its callback ids derive from (see `DerivedCallbackIds`). */
  key: Buffer;
}

/** A new ACTIVE execution, not yet running. */
export function newRecord(init: RecordInit): ExecutionRecord {
  const { key, ...fields } = init;
  return {
    ...fields,
    state: 'ACTIVE',
    result: undefined,
    error: undefined,
    endTime: undefined,
    history: new StepHistory(),
    callbacks: new CallbackRegistry(new DerivedCallbackIds(key)),
    abort: new AbortController(),
    done: Promise.resolve(),
  };
}

/** A finished execution as the journal kept it: readable, never run again. */
export function recordFromFin(fin: FinLine): ExecutionRecord {
  return {
    id: fin.x,
    name: fin.name,
    workflowId: fin.wf,
    revisionId: fin.rev,
    state: fin.state,
    argument: fin.arg,
    result: fin.result,
    error: fin.error,
    startTime: fin.t,
    endTime: fin.end,
    callbackBaseUrl: '',
    requestId: fin.req,
    history: StepHistory.restore(fin.history),
    callbacks: new CallbackRegistry(),
    abort: new AbortController(),
    done: Promise.resolve(),
  };
}

export function callbackUrlOf(record: ExecutionRecord, callbackId: string): string {
  return `${record.callbackBaseUrl}/v1/${record.name}/callbacks/${callbackId}`;
}

export function parseArgument(argument: string | undefined): Value {
  if (argument === undefined || argument === '') return null;
  const bytes = Buffer.byteLength(argument);
  if (bytes > limits.argumentBytes) {
    throw new EngineApiError('INVALID_ARGUMENT', `ResourceLimitError: the execution argument is ${bytes} bytes; the limit is ${limits.argumentBytes}`);
  }
  try {
    return fromJson(JSON.parse(argument));
  } catch {
    throw new EngineApiError('INVALID_ARGUMENT', 'the execution argument is not valid JSON');
  }
}
