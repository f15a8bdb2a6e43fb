import { randomBytes, randomUUID } from 'node:crypto';
import { EngineApiError } from './api-error.ts';
import { toCallbackRequest, type CallbackDelivery } from './callback-request.ts';
import { systemEngineClock, type EngineClock } from './clock.ts';
import { EngineStopped, ExecutionCancelled } from './errors.ts';
import type { HttpTransport } from './http-transport.ts';
import { toExecution, toStepEntries, type Execution, type ExecutionRecord, type ExecutionView, type StepEntry } from './execution-record.ts';
import { callbackUrlOf, newRecord, parseArgument } from './new-record.ts';
import { launchExecution, type LaunchDeps } from './launch-execution.ts';
import type { EngineLogEntry } from './execution-runtime.ts';
import type { StoreSection } from './store/data-store.ts';
import { EnginePersistence } from './store/engine-persistence.ts';
import { recoverEngine } from './store/recover-engine.ts';
import { Revisions } from './revisions.ts';

export type { CallbackDelivery } from './callback-request.ts';

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
  /**
   * Where the engine keeps its state (a section of store/data-store.ts). With it, deployments and
   * executions survive a restart: finished ones as they ended, active ones replayed and resumed.
   * Absent: memory only.
   */
  store?: StoreSection;
}

export interface CreateExecutionOptions {
  /**
   * Idempotency: a creation with the id of an execution started less than an hour ago returns
   * that execution, so a queue task re-run after a crash starts no second one.
   */
  requestId?: string;
}

// Like Cloud Tasks' task names: a request id is remembered for an hour.
const requestIdRetentionMs = 3_600_000;

/**
 * Runs Cloud Workflows sources in-process: each execution is one async interpreter over the
 * loaded program, so thousands can wait on callbacks at once.
 */
export class EmbeddedEngine {
  readonly projectId: string;
  readonly location: string;
  /** Resolves once every execution found in the store has been replayed up to where it stopped. */
  readonly recovered: Promise<void>;
  private readonly revisions: Revisions;
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly requests = new Map<string, string>();
  private readonly finished: string[] = [];
  private readonly clock: EngineClock;
  private readonly persistence: EnginePersistence | undefined;
  private readonly launchDeps: LaunchDeps;

  private readonly options: EmbeddedEngineOptions;
  constructor(options: EmbeddedEngineOptions) {
    this.options = options;
    this.projectId = options.projectId;
    this.location = options.location;
    this.clock = options.clock ?? systemEngineClock;
    const persistence = options.store && new EnginePersistence(options.store, {
      records: () => this.executions.values(),
      latestRevisions: () => this.revisions.latestIds(),
    });
    this.persistence = persistence;
    this.revisions = new Revisions(persistence);
    this.launchDeps = {
      clock: this.clock,
      http: options.http,
      persistence,
      onLog: options.onLog,
      builtInEnv: { GOOGLE_CLOUD_PROJECT_ID: this.projectId, GOOGLE_CLOUD_PROJECT_NUMBER: options.projectNumber ?? '000000000000', GOOGLE_CLOUD_LOCATION: this.location },
      onStopped: (record) => {
        persistence?.finished(record);
        this.retire(record.id);
      },
    };
    this.recovered = persistence ? recoverEngine(persistence, {
      restoreDeployment: (line) => this.revisions.restore(line),
      adoptFinished: (record) => this.register(record),
      resume: (record, deployment, log) => {
        this.register(record);
        return launchExecution(record, parseArgument(record.argument), deployment, this.launchDeps, log);
      },
    }) : Promise.resolve();
  }

  /** Loads and checks `source`; throws `WorkflowLoadError` listing every problem. Redeploying the same source keeps the revision. */
  deploy(workflowId: string, source: string, fileName: string, userEnvVars: Readonly<Record<string, string>> = {}): { revisionId: string } {
    return { revisionId: this.revisions.deploy(workflowId, source, fileName, userEnvVars).revisionId };
  }

  /** Starts an execution; `argument` is JSON text, as in the v1 API. */
  createExecution(workflowId: string, argument?: string, options: CreateExecutionOptions = {}): Execution {
    const deployment = this.revisions.get(workflowId);
    if (!deployment) throw new EngineApiError('NOT_FOUND', `workflow ${this.workflowName(workflowId)} not found`);
    const earlier = this.byRequestId(options.requestId);
    if (earlier) return toExecution(earlier);
    const value = parseArgument(argument);
    const id = randomUUID();
    const key = randomBytes(16);
    const record = newRecord({
      id,
      name: `${this.workflowName(workflowId)}/executions/${id}`,
      workflowId,
      revisionId: deployment.revisionId,
      argument: argument === undefined || argument === '' ? undefined : argument,
      startTime: this.clock.now(),
      callbackBaseUrl: this.options.callbackBaseUrl,
      requestId: options.requestId,
      key,
    });
    this.register(record);
    this.persistence?.started(record, key.toString('hex'));
    void launchExecution(record, value, deployment, this.launchDeps);
    return toExecution(record);
  }

  /** Resolves once everything the engine has recorded so far is on stable storage (at once without a store). */
  sync(): Promise<void> {
    return this.persistence?.sync() ?? Promise.resolve();
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
    this.persistence?.finished(record);
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

  /** 200 when delivered or buffered (and written to the store); 404 for an unknown or finished execution or endpoint. */
  deliverCallback(executionId: string, callbackId: string, request: CallbackDelivery): 200 | 404 | 429 {
    const record = this.find(executionId);
    if (!record || record.state !== 'ACTIVE') return 404;
    const receivedTime = this.clock.now();
    const outcome = record.callbacks.deliver(callbackId, toCallbackRequest(callbackUrlOf(record, callbackId), request, receivedTime));
    if (outcome === 'delivered') this.persistence?.delivered(record.id, callbackId, request, receivedTime);
    return outcome === 'delivered' ? 200 : outcome === 'full' ? 429 : 404;
  }

  private workflowName(workflowId: string): string {
    return `projects/${this.projectId}/locations/${this.location}/workflows/${workflowId}`;
  }

  private find(idOrName: string): ExecutionRecord | undefined {
    return this.executions.get(idOrName.slice(idOrName.lastIndexOf('/') + 1));
  }

  private register(record: ExecutionRecord): void {
    this.executions.set(record.id, record);
    if (record.requestId !== undefined) this.requests.set(record.requestId, record.id);
    if (record.state !== 'ACTIVE') this.retire(record.id);
  }

  private byRequestId(requestId: string | undefined): ExecutionRecord | undefined {
    const record = requestId === undefined ? undefined : this.executions.get(this.requests.get(requestId) ?? '');
    return record && this.clock.now() - record.startTime < requestIdRetentionMs ? record : undefined;
  }

  private retire(id: string): void {
    this.finished.push(id);
    const keep = this.options.maxFinishedExecutions ?? 10_000;
    while (this.finished.length > keep) {
      const gone = this.finished.shift() as string;
      const requestId = this.executions.get(gone)?.requestId;
      if (requestId !== undefined && this.requests.get(requestId) === gone) this.requests.delete(requestId);
      this.executions.delete(gone);
    }
  }
}
