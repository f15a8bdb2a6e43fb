import type { protos } from '@google-cloud/workflows';

type IExecution = protos.google.cloud.workflows.executions.v1.IExecution;
type ITimestamp = protos.google.protobuf.ITimestamp;

/** Execution states, in the order of the v1 enum (the REST client may return either form). */
export const executionStates = ['STATE_UNSPECIFIED', 'ACTIVE', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'UNAVAILABLE', 'QUEUED'] as const;
export type ExecutionState = (typeof executionStates)[number];

/** What a list shows: the API's BASIC view has no argument, result or error. */
export interface ExecutionSummary {
  /** The last segment of the name: what the CLI and the Console call the execution. */
  readonly id: string;
  /** `projects/P/locations/L/workflows/W/executions/ID`. */
  readonly name: string;
  readonly state: ExecutionState;
  /** ISO 8601, or null when not started / not ended. */
  readonly startTime: string | null;
  readonly endTime: string | null;
}

export interface ExecutionDetail extends ExecutionSummary {
  /** The JSON text the execution was started with (the job event), as the API stores it. */
  readonly argument: string | null;
  /** JSON text; present once SUCCEEDED. */
  readonly result: string | null;
  /** Present once FAILED or CANCELLED: the error's JSON payload, its context and failing steps. */
  readonly error: { readonly payload: string; readonly context: string; readonly steps: readonly string[] } | null;
  /** Where an ACTIVE execution is now (e.g. `main.await_start`). */
  readonly currentSteps: readonly string[];
  readonly workflowRevisionId: string | null;
}

export function executionIdOf(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

export function toExecutionSummary(execution: IExecution): ExecutionSummary {
  const name = execution.name ?? '';
  return { id: executionIdOf(name), name, state: stateOf(execution.state), startTime: isoOf(execution.startTime), endTime: isoOf(execution.endTime) };
}

export function toExecutionDetail(execution: IExecution): ExecutionDetail {
  const error = execution.error;
  const frames = error?.stackTrace?.elements ?? [];
  return {
    ...toExecutionSummary(execution),
    argument: execution.argument || null,
    result: execution.result || null,
    error: error ? { payload: error.payload ?? '', context: error.context ?? '', steps: frames.map((frame) => `${frame.routine ?? '?'}.${frame.step ?? '?'}`) } : null,
    currentSteps: (execution.status?.currentSteps ?? []).map((step) => `${step.routine ?? '?'}.${step.step ?? '?'}`),
    workflowRevisionId: execution.workflowRevisionId || null,
  };
}

function stateOf(state: IExecution['state']): ExecutionState {
  if (typeof state === 'number') return executionStates[state] ?? 'STATE_UNSPECIFIED';
  return executionStates.find((known) => known === state) ?? 'STATE_UNSPECIFIED';
}

function isoOf(timestamp: ITimestamp | null | undefined): string | null {
  if (!timestamp || timestamp.seconds === null || timestamp.seconds === undefined) return null;
  const millis = Number(timestamp.seconds) * 1000 + Math.floor((timestamp.nanos ?? 0) / 1e6);
  return new Date(millis).toISOString();
}
