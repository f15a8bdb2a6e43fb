/**
 * The embedded Cloud Workflows engine: runs the same workflow YAML off Google Cloud.
 * `EmbeddedEngine` deploys and executes; `createEngineRouter` serves the v1 executions API and the
 * callback endpoints over HTTP.
 */
export { EmbeddedEngine, type CallbackDelivery, type CreateExecutionOptions, type EmbeddedEngineOptions } from './engine.ts';
export { DataStore, type DataStoreOptions, type StoreSection } from './store/data-store.ts';
export { createEngineRouter } from './router.ts';
export { ManualClock, settle, systemEngineClock, type EngineClock } from './clock.ts';
export {
  nodeHttpTransport,
  HttpTransportError,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
} from './http-transport.ts';
export type { Execution, ExecutionState, ExecutionView, StepEntry } from './execution-record.ts';
export type { EngineLogEntry } from './execution-runtime.ts';
export { EngineApiError, type ApiStatus } from './api-error.ts';
export { WorkflowLoadError } from './errors.ts';
export { loadWorkflow } from './loader/load-workflow.ts';
