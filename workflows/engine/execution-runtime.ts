import type { Deployment } from './deployment.ts';
import type { ExecutionRecord } from './execution-record.ts';
import type { Program } from './loader/program.ts';
import { callbackUrlOf } from './new-record.ts';
import type { CallbackRegistry } from './runtime/callbacks.ts';
import type { Effects } from './runtime/effects.ts';
import type { StepHistory } from './runtime/history.ts';
import type { ExecutionRuntime } from './runtime/runtime.ts';
import type { StdlibContext } from './stdlib/function-spec.ts';
import { toJson, type Value } from './values.ts';

export interface EngineLogEntry {
  severity: string;
  workflowId: string;
  executionId: string;
  /** What `sys.log` was given: its `text`, `json` or `data`, as JSON. */
  payload: unknown;
}

export interface RunDeps {
  effects: Effects;
  deployment: Deployment;
  /** The `GOOGLE_CLOUD_*` variables every execution sees, besides its own ids. */
  builtInEnv: Readonly<Record<string, string>>;
  onLog: ((entry: EngineLogEntry) => void) | undefined;
}

/**
 * What one running execution's interpreter and standard library reach: methods over the record
 * and the shared deployment rather than closures, so a waiting execution holds one small object.
 */
export class RunningExecution implements ExecutionRuntime, StdlibContext {
  readonly program: Program;
  readonly effects: Effects;
  readonly signal: AbortSignal;
  readonly history: StepHistory;
  readonly callbacks: CallbackRegistry;
  readonly memory = { used: 0 };
  depth = 0;
  stepsRun = 0;

  private readonly record: ExecutionRecord;
  private readonly deps: RunDeps;
  constructor(record: ExecutionRecord, deps: RunDeps) {
    this.record = record;
    this.deps = deps;
    this.program = deps.deployment.program;
    this.effects = deps.effects;
    this.signal = record.abort.signal;
    this.history = record.history;
    this.callbacks = record.callbacks;
  }

  get stdlib(): StdlibContext {
    return this;
  }

  callbackUrl(callbackId: string): string {
    return callbackUrlOf(this.record, callbackId);
  }

  now(): number {
    return this.effects.now();
  }

  getEnv(name: string): string | undefined {
    return this.ownEnv(name) ?? this.deps.builtInEnv[name] ?? this.deps.deployment.userEnvVars[name];
  }

  log(severity: string, payload: Value): void {
    this.deps.onLog?.({ severity, workflowId: this.record.workflowId, executionId: this.record.id, payload: toJson(payload) });
  }

  private ownEnv(name: string): string | undefined {
    if (name === 'GOOGLE_CLOUD_WORKFLOW_ID') return this.record.workflowId;
    if (name === 'GOOGLE_CLOUD_WORKFLOW_REVISION_ID') return this.record.revisionId;
    if (name === 'GOOGLE_CLOUD_WORKFLOW_EXECUTION_ID') return this.record.id;
    return undefined;
  }
}
