import type { EngineClock } from './clock.ts';
import type { Deployment } from './deployment.ts';
import type { ExecutionRecord } from './execution-record.ts';
import { nodeHttpTransport, type HttpTransport } from './http-transport.ts';
import { LiveEffects, type Effects } from './runtime/effects.ts';
import type { EngineLogEntry } from './execution-runtime.ts';
import { runExecution } from './run-execution.ts';
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
  record.done = runExecution(record, argument, { effects, deployment, builtInEnv: deps.builtInEnv, onLog: deps.onLog }).then(() => deps.onStopped(record));
  return Promise.race([effects instanceof JournaledEffects ? effects.caughtUp : Promise.resolve(), record.done]);
}

function effectsFor(record: ExecutionRecord, deps: LaunchDeps, log: ActiveLog | undefined): Effects {
  const http = deps.http ?? nodeHttpTransport;
  const persistence = deps.persistence;
  if (!persistence) return new LiveEffects(deps.clock, http, record.callbacks);
  const journal = { write: persistence.writer(record.id), sync: () => persistence.sync() };
  return new JournaledEffects({ clock: deps.clock, http, callbacks: record.callbacks, ...journal }, log?.ops ?? new Map(), record.startTime);
}
