import { toCallbackRequest } from '../callback-request.ts';
import type { Deployment } from '../deployment.ts';
import type { ExecutionRecord } from '../execution-record.ts';
import { callbackUrlOf, newRecord, recordFromFin } from '../new-record.ts';
import type { ActiveLog, DeployLine } from './engine-lines.ts';
import type { EnginePersistence } from './engine-persistence.ts';

/** The engine's side of a recovery. */
export interface RecoveryTarget {
  restoreDeployment(line: DeployLine): Deployment;
  adoptFinished(record: ExecutionRecord): void;
  /** Starts the replay of an execution; resolves once it has caught up with its journal (or ended). */
  resume(record: ExecutionRecord, deployment: Deployment, log: ActiveLog): Promise<void>;
}

/**
 * Rebuilds the engine from its journal: the deployed revisions, the finished executions as they
 * ended, and every execution that was ACTIVE, replayed from its start with its recorded effects.
 * Everything is registered before this returns, so a callback or a get that arrives next finds
 * its execution; the promise tells when the replays have caught up.
 */
export function recoverEngine(persistence: EnginePersistence, target: RecoveryTarget): Promise<void> {
  const { state } = persistence;
  const deployments = new Map<string, Deployment>();
  for (const line of state.deployments.values()) deployments.set(line.rev, target.restoreDeployment(line));
  for (const fin of state.finished.values()) target.adoptFinished(recordFromFin(fin));
  const replays: Promise<void>[] = [];
  for (const log of state.active.values()) {
    const { start } = log;
    const record = newRecord({
      id: start.x,
      name: start.name,
      workflowId: start.wf,
      revisionId: start.rev,
      argument: start.arg,
      startTime: start.t,
      callbackBaseUrl: start.base,
      requestId: start.req,
      key: Buffer.from(start.key, 'hex'),
    });
    // Callbacks accepted before the crash wait at their endpoints, in the order they came.
    for (const [cb, lines] of log.deliveries) {
      record.callbacks.preload(cb, lines.map((line) => toCallbackRequest(callbackUrlOf(record, cb), line.d, line.at)));
    }
    persistence.adopt(log);
    const deployment = deployments.get(start.rev);
    if (deployment) replays.push(target.resume(record, deployment, log));
    else {
      // Cannot happen unless the journal was edited: a compaction keeps every revision in use.
      Object.assign(record, { state: 'FAILED', endTime: record.startTime, error: { payload: '"its workflow revision is missing from the journal"', context: 'RuntimeError: revision missing', trace: [] } });
      persistence.finished(record);
      target.adoptFinished(record);
    }
  }
  return Promise.all(replays).then(() => undefined);
}
