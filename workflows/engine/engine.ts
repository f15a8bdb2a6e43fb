import { randomUUID } from 'node:crypto';
import { EngineApiError } from './api-error.ts';
import { systemEngineClock, type EngineClock } from './clock.ts';
import { createDeployment, type Deployment } from './deployment.ts';
import { EngineStopped, ExecutionCancelled } from './errors.ts';
import { toExecution, toStepEntries, type Execution, type ExecutionRecord, type ExecutionView, type StepEntry } from './execution-record.ts';
import { fetchTransport, type HttpTransport } from './http-transport.ts';
import { CallbackRegistry } from './runtime/callbacks.ts';
import { StepHistory } from './runtime/history.ts';
import { limits } from './runtime/runtime.ts';
import { runExecution, type EngineLogEntry } from './run-execution.ts';
import { fromJson, newMap, type Value } from './values.ts';

export interface EmbeddedEngineOptions {
  /** Where the engine's router is reachable, e.g. `http://127.0.0.1:8080/engine`. */
  callbackBaseUrl: string;
  projectId: string;
  location: string;
  projectNumber?: string;
  clock?: EngineClock;
  http?: HttpTransport;
  onLog?: (entry: EngineLogEntry) => void;
  /** Finished executions kept for get/list; the oldest go first. Default 10,000. */
  maxFinishedExecutions?: number;
}

export interface CallbackDelivery {
  method: string;
  /** The body as JSON (already parsed), a string, or undefined when empty. */
  body?: unknown;
  headers?: Record<string, string>;
  query?: Record<string, string[]>;
}

/**
 * Runs Cloud Workflows sources in-process: each execution is one async interpreter over the
 * loaded program, so thousands can wait on callbacks at once.
 */
export class EmbeddedEngine {
  readonly projectId: string;
  readonly location: string;
  private readonly deployments = new Map<string, Deployment>();
  private readonly revisions = new Map<string, number>();
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly finished: string[] = [];
  private readonly clock: EngineClock;

  constructor(private readonly options: EmbeddedEngineOptions) {
    this.projectId = options.projectId;
    this.location = options.location;
    this.clock = options.clock ?? systemEngineClock;
  }

  /** Loads and checks `source`; throws `WorkflowLoadError` listing every problem. */
  deploy(workflowId: string, source: string, fileName: string, userEnvVars: Readonly<Record<string, string>> = {}): { revisionId: string } {
    const revision = (this.revisions.get(workflowId) ?? 0) + 1;
    const deployment = createDeployment(workflowId, source, fileName, userEnvVars, revision);
    this.revisions.set(workflowId, revision);
    this.deployments.set(workflowId, deployment);
    return { revisionId: deployment.revisionId };
  }

  /** Starts an execution; `argument` is JSON text, as in the v1 API. */
  createExecution(workflowId: string, argument?: string): Execution {
    const deployment = this.deployments.get(workflowId);
    if (!deployment) throw new EngineApiError('NOT_FOUND', `workflow ${this.workflowName(workflowId)} not found`);
    const value = parseArgument(argument);
    const id = randomUUID();
    const record: ExecutionRecord = {
      id,
      name: `${this.workflowName(workflowId)}/executions/${id}`,
      workflowId,
      revisionId: deployment.revisionId,
      state: 'ACTIVE',
      argument: argument === undefined || argument === '' ? undefined : argument,
      result: undefined,
      error: undefined,
      startTime: this.clock.now(),
      endTime: undefined,
      history: new StepHistory(),
      callbacks: new CallbackRegistry(),
      abort: new AbortController(),
      done: Promise.resolve(),
    };
    this.executions.set(id, record);
    record.done = runExecution(record, value, {
      clock: this.clock,
      http: this.options.http ?? fetchTransport,
      program: deployment.program,
      env: (name) => this.envOf(record, deployment, name),
      callbackUrl: (callbackId) => `${this.options.callbackBaseUrl}/v1/${record.name}/callbacks/${callbackId}`,
      onLog: this.options.onLog,
    }).then(() => this.retire(id));
    return toExecution(record);
  }

  getExecution(id: string, view: ExecutionView = 'FULL'): Execution | undefined {
    const record = this.find(id);
    return record ? toExecution(record, view) : undefined;
  }

  /** Newest first, like the v1 list call. */
  listExecutions(workflowId?: string, view: ExecutionView = 'BASIC'): Execution[] {
    return [...this.executions.values()]
      .filter((record) => workflowId === undefined || record.workflowId === workflowId)
      .reverse()
      .map((record) => toExecution(record, view));
  }

  listStepEntries(id: string): StepEntry[] | undefined {
    const record = this.find(id);
    return record ? toStepEntries(record) : undefined;
  }

  /** Stops an active execution where it is; its `except` blocks do not run. */
  cancelExecution(id: string): Execution {
    const record = this.find(id);
    if (!record) throw new EngineApiError('NOT_FOUND', `execution ${id} not found`);
    if (record.state !== 'ACTIVE') throw new EngineApiError('FAILED_PRECONDITION', `execution ${id} is ${record.state}, not ACTIVE`);
    record.state = 'CANCELLED';
    record.endTime = this.clock.now();
    record.abort.abort(new ExecutionCancelled());
    return toExecution(record);
  }

  /**
   * Stops every active execution where it is, without ending it (no state change, no `except`):
   * for shutting the process down. Timers and pending calls are released.
   */
  stop(): void {
    for (const record of this.executions.values()) {
      if (record.state === 'ACTIVE') record.abort.abort(new EngineStopped('engine stopped'));
    }
  }

  /** Resolves with the execution once it has ended. */
  async awaitExecution(id: string): Promise<Execution> {
    const record = this.find(id);
    if (!record) throw new EngineApiError('NOT_FOUND', `execution ${id} not found`);
    await record.done;
    return toExecution(record);
  }

  /** 200 when delivered or buffered; 404 for an unknown or finished execution or endpoint. */
  deliverCallback(executionId: string, callbackId: string, request: CallbackDelivery): 200 | 404 | 429 {
    const record = this.find(executionId);
    if (!record || record.state !== 'ACTIVE') return 404;
    const outcome = record.callbacks.deliver(callbackId, {
      method: request.method.toUpperCase(),
      url: `${this.options.callbackBaseUrl}/v1/${record.name}/callbacks/${callbackId}`,
      body: fromJson(request.body ?? null),
      headers: newMap(Object.entries(request.headers ?? {})),
      query: newMap(Object.entries(request.query ?? {})),
      receivedTime: this.clock.now(),
    });
    return outcome === 'delivered' ? 200 : outcome === 'full' ? 429 : 404;
  }

  private workflowName(workflowId: string): string {
    return `projects/${this.projectId}/locations/${this.location}/workflows/${workflowId}`;
  }

  private find(idOrName: string): ExecutionRecord | undefined {
    return this.executions.get(idOrName.slice(idOrName.lastIndexOf('/') + 1));
  }

  private envOf(record: ExecutionRecord, deployment: Deployment, name: string): string | undefined {
    const builtIn: Record<string, string> = {
      GOOGLE_CLOUD_PROJECT_ID: this.projectId,
      GOOGLE_CLOUD_PROJECT_NUMBER: this.options.projectNumber ?? '000000000000',
      GOOGLE_CLOUD_LOCATION: this.location,
      GOOGLE_CLOUD_WORKFLOW_ID: record.workflowId,
      GOOGLE_CLOUD_WORKFLOW_REVISION_ID: record.revisionId,
      GOOGLE_CLOUD_WORKFLOW_EXECUTION_ID: record.id,
    };
    return builtIn[name] ?? deployment.userEnvVars[name];
  }

  private retire(id: string): void {
    this.finished.push(id);
    const keep = this.options.maxFinishedExecutions ?? 10_000;
    while (this.finished.length > keep) this.executions.delete(this.finished.shift() as string);
  }
}

function parseArgument(argument: string | undefined): Value {
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
