import type { EngineClock } from './clock.ts';
import type { Deployment } from './deployment.ts';
import type { ExecutionRecord } from './execution-record.ts';
import { fetchTransport, type HttpTransport } from './http-transport.ts';
import { callbackUrlOf } from './new-record.ts';
import { liveEffects, type Effects } from './runtime/effects.ts';
import { runExecution, type EngineLogEntry } from './run-execution.ts';
import type { ActiveLog } from './store/engine-lines.ts';
import type { EnginePersistence } from './store/engine-persistence.ts';
import { JournaledEffects } from './store/journaled-effects.ts';
import type { Value } from './values.ts';

export interface LaunchDeps {
  clock: EngineClock;
  http: HttpTransport | undefined;
  persistence: EnginePersistence | undefined;
  onLog: ((entry: EngineLogEntry) => void) | undefined;
  /** The `GOOGLE_CLOUD_*` variables every execution sees, besides its own ids. */
  builtInEnv: Readonly<Record<string, string>>;
  /** Called once the interpreter has stopped, ended or not. */
  onStopped(record: ExecutionRecord): void;
}

/**
 * Runs an execution's interpreter over its revision: live, or, given its journal, replayed up to
 * where it stopped and live from there. Resolves once the execution is live (or has ended).
 */
export function launchExecution(record: ExecutionRecord, argument: Value, deployment: Deployment, deps: LaunchDeps, log?: ActiveLog): Promise<void> {
  const effects = effectsFor(record, deps, log);
  record.done = runExecution(record, argument, {
    effects,
    program: deployment.program,
    env: (name) => envOf(record, deployment, deps, name),
    callbackUrl: (callbackId) => callbackUrlOf(record, callbackId),
    onLog: deps.onLog,
  }).then(() => deps.onStopped(record));
  return Promise.race([effects instanceof JournaledEffects ? effects.caughtUp : Promise.resolve(), record.done]);
}

function effectsFor(record: ExecutionRecord, deps: LaunchDeps, log: ActiveLog | undefined): Effects {
  const http = deps.http ?? fetchTransport;
  const persistence = deps.persistence;
  if (!persistence) return liveEffects(deps.clock, http, record.callbacks);
  const journal = { write: persistence.writer(record.id), sync: () => persistence.sync() };
  return new JournaledEffects({ clock: deps.clock, http, callbacks: record.callbacks, ...journal }, log?.ops ?? new Map(), record.startTime);
}

function envOf(record: ExecutionRecord, deployment: Deployment, deps: LaunchDeps, name: string): string | undefined {
  const builtIn: Record<string, string> = {
    ...deps.builtInEnv,
    GOOGLE_CLOUD_WORKFLOW_ID: record.workflowId,
    GOOGLE_CLOUD_WORKFLOW_REVISION_ID: record.revisionId,
    GOOGLE_CLOUD_WORKFLOW_EXECUTION_ID: record.id,
  };
  return builtIn[name] ?? deployment.userEnvVars[name];
}
